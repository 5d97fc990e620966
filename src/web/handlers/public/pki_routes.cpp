#include "web/handlers/public/pki_routes.hpp"

#include "core/error.hpp"

namespace yq::web {

namespace {

Response der_response(const char* content_type, const core::Bytes& der) {
    return Response::bytes(content_type, std::string(der.begin(), der.end()));
}

Response ocsp_answer(const core::Bytes& der) {
    // RFC 6960 Appendix A.1: the response is application/ocsp-response
    return der_response("application/ocsp-response", der);
}

}  // namespace

void register_pki_routes(Router& router, pki::CertificateAuthority& ca, pki::OcspResponder& ocsp,
                         pki::TimeStampAuthority& tsa, const PkiRouteLimits& limits) {
    // RFC 5280 §4.2.2.1 caIssuers: a single DER certificate, application/pkix-cert (RFC 2585 §4.1)
    router.add("GET", "/repo/root.crt",
               [&ca](const Request&) { return der_response("application/pkix-cert", pki::to_der(ca.root_certificate())); },
               Execution::Inline, "repo");
    router.add("GET", "/repo/issuing.crt",
               [&ca](const Request&) { return der_response("application/pkix-cert", pki::to_der(ca.issuing_certificate())); },
               Execution::Inline, "repo");
    router.add("GET", "/repo/ocsp.crt",
               [&ca](const Request&) { return der_response("application/pkix-cert", pki::to_der(ca.certificate_of("ocsp"))); },
               Execution::Inline, "repo");
    router.add("GET", "/repo/tsa.crt",
               [&ca](const Request&) { return der_response("application/pkix-cert", pki::to_der(ca.certificate_of("tsa"))); },
               Execution::Inline, "repo");
    router.add("GET", "/repo/chain.pem",
               [&ca](const Request&) {
                   return Response::bytes("application/pem-certificate-chain",
                                          pki::to_pem(ca.issuing_certificate()) + pki::to_pem(ca.root_certificate()));
               },
               Execution::Inline, "repo");
    router.add("GET", "/repo/issuing.crl",
               [&ca](const Request&) {
                   auto crl = ca.latest_crl();
                   if (!crl) throw_not_found("ca.no_crl", "no CRL has been published yet");
                   Response r = der_response("application/pkix-crl", crl->der);  // RFC 2585 §4.2
                   return r;
               },
               Execution::Blocking, "repo");

    auto post_ocsp = [&ocsp, limits](const Request& req) {
        if (req.body.size() > limits.max_ocsp_request_bytes)
            return ocsp_answer(pki::ocsp_error_response(OCSP_RESPONSE_STATUS_MALFORMEDREQUEST));
        return ocsp_answer(ocsp.respond(core::Bytes(req.body.begin(), req.body.end())));
    };
    router.add("POST", "/ocsp", post_ocsp, Execution::Inline, "ocsp");
    router.add("POST", "/ocsp/", post_ocsp, Execution::Inline, "ocsp");
    // RFC 6960 Appendix A.1: GET {url}/{url-encoding of base-64 encoding of the DER OCSPRequest}
    router.add("GET", "/ocsp/*",
               [&ocsp, limits](const Request& req) {
                   std::string b64 = req.path.substr(std::string("/ocsp/").size());
                   if (b64.size() > limits.max_ocsp_request_bytes * 2)
                       return ocsp_answer(pki::ocsp_error_response(OCSP_RESPONSE_STATUS_MALFORMEDREQUEST));
                   core::Bytes der;
                   try {
                       der = core::base64_decode(b64);
                   } catch (const Error&) {
                       return ocsp_answer(pki::ocsp_error_response(OCSP_RESPONSE_STATUS_MALFORMEDREQUEST));
                   }
                   return ocsp_answer(ocsp.respond(der));
               },
               Execution::Inline, "ocsp");

    // RFC 3161 §3.4: application/timestamp-query → application/timestamp-reply
    router.add("POST", "/tsa",
               [&tsa, limits](const Request& req) {
                   if (req.body.size() > limits.max_tsa_request_bytes)
                       throw Error("tsa.request_too_large", 413, "the time-stamp request is larger than allowed");
                   core::Bytes reply = tsa.respond(core::Bytes(req.body.begin(), req.body.end()));
                   return der_response("application/timestamp-reply", reply);
               },
               Execution::Blocking, "tsa");
}

}  // namespace yq::web
