#pragma once
// Public PKI surfaces: /repo (CA certificates and CRL, DER over plain HTTP as relying parties expect), /ocsp, /tsa.
#include "pki/certificate_authority.hpp"
#include "pki/ocsp_responder.hpp"
#include "pki/time_stamp_authority.hpp"
#include "web/router.hpp"

namespace yq::web {

struct PkiRouteLimits {
    std::size_t max_ocsp_request_bytes;
    std::size_t max_tsa_request_bytes;
};

void register_pki_routes(Router& router, pki::CertificateAuthority& ca, pki::OcspResponder& ocsp,
                         pki::TimeStampAuthority& tsa, const PkiRouteLimits& limits);

}  // namespace yq::web
