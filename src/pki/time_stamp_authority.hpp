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

private:
    CertificateAuthority& m_ca;
};

}  // namespace yq::pki
