#pragma once
// The CA's own online services checked as a relying party would check them, for the CA administrator's page: the
// OCSP responder is asked about a certificate our issuing CA issued (RFC 6960 §4.1) and its signed answer verified to
// our root (§4.2.2.2); the TSA stamps a fresh hash with a nonce (RFC 3161 §2.4) and the token is verified to our root
// with its imprint. Both go through the HSM, so a key or token problem shows here.
#include <string>

#include "pki/certificate_authority.hpp"
#include "pki/ocsp_responder.hpp"
#include "pki/time_stamp_authority.hpp"

namespace yq::validation {

struct SelfTestResult {
    bool ok = false;
    std::string detail;  // what the answer said, or why the test failed
    double milliseconds = 0;
};

SelfTestResult ocsp_self_test(pki::CertificateAuthority& ca, pki::OcspResponder& ocsp, std::int64_t now);
SelfTestResult tsa_self_test(pki::CertificateAuthority& ca, pki::TimeStampAuthority& tsa, std::int64_t now);

}  // namespace yq::validation
