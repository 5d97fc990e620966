#pragma once
// Which key `yunqian audit verify` trusts for the audit chain's head signatures (#14): never a key read from the
// database alone — whoever can rewrite the chain can rewrite a key stored next to it. The audit certificate (from the
// database) must chain, through the issuing CA's certificate, to a root anchored outside the database: the root
// certificate the operator gives (as published in the repository), or by default the stored root certificate whose
// public key is the HSM's own root key (the database cannot change what the HSM holds).
// Error style: throws yq::Error "audit.untrusted_key" saying which link failed.
#include <optional>
#include <string>

#include "core/bytes.hpp"
#include "keystore/keystore.hpp"
#include "pki/ca_store.hpp"

namespace yq::pki {

struct AuditTrust {
    core::Bytes audit_public_key;  // SubjectPublicKeyInfo DER of the audit certificate, once its chain verified
    core::Bytes root_der;          // the anchor (for time-stamp tokens too)
    core::Bytes issuing_der;
    std::string anchor;  // how the root was anchored, for the report
};

AuditTrust trusted_audit_key(CaStore& store, keystore::Keystore& keys, const std::optional<core::Bytes>& root_der,
                             std::int64_t now);

// The same trust for another internal service key: `material` "transparency" (the signing log's heads, #18). Throws
// "<material>.untrusted_key"; `audit_public_key` then holds that service's key.
AuditTrust trusted_service_key(CaStore& store, keystore::Keystore& keys, const std::string& material,
                               const std::optional<core::Bytes>& root_der, std::int64_t now);

}  // namespace yq::pki
