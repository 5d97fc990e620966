#include "pki/audit_trust.hpp"

#include "core/error.hpp"
#include "pki/certificate_authority.hpp"
#include "pki/chain_check.hpp"

namespace yq::pki {

namespace {

struct Untrusted {
    std::string service;
    [[noreturn]] void operator()(const std::string& why) const {
        throw Error(service + ".untrusted_key", 500, "the " + service + " key is not trusted: " + why);
    }
};

}  // namespace

AuditTrust trusted_audit_key(CaStore& store, keystore::Keystore& keys, const std::optional<core::Bytes>& root_der,
                             std::int64_t now) {
    return trusted_service_key(store, keys, "audit", root_der, now);
}

AuditTrust trusted_service_key(CaStore& store, keystore::Keystore& keys, const std::string& service,
                               const std::optional<core::Bytes>& root_der, std::int64_t now) {
    const Untrusted untrusted{service};
    auto material = [&](const std::string& name) {
        auto m = store.ca_material(name);
        if (!m) untrusted("the database holds no '" + name + "' certificate");
        return m->certificate_der;
    };
    auto readable_key = [&](const core::Bytes& certificate_der) {
        try {
            return public_key_of(certificate_der);
        } catch (const Error&) {
            untrusted("a certificate carries no readable public key");
        }
    };
    AuditTrust t;
    t.issuing_der = material("issuing");
    core::Bytes audit_der = material(service);
    if (root_der) {
        t.root_der = *root_der;
        t.anchor = "the root certificate given";
    } else {
        t.root_der = material("root");
        if (readable_key(t.root_der) != keys.public_key_der(kRootKeyLabel))  // public values: a plain comparison
            untrusted("the stored root certificate does not carry the HSM's root key (the database was altered)");
        t.anchor = "the HSM's root key";
    }
    // RFC 5280 §6: service ← issuing ← root, at `now`; the root is the only anchor (no partial chains).
    std::string problem = service_chain_problem(audit_der, t.issuing_der, t.root_der, now);
    if (!problem.empty()) untrusted("the " + service + " certificate does not chain to " + t.anchor + " (" + problem + ")");
    t.audit_public_key = readable_key(audit_der);
    return t;
}

}  // namespace yq::pki
