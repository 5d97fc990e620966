#pragma once
// One leaf of the signing transparency log (#18): one use of a signer's key — the digest signed, with which credential
// and certificate, when, through which client and under which SAD. The leaf's data is its canonical JSON (keys
// sorted, no whitespace, UTF-8 — the audit chain's canonical form) and its hash is RFC 9162 §2.1.1's leaf hash of
// those bytes, so anyone holding the leaf's text can recompute it.
// Error style: throws yq::Error "transparency.bad_leaf" for text that is not a leaf.
#include <cstdint>
#include <string>

#include "core/bytes.hpp"

namespace yq::transparency {

struct KeyUse {
    std::string credential_id;
    std::string certificate_serial;  // hex, as the CA prints it
    std::string hash_algorithm_oid;  // of `digest`
    core::Bytes digest;              // what the key signed (a signHash hash; for a PDF, its signed attributes' hash)
    std::int64_t time = 0;           // unix seconds
    std::string client;              // "csc/v2", "csc/v1", "portal", …
    std::string sad_id;
};

inline constexpr int kLeafVersion = 1;

std::string leaf_data(const KeyUse& use);
KeyUse parse_leaf_data(const std::string& data);

}  // namespace yq::transparency
