#pragma once
// RFC 3161 time-stamp authority with an HSM key: SHA-256/384/512 imprints, policy OID from config, accuracy, monotonic
// serials shared by all nodes, certReq honoured, ESSCertIDv2 (RFC 5816). Malformed queries get a rejection response
// (PKIStatus rejection, failInfo badDataFormat) — never an exception.
#include "pki/certificate_authority.hpp"

namespace yq::pki {

class TimeStampAuthority {
public:
    explicit TimeStampAuthority(CertificateAuthority& ca);
    core::Bytes respond(const core::Bytes& query_der);
    // A time-stamp token (RFC 3161 TimeStampToken, DER) over a hash we are given, with certReq set (CSC
    // signatures/timestamp). `nonce` is a decimal number or empty. Throws "tsa.rejected", "tsa.time_not_available" (503: this node's clock is behind the last
    // time-stamp issued, #17), "tsa.bad_hash" or "tsa.bad_nonce".
    core::Bytes stamp_hash(const core::Bytes& hash, const std::string& hash_name, const std::string& nonce);

private:
    CertificateAuthority& m_ca;
};

}  // namespace yq::pki
