#pragma once
// The validation report: one entry per signature or document time-stamp, with the main indication of ETSI EN 319 102-1
// §5.1.3 (TOTAL-PASSED / TOTAL-FAILED / INDETERMINATE) and its sub-indication (§5.1.3 Table 5/6: HASH_FAILURE,
// REVOKED, NO_CERTIFICATE_CHAIN_FOUND, …), as JSON and as short text.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/bytes.hpp"

namespace yq::validation {

// EN 319 102-1 §5.1.3, Table 4: the main status indications.
inline constexpr const char* kTotalPassed = "TOTAL-PASSED";
inline constexpr const char* kTotalFailed = "TOTAL-FAILED";
inline constexpr const char* kIndeterminate = "INDETERMINATE";

// One line of a signature's technical details: a code the pages translate (verify.detail_texts.<code>, whose {name}
// placeholders take `params`) and the English sentence the JSON and text reports carry.
struct Detail {
    std::string code;
    std::string text;
    std::vector<std::pair<std::string, std::string>> params = {};
};

struct SignatureReport {
    std::string field;
    std::string kind;           // signature | document time-stamp
    std::string sub_filter;
    std::string indication;     // kTotalPassed | kTotalFailed | kIndeterminate
    std::string sub_indication; // e.g. HASH_FAILURE, SIG_CRYPTO_FAILURE, NO_CERTIFICATE_CHAIN_FOUND, REVOKED
    std::vector<Detail> details;  // what was checked
    std::string signer;         // subject of the signer (or TSA) certificate
    std::vector<std::string> chain;  // subjects from the signer's certificate up to the trust anchor, when it chains
    std::vector<core::Bytes> chain_der;  // the same certificates (DER), for the ETSI report's validation objects
    core::Bytes signer_certificate;      // DER of the signer's (or TSA's) certificate, when found
    std::string claimed_time;   // /M
    std::string timestamp_time; // genTime of the signature (or document) time-stamp, RFC 3339
    std::string revocation;     // "good (embedded OCSP response)": status and where it came from, for reading
    std::string revocation_status;  // good | revoked | unknown (empty: not checked)
    std::string revocation_source;  // yunqian CA records | embedded OCSP response | embedded CRL
    bool covers_whole_document = false;
    std::string level;          // B-B | B-T | B-LT | B-LTA (signatures)
    // SHA-256 (hex) of the bytes this signature covers (its ByteRange): what the CMS messageDigest must equal, and
    // what a signature's public record names (#16: a file carries the signature of a record when they agree)
    std::string byte_range_sha256;
};

struct Report {
    std::string file_sha256;
    std::string validation_time;  // RFC 3339: when this validation ran (EN 319 102-1 §5.1.2's validation time: now)
    std::vector<SignatureReport> signatures;
    std::string problem;  // when the file could not be read at all

    bool all_passed() const;
};

// EN 319 102-1 §5.6.2.4 "best-signature-time": the earliest time the signature is proven to have existed — its
// signature time-stamp's genTime, otherwise the validation time.
std::string best_signature_time(const Report& r, const SignatureReport& s);

nlohmann::json to_json(const Report& r);
std::string to_text(const Report& r);

}  // namespace yq::validation
