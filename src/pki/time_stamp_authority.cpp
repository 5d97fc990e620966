#include "pki/time_stamp_authority.hpp"

#include <spdlog/spdlog.h>

#include "core/error.hpp"

namespace yq::pki {

namespace {

struct CallbackState {
    CaStore& store;
    const core::Clock& clock;
    std::int64_t accuracy_ms;
    std::int64_t gen_time_us = 0;  // read once, in next_serial, so that the token's time is the one checked
};

// RFC 3161 §2.4.2: serialNumber unique per TSA; a database counter keeps it unique across nodes. OpenSSL asks for the
// serial before the time (ts_rsp_sign.c), so the clock is read and checked here: genTime is the time the token was
// made, and a node whose clock went back (beyond the accuracy the tokens claim) must not date a token before one any
// node already issued (#17) — it refuses with failInfo timeNotAvailable until its clock has caught up.
ASN1_INTEGER* next_serial(TS_RESP_CTX* ctx, void* data) {
    auto* state = static_cast<CallbackState*>(data);
    try {
        state->gen_time_us =
            std::chrono::duration_cast<std::chrono::microseconds>(state->clock.now().time_since_epoch()).count();
        const std::int64_t now_ms = state->gen_time_us / 1000;
        auto next = state->store.next_tsa_serial(now_ms);
        if (now_ms + state->accuracy_ms < next.latest_gen_time_ms) {
            spdlog::error("the TSA refused a time-stamp: this node's clock is {} ms behind the latest token's time",
                          next.latest_gen_time_ms - now_ms);
            TS_RESP_CTX_set_status_info(ctx, TS_STATUS_REJECTION, "the time source is behind the last time-stamp issued");
            TS_RESP_CTX_add_failure_info(ctx, TS_INFO_TIME_NOT_AVAILABLE);
            return nullptr;
        }
        ASN1_INTEGER* serial = ASN1_INTEGER_new();
        ASN1_INTEGER_set_int64(serial, next.serial);
        return serial;
    } catch (const Error&) {
        TS_RESP_CTX_set_status_info(ctx, TS_STATUS_REJECTION, "serial number unavailable");
        TS_RESP_CTX_add_failure_info(ctx, TS_INFO_SYSTEM_FAILURE);
        return nullptr;
    }
}

int current_time(TS_RESP_CTX*, void* data, long* seconds, long* microseconds) {
    auto* state = static_cast<CallbackState*>(data);
    *seconds = static_cast<long>(state->gen_time_us / 1000000);
    *microseconds = static_cast<long>(state->gen_time_us % 1000000);
    return 1;
}

}  // namespace

TimeStampAuthority::TimeStampAuthority(CertificateAuthority& ca) : m_ca(ca) {}

core::Bytes TimeStampAuthority::respond(const core::Bytes& query_der) {
    TsRespCtxPtr ctx(TS_RESP_CTX_new());
    CallbackState state{m_ca.store(), m_ca.clock(), static_cast<std::int64_t>(m_ca.config().tsa.accuracy_seconds) * 1000};
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

core::Bytes TimeStampAuthority::stamp_hash(const core::Bytes& hash, const std::string& hash_name, const std::string& nonce) {
    const EVP_MD* md = EVP_get_digestbyname(hash_name.c_str());
    if (md == nullptr || static_cast<std::size_t>(EVP_MD_get_size(md)) != hash.size())
        throw Error("tsa.bad_hash", 400, "the hash does not match the hash algorithm");
    TsRequestPtr req(TS_REQ_new());
    TS_REQ_set_version(req.get(), 1);
    OsslPtr<TS_MSG_IMPRINT, TS_MSG_IMPRINT_free> imprint(TS_MSG_IMPRINT_new());
    OsslPtr<X509_ALGOR, X509_ALGOR_free> alg(X509_ALGOR_new());
    X509_ALGOR_set_md(alg.get(), md);
    TS_MSG_IMPRINT_set_algo(imprint.get(), alg.get());
    TS_MSG_IMPRINT_set_msg(imprint.get(), const_cast<unsigned char*>(hash.data()), static_cast<int>(hash.size()));
    TS_REQ_set_msg_imprint(req.get(), imprint.get());
    TS_REQ_set_cert_req(req.get(), 1);
    if (!nonce.empty()) {
        BIGNUM* bn = nullptr;
        if (nonce.size() > 40 || nonce.find_first_not_of("0123456789") != std::string::npos || !BN_dec2bn(&bn, nonce.c_str()))
            throw Error("tsa.bad_nonce", 400, "the nonce must be a decimal number");
        BignumPtr owned(bn);
        Asn1IntegerPtr n(BN_to_ASN1_INTEGER(owned.get(), nullptr));
        TS_REQ_set_nonce(req.get(), n.get());
    }
    int len = i2d_TS_REQ(req.get(), nullptr);
    core::Bytes der(static_cast<std::size_t>(len));
    unsigned char* p = der.data();
    i2d_TS_REQ(req.get(), &p);
    core::Bytes reply = respond(der);
    const unsigned char* q = reply.data();
    TsResponsePtr resp(d2i_TS_RESP(nullptr, &q, static_cast<long>(reply.size())));
    if (!resp) throw Error("tsa.rejected", 500, "the time-stamp authority refused the request");
    const TS_STATUS_INFO* status = TS_RESP_get_status_info(resp.get());
    if (ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(status)) > TS_STATUS_GRANTED_WITH_MODS) {
        const ASN1_BIT_STRING* failure = TS_STATUS_INFO_get0_failure_info(status);
        if (failure && ASN1_BIT_STRING_get_bit(failure, TS_INFO_TIME_NOT_AVAILABLE))
            throw Error("tsa.time_not_available", 503,
                        "the time-stamp authority's clock is behind the last time-stamp issued; try again later");
        throw Error("tsa.rejected", 500, "the time-stamp authority refused the request");
    }
    PKCS7* token = TS_RESP_get_token(resp.get());
    int tlen = i2d_PKCS7(token, nullptr);
    core::Bytes out(static_cast<std::size_t>(tlen));
    unsigned char* t = out.data();
    i2d_PKCS7(token, &t);
    return out;
}

}  // namespace yq::pki
