#include "pki/audit_trust.hpp"

#include <openssl/err.h>
#include <openssl/x509_vfy.h>

#include "core/error.hpp"
#include "pki/certificate_authority.hpp"
#include "pki/openssl_ptr.hpp"

namespace yq::pki {

namespace {

[[noreturn]] void untrusted(const std::string& why) {
    throw Error("audit.untrusted_key", 500, "the audit key is not trusted: " + why);
}

core::Bytes spki_of(X509* cert) {
    EVP_PKEY* pub = X509_get0_pubkey(cert);
    int len = pub ? i2d_PUBKEY(pub, nullptr) : -1;
    if (len <= 0) untrusted("a certificate carries no readable public key");
    core::Bytes der(static_cast<std::size_t>(len));
    unsigned char* p = der.data();
    i2d_PUBKEY(pub, &p);
    return der;
}

void free_stack(STACK_OF(X509) * s) { sk_X509_free(s); }  // a macro in OpenSSL: wrapped for OsslPtr

core::Bytes material(CaStore& store, const char* name) {
    auto m = store.ca_material(name);
    if (!m) untrusted(std::string("the database holds no '") + name + "' certificate");
    return m->certificate_der;
}

}  // namespace

AuditTrust trusted_audit_key(CaStore& store, keystore::Keystore& keys, const std::optional<core::Bytes>& root_der,
                             std::int64_t now) {
    AuditTrust t;
    t.issuing_der = material(store, "issuing");
    core::Bytes audit_der = material(store, "audit");
    if (root_der) {
        t.root_der = *root_der;
        t.anchor = "the root certificate given";
    } else {
        t.root_der = material(store, "root");
        X509Ptr stored_root = certificate_from_der(t.root_der);
        if (spki_of(stored_root.get()) != keys.public_key_der(kRootKeyLabel))  // public values: a plain comparison
            untrusted("the stored root certificate does not carry the HSM's root key (the database was altered)");
        t.anchor = "the HSM's root key";
    }
    X509Ptr root = certificate_from_der(t.root_der), issuing = certificate_from_der(t.issuing_der),
            audit = certificate_from_der(audit_der);

    // RFC 5280 §6: audit ← issuing ← root, at `now`; the root is the only anchor (no partial chains).
    OsslPtr<X509_STORE, X509_STORE_free> anchors(X509_STORE_new());
    X509_STORE_add_cert(anchors.get(), root.get());
    X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(anchors.get()), static_cast<time_t>(now));
    OsslPtr<STACK_OF(X509), free_stack> untrusted_certs(sk_X509_new_null());
    sk_X509_push(untrusted_certs.get(), issuing.get());
    OsslPtr<X509_STORE_CTX, X509_STORE_CTX_free> ctx(X509_STORE_CTX_new());
    bool ok = X509_STORE_CTX_init(ctx.get(), anchors.get(), audit.get(), untrusted_certs.get()) == 1 &&
              X509_verify_cert(ctx.get()) == 1;
    if (!ok) {
        std::string why = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
        ERR_clear_error();
        untrusted("the audit certificate does not chain to " + t.anchor + " (" + why + ")");
    }
    t.audit_public_key = spki_of(audit.get());
    return t;
}

}  // namespace yq::pki
