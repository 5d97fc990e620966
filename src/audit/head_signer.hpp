#pragma once
// Signs the audit chain head with the HSM audit key, so that rewriting the whole chain after the fact (which a rogue
// DBA could do, recomputing every hash) is caught by `yunqian audit verify`.
#include <optional>

#include "audit/event.hpp"
#include "core/clock.hpp"
#include "keystore/keystore.hpp"

namespace yq::audit {

// Signs the current head if it moved since the last signature; returns the signature written, if any.
std::optional<HeadSignature> sign_head(AuditReader& reader, keystore::Keystore& keys, const std::string& key_label,
                                       const core::Clock& clock);

}  // namespace yq::audit
