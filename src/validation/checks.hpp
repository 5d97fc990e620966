#pragma once
// The checks shared by PDF and CMS-file validation (RFC 5652 signatures, RFC 3161 tokens, chains, revocation).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "validation/report.hpp"

namespace yq::validation {

struct RevocationStatus {
    std::string status = "unknown";  // good | revoked | unknown
    std::int64_t revoked_at = 0;
    std::string source;
};
using RevocationSource = std::function<RevocationStatus(const std::string& serial_hex)>;

// An RFC 3161 token over `imprint` (SHA-256), verified against the anchors: its genTime, or 0 (with `why`).
std::int64_t verify_timestamp_token(const core::Bytes& token_der, const core::Bytes& imprint,
                                    const std::vector<core::Bytes>& anchors, std::string& why, std::string& tsa);

// One CMS SignedData (one signer) over the detached `content`, whose SHA-256 the caller already has: cryptography (HASH_FAILURE vs SIG_CRYPTO_FAILURE),
// signature time-stamp, chain at the time-stamp's time, key usage, revocation. Fills `s` (indication PASSED when
// nothing failed) and returns the proof-of-existence time from the time-stamp, or 0.
std::int64_t check_signed_data(const core::Bytes& der, const std::string& content, const core::Bytes& digest,
                               const std::vector<core::Bytes>& anchors, const RevocationSource& revocation,
                               SignatureReport& s);

}  // namespace yq::validation
