#include "pki/time_stamp_authority.hpp"

#include "core/error.hpp"

namespace yq::pki {

namespace {

struct CallbackState {
    CertificateAuthority* ca;
};

// RFC 3161 §2.4.2: serialNumber unique per TSA; a database counter keeps it unique across nodes.
ASN1_INTEGER* next_serial(TS_RESP_CTX* ctx, void* data) {
    auto* state = static_cast<CallbackState*>(data);
    try {
        ASN1_INTEGER* serial = ASN1_INTEGER_new();
        ASN1_INTEGER_set_int64(serial, state->ca->store().next_tsa_serial());
        return serial;
    } catch (const Error&) {
        TS_RESP_CTX_set_status_info(ctx, TS_STATUS_REJECTION, "serial number unavailable");
        TS_RESP_CTX_add_failure_info(ctx, TS_INFO_SYSTEM_FAILURE);
        return nullptr;
    }
}

int current_time(TS_RESP_CTX*, void* data, long* seconds, long* microseconds) {
    auto* state = static_cast<CallbackState*>(data);
    auto now = state->ca->clock().now();
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
    *seconds = static_cast<long>(us / 1000000);
    *microseconds = static_cast<long>(us % 1000000);
    return 1;
}

}  // namespace

TimeStampAuthority::TimeStampAuthority(CertificateAuthority& ca) : m_ca(ca) {}

core::Bytes TimeStampAuthority::respond(const core::Bytes& query_der) {
    TsRespCtxPtr ctx(TS_RESP_CTX_new());
    CallbackState state{&m_ca};
    X509* signer = m_ca.certificate_of("tsa");
    if (TS_RESP_CTX_set_signer_cert(ctx.get(), signer) != 1 ||
        TS_RESP_CTX_set_signer_key(ctx.get(), m_ca.keys().private_key(kTsaKeyLabel)) != 1)
        throw Error("tsa.unavailable", 503, "the TSA signing key is not usable: " + openssl_errors());
    StackX509Ptr chain(sk_X509_new_null(), [](STACK_OF(X509)* s) { sk_X509_free(s); });
    sk_X509_push(chain.get(), m_ca.issuing_certificate());
    sk_X509_push(chain.get(), m_ca.root_certificate());
    TS_RESP_CTX_set_certs(ctx.get(), chain.get());  // included when the query sets certReq (RFC 3161 §2.4.1)
    Asn1ObjectPtr policy(OBJ_txt2obj(m_ca.config().tsa.policy_oid.c_str(), 1));
    if (!policy) throw Error("config.invalid", 500, "tsa.policy_oid is not a valid OID");
    TS_RESP_CTX_set_def_policy(ctx.get(), policy.get());
    TS_RESP_CTX_add_md(ctx.get(), EVP_sha256());
    TS_RESP_CTX_add_md(ctx.get(), EVP_sha384());
    TS_RESP_CTX_add_md(ctx.get(), EVP_sha512());
    TS_RESP_CTX_set_signer_digest(ctx.get(), EVP_sha256());
    TS_RESP_CTX_set_ess_cert_id_digest(ctx.get(), EVP_sha256());  // RFC 5816 ESSCertIDv2
    TS_RESP_CTX_set_accuracy(ctx.get(), m_ca.config().tsa.accuracy_seconds, 0, 0);
    TS_RESP_CTX_set_clock_precision_digits(ctx.get(), 3);
    TS_RESP_CTX_set_serial_cb(ctx.get(), next_serial, &state);
    TS_RESP_CTX_set_time_cb(ctx.get(), current_time, &state);

    BioPtr in(BIO_new_mem_buf(query_der.data(), static_cast<int>(query_der.size())));
    TsResponsePtr resp(TS_RESP_create_response(ctx.get(), in.get()));
    if (!resp) throw Error("tsa.failed", 500, "the time-stamp response could not be built: " + openssl_errors());
    openssl_errors();
    int len = i2d_TS_RESP(resp.get(), nullptr);
    core::Bytes der(static_cast<std::size_t>(std::max(len, 0)));
    unsigned char* p = der.data();
    i2d_TS_RESP(resp.get(), &p);
    return der;
}

}  // namespace yq::pki
