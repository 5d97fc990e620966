#pragma once
// The validation report: one entry per signature or document time-stamp, with an indication in the spirit of
// ETSI TS 119 102-2 (PASSED / INDETERMINATE / FAILED and a sub-indication that says why), as JSON and as short text.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace yq::validation {

struct SignatureReport {
    std::string field;
    std::string kind;           // signature | document time-stamp
    std::string sub_filter;
    std::string indication;     // PASSED | INDETERMINATE | FAILED
    std::string sub_indication; // e.g. HASH_FAILURE, SIG_CRYPTO_FAILURE, NO_CERTIFICATE_CHAIN_FOUND, REVOKED
    std::vector<std::string> details;  // what was checked, in words
    std::string signer;         // subject of the signer (or TSA) certificate
    std::vector<std::string> chain;  // subjects from the signer's certificate up to the trust anchor, when it chains
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
    std::vector<SignatureReport> signatures;
    std::string problem;  // when the file could not be read at all

    bool all_passed() const;
};

nlohmann::json to_json(const Report& r);
std::string to_text(const Report& r);

}  // namespace yq::validation
