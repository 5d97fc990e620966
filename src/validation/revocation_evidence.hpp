#pragma once
// Revocation evidence a signature carries with it — the PDF's DSS (ETSI EN 319 142-1 §5.4.2) or the CAdES
// revocation-values attribute (RFC 5126 §6.3.4) — and the status of one certificate according to it.
#include <cstdint>
#include <optional>
#include <vector>

#include <openssl/cms.h>
#include <openssl/x509.h>

#include "core/bytes.hpp"
#include "validation/checks.hpp"

namespace yq::validation {

struct EmbeddedEvidence {
    std::vector<core::Bytes> certificates;
    std::vector<core::Bytes> ocsp_responses;  // OCSPResponse or BasicOCSPResponse DER
    std::vector<core::Bytes> crls;
};

// RFC 5126 §6.3.3–6.3.4: the certificate-values and revocation-values unsigned attributes of a SignerInfo.
EmbeddedEvidence cades_validation_values(CMS_SignerInfo* si);

// The status of `cert` from evidence signed by its issuer (CRLs, RFC 5280 §6.3) or by a responder the issuer
// authorised (RFC 6960 §4.2.2.2, checked by OpenSSL against `store`) that is fresh for `fresh_from` (the signature's
// proof of existence: no later than the evidence's nextUpdate). Empty when nothing applies.
std::optional<RevocationStatus> embedded_status(X509* cert, X509* issuer, const EmbeddedEvidence& evidence,
                                                X509_STORE* store, STACK_OF(X509)* untrusted, std::int64_t fresh_from);

}  // namespace yq::validation
