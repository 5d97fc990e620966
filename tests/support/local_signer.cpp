#include "support/local_signer.hpp"

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace yq::test {

namespace {

pki::EvpPkeyPtr new_key(const std::string& type) {
    return pki::EvpPkeyPtr(type == "EC" ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")
                                        : EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048)));
}

pki::X509Ptr new_cert(EVP_PKEY* subject_key, const std::string& cn, X509* issuer, EVP_PKEY* issuer_key, long serial,
                      Validity validity, std::initializer_list<std::pair<int, const char*>> extensions) {
    pki::X509Ptr c(X509_new());
    X509_set_version(c.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(c.get()), serial);
    X509_gmtime_adj(X509_getm_notBefore(c.get()), validity.not_before);
    X509_gmtime_adj(X509_getm_notAfter(c.get()), validity.not_after);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(c.get()), "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
    X509_set_issuer_name(c.get(), issuer ? X509_get_subject_name(issuer) : X509_get_subject_name(c.get()));
    X509_set_pubkey(c.get(), subject_key);
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer ? issuer : c.get(), c.get(), nullptr, nullptr, 0);
    for (auto [nid, value] : extensions) {
        X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
        X509_add_ext(c.get(), ext, -1);
        X509_EXTENSION_free(ext);
    }
    X509_sign(c.get(), issuer_key, EVP_sha256());
    return c;
}

}  // namespace

LocalSigner make_local_signer(const std::string& type, const std::string& common_name, Validity validity) {
    LocalSigner s;
    s.ca_key = new_key(type);
    s.ca_cert = new_cert(s.ca_key.get(), "yunqian test CA for " + common_name, nullptr, s.ca_key.get(), 1, {-864000, 864000},
                         {{NID_basic_constraints, "critical,CA:TRUE"}, {NID_key_usage, "critical,keyCertSign,cRLSign"},
                          {NID_subject_key_identifier, "hash"}});
    s.key = new_key(type);
    s.cert = new_cert(s.key.get(), common_name, s.ca_cert.get(), s.ca_key.get(), 7, validity,
                      {{NID_basic_constraints, "critical,CA:FALSE"},
                       {NID_key_usage, "critical,digitalSignature,nonRepudiation"},
                       {NID_subject_key_identifier, "hash"},
                       {NID_authority_key_identifier, "keyid"}});
    return s;
}

core::Bytes make_crl(const LocalSigner& signer, std::int64_t issued_at, std::int64_t revoked_at) {
    pki::X509CrlPtr crl(X509_CRL_new());
    X509_CRL_set_version(crl.get(), 1);  // v2
    X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(signer.ca_cert.get()));
    pki::Asn1TimePtr last(ASN1_TIME_set(nullptr, static_cast<time_t>(issued_at)));
    pki::Asn1TimePtr next(ASN1_TIME_set(nullptr, static_cast<time_t>(issued_at + 7 * 86400)));
    X509_CRL_set1_lastUpdate(crl.get(), last.get());
    X509_CRL_set1_nextUpdate(crl.get(), next.get());
    if (revoked_at > 0) {
        X509_REVOKED* entry = X509_REVOKED_new();
        X509_REVOKED_set_serialNumber(entry, X509_get_serialNumber(signer.cert.get()));
        pki::Asn1TimePtr when(ASN1_TIME_set(nullptr, static_cast<time_t>(revoked_at)));
        X509_REVOKED_set_revocationDate(entry, when.get());
        X509_CRL_add0_revoked(crl.get(), entry);
    }
    X509_CRL_sort(crl.get());
    X509_CRL_sign(crl.get(), signer.ca_key.get(), EVP_sha256());
    unsigned char* out = nullptr;
    int len = i2d_X509_CRL(crl.get(), &out);
    core::Bytes der(out, out + len);
    OPENSSL_free(out);
    return der;
}

core::Bytes sign_digest(EVP_PKEY* key, const core::Bytes& digest) {
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key, nullptr);
    EVP_PKEY_sign_init(ctx);
    if (EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA) EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256());
    std::size_t len = 0;
    EVP_PKEY_sign(ctx, nullptr, &len, digest.data(), digest.size());
    core::Bytes sig(len);
    EVP_PKEY_sign(ctx, sig.data(), &len, digest.data(), digest.size());
    sig.resize(len);
    EVP_PKEY_CTX_free(ctx);
    return sig;
}

}  // namespace yq::test
