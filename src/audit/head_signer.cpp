#include "audit/head_signer.hpp"

namespace yq::audit {

std::optional<HeadSignature> sign_head(AuditReader& reader, keystore::Keystore& keys, const std::string& key_label,
                                       const core::Clock& clock) {
    auto head = reader.head();
    if (!head) return std::nullopt;
    auto existing = reader.head_signatures();
    if (!existing.empty() && existing.back().seq >= head->seq) return std::nullopt;
    keystore::SignScheme scheme{keystore::SignScheme::Kind::Ecdsa, keystore::HashAlg::Sha256, 0};
    core::Bytes digest = head_signature_digest(head->seq, head->hash);
    HeadSignature s{head->seq, head->hash, keys.sign_digest(key_label, scheme, digest), clock.unix_seconds()};
    reader.store_head_signature(s);
    return s;
}

}  // namespace yq::audit
