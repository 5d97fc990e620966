#pragma once
// Signature Activation Data (design: Key custody step 5; CSC API §11.6 "SAD"): an opaque token sealed with an HSM-held
// AES-GCM key, carrying the SAD id, the credential and account it is bound to, the token's share of the per-SAD key
// (custody::SadKey — never K_user, which would outlive the SAD), the digest of the bound hash list (SCAL2), the number
// of signatures and the expiry. The database row holds the other share, the remaining count and which bound hashes are
// signed, so two nodes cannot over-spend it. Nothing in the token is readable or changeable without the HSM.
#include <cstdint>
#include <string>

#include "core/bytes.hpp"
#include "core/secure_buffer.hpp"
#include "keystore/keystore.hpp"

namespace yq::custody {

struct SadClaims {
    std::string sad_id;
    std::string credential_id;
    std::string account_id;
    core::SecureBytes token_share;  // custody::SadKey::token_share
    core::Bytes hashes_digest;  // SHA-256 over the bound hashes in order; empty = not hash-bound (SCAL1)
    std::int64_t expires_at = 0;
    std::int32_t num_signatures = 0;
};

std::string seal_sad(keystore::Keystore& keys, const SadClaims& claims);
// Throws Error "custody.invalid_sad" for anything that is not a SAD this HSM sealed.
SadClaims open_sad(keystore::Keystore& keys, const std::string& token);

// The digest the SAD binds: SHA-256 over (count ‖ each hash with its length), so order and boundaries count.
core::Bytes bound_hashes_digest(const std::vector<core::Bytes>& hashes);

}  // namespace yq::custody
