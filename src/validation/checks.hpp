#pragma once
// The checks shared by PDF and CMS-file validation (RFC 5652 signatures, RFC 3161 tokens, chains, revocation).
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"
#include "validation/report.hpp"

namespace yq::validation {

struct RevocationStatus {
    std::string status = "unknown";  // good | revoked | unknown
    std::int64_t revoked_at = 0;
    std::string source;
};
// Our own CA's answer for a certificate (by serial, confirmed against the certificate itself); "unknown" for others.
using RevocationSource = std::function<RevocationStatus(const std::string& serial_hex, const core::Bytes& certificate_der)>;

struct EmbeddedEvidence;

// An RFC 3161 token over `imprint` (SHA-256), verified against the anchors: its genTime, or 0 (with `why`).
std::int64_t verify_timestamp_token(const core::Bytes& token_der, const core::Bytes& imprint,
                                    const std::vector<core::Bytes>& anchors, std::string& why, std::string& tsa);

// One CMS SignedData (one signer) over the detached content `content_parts` (a PDF's two byte ranges, or a whole
// file): digest with the signer's digest algorithm against the message-digest attribute (HASH_FAILURE), the
// signature over the signed attributes (SIG_CRYPTO_FAILURE), the signature time-stamp, the chain at the
// time-stamp's time, key usage, and revocation — from `evidence` the signature carries when it is fresh enough,
// otherwise from `revocation`. Fills `s` (indication TOTAL-PASSED when nothing failed) and returns the proof-of-existence
// time from the time-stamp, or 0.
std::int64_t check_signed_data(const core::Bytes& der, const std::vector<std::string_view>& content_parts,
                               const std::vector<core::Bytes>& anchors, const RevocationSource& revocation,
                               const EmbeddedEvidence& evidence, SignatureReport& s);

// The SHA-256 of content given in parts.
core::Bytes sha256_of(const std::vector<std::string_view>& parts);

// The DER object at the start of a signature's /Contents, without the zero padding after it: its length comes from
// its header (X.690 §8.1.3), so an object whose own last byte is 0x00 stays whole. Unchanged when the header cannot
// be read (the parser then says what is wrong).
core::Bytes first_der_object(const core::Bytes& contents);

}  // namespace yq::validation
