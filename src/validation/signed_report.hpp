#pragma once
// A validation report as evidence a third party can check (#18): the JSON report signed by the service's own
// validation key in the HSM, as a JWS (RFC 7515) in compact serialisation. The protected header carries the algorithm
// (RFC 7518 §3.1: ES256 for a P-256 key, ES384 for P-384, RS256 for RSA), "typ": "JOSE", "cty": "json" and the
// validation certificate with the issuing CA's in "x5c" (RFC 7515 §4.1.6), so any JOSE library verifies it and the
// certificate chains to the CA's published root.
// Error style: throws yq::Error "validation.*" when the key or its certificate is missing; verify_signed_report never
// throws for a bad input, it reports the first failed step.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "keystore/keystore.hpp"
#include "pades/pades_service.hpp"
#include "pki/ca_store.hpp"

namespace yq::validation {

class ReportSigner {
public:
    ReportSigner(keystore::Keystore& keys, pki::CaStore& ca_store) : m_keys(keys), m_ca_store(ca_store) {}
    // The compact JWS of `report` (its payload is the report's JSON text).
    std::string sign(const nlohmann::json& report);
    // The ETSI TS 119 102-2 XML form of a report with an enveloped XAdES-B-B signature by the same key.
    std::string sign_xml(const std::string& report_xml, std::int64_t now);
    // The PDF form of a report signed with PAdES (B-T, invisible) by the same key and certificate.
    std::string sign_pdf(const std::string& report_pdf, pades::PadesService& pades);

private:
    // The validation certificate and the issuing CA's (DER); throws 503 "validation.no_signing_key" before the first start.
    std::vector<core::Bytes> chain();

    keystore::Keystore& m_keys;
    pki::CaStore& m_ca_store;
};

struct SignedReportCheck {
    bool ok = false;
    std::string problem;  // the first step that failed
    nlohmann::json report;
    std::string signed_by;  // the validation certificate's subject
};

// Checks the JWS's signature with the certificate in its "x5c", and that certificate's chain (through the issuing CA
// in "x5c") to `root_der` at `now`.
SignedReportCheck verify_signed_report(const std::string& jws, const core::Bytes& root_der, std::int64_t now);

}  // namespace yq::validation
