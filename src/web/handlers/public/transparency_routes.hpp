#pragma once
// The signing transparency log over HTTP (#18). Public, as RFC 6962 §4 names its calls and fields: the signed tree
// head, consistency between two tree sizes, the audit path of a leaf hash. The signer's own leaves and their proofs are
// in the signer's API (portal/account_api_routes.hpp); the helpers below serve it, the portal and the public record.
#include <nlohmann/json.hpp>

#include "transparency/signing_log.hpp"
#include "web/router.hpp"

namespace yq::web {

void register_transparency_routes(Router& router, transparency::SigningLog& log);

// The JSON the signer's list and the portal show for one leaf (its fields read from the leaf's text).
nlohmann::json leaf_json(const transparency::StoredLeaf& leaf);

// One of the signer's own leaves as a proof file (a download); another signer's leaf, or text that is not an index,
// answers 404 as an unknown one.
Response own_leaf_proof(transparency::SigningLog& log, const std::string& account_id, const std::string& index_text);
// Leaf `index`'s inclusion proof file, to download (the signer's entry, or a signature record's).
Response proof_file(transparency::SigningLog& log, std::int64_t index);

}  // namespace yq::web
