#include "pki/chain_check.hpp"

#include <openssl/err.h>
#include <openssl/x509_vfy.h>

#include "core/error.hpp"
#include "pki/openssl_ptr.hpp"

namespace yq::pki {

namespace {
void free_stack(STACK_OF(X509) * s) { sk_X509_free(s); }  // a macro in OpenSSL: wrapped for OsslPtr
}  // namespace

std::string service_chain_problem(const core::Bytes& leaf_der, const core::Bytes& issuing_der,
                                  const core::Bytes& root_der, std::int64_t now) {
    X509Ptr root = certificate_from_der(root_der), issuing = certificate_from_der(issuing_der),
            leaf = certificate_from_der(leaf_der);
    OsslPtr<X509_STORE, X509_STORE_free> anchors(X509_STORE_new());
    X509_STORE_add_cert(anchors.get(), root.get());
    X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(anchors.get()), static_cast<time_t>(now));
    OsslPtr<STACK_OF(X509), free_stack> untrusted(sk_X509_new_null());
    sk_X509_push(untrusted.get(), issuing.get());
    OsslPtr<X509_STORE_CTX, X509_STORE_CTX_free> ctx(X509_STORE_CTX_new());
    if (X509_STORE_CTX_init(ctx.get(), anchors.get(), leaf.get(), untrusted.get()) == 1 &&
        X509_verify_cert(ctx.get()) == 1)
        return "";
    std::string why = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
    ERR_clear_error();
    return why;
}

std::string presented_chain_problem(const core::Bytes& leaf_der, const core::Bytes& issuing_der,
                                    const core::Bytes& root_der, std::int64_t now) {
    try {
        return service_chain_problem(leaf_der, issuing_der, root_der, now);
    } catch (const Error&) {
        return "a certificate of the chain, or the root given, cannot be read";
    }
}

core::Bytes public_key_of(const core::Bytes& certificate_der) {
    X509Ptr cert = certificate_from_der(certificate_der);
    EVP_PKEY* pub = X509_get0_pubkey(cert.get());
    int len = pub ? i2d_PUBKEY(pub, nullptr) : -1;
    if (len <= 0) throw_bad_input("pki.bad_certificate", "the certificate carries no readable public key");
    core::Bytes der(static_cast<std::size_t>(len));
    unsigned char* p = der.data();
    i2d_PUBKEY(pub, &p);
    return der;
}

}  // namespace yq::pki
