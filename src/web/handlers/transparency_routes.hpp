#pragma once
// The signing transparency log over HTTP (#18). Public, as RFC 6962 §4 names its calls and fields: the signed tree
// head, consistency between two tree sizes, the audit path of a leaf hash. The signer's own leaves and their proofs
// behind the signer's bearer token.
#include <nlohmann/json.hpp>

#include "signing/csc_service.hpp"
#include "transparency/signing_log.hpp"
#include "web/router.hpp"

namespace yq::web {

void register_transparency_routes(Router& router, transparency::SigningLog& log, signing::CscService& csc);

// The JSON the signer's list and the portal show for one leaf (its fields read from the leaf's text).
nlohmann::json leaf_json(const transparency::StoredLeaf& leaf);

}  // namespace yq::web
