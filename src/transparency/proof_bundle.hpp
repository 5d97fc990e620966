#pragma once
// An inclusion proof as one self-contained JSON document, checkable offline with only the CA's root certificate
// (`yunqian transparency verify --proof FILE --root root.crt`, or any RFC 9162 verifier). Field names follow RFC 6962
// §4 where it has them (leaf_index, audit_path, tree_size, timestamp, sha256_root_hash, tree_head_signature; binary
// values base64).
// Error style: verify_bundle never throws for a bad bundle; it reports the first failed step.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "transparency/signing_log.hpp"

namespace yq::transparency {

nlohmann::json tree_head_json(const SignedTreeHead& head);
nlohmann::json proof_bundle_json(const InclusionProof& proof, const LogCertificates& certificates);

struct BundleCheck {
    bool ok = false;
    std::string problem;  // the first step that failed
    std::int64_t leaf_index = 0;
    std::int64_t tree_size = 0;
    std::int64_t timestamp_ms = 0;
    KeyUse use;  // the leaf's fields, when it parsed
};

// Checks, in order: the leaf text is a canonical leaf; its hash and audit path lead to the head's root; the head's
// signature verifies with the log certificate's key; the log certificate chains through the issuing CA to `root_der`
// at the head's time.
BundleCheck verify_bundle(const nlohmann::json& bundle, const core::Bytes& root_der);

}  // namespace yq::transparency
