#pragma once
// Per-user key custody, "sole control" (design: Key custody, steps 1–3, 5, 6):
//   blob1  = the private key wrapped in the HSM under the master KEK (CKM_AES_KEY_WRAP_PAD; the KEK never leaves)
//   K_user = HMAC_hsm(pepper, Argon2id(signing password, salt))   — the pepper key never leaves the HSM either
//   blob2  = AES-256-GCM(K_user, blob1, aad = credential id ‖ key type ‖ seal version)   — what the database stores
// The database alone, or database + HSM without the password, cannot produce K_user, so cannot open blob2.
// Error style: throws yq::Error; a wrong password is not an error here but an empty optional, so callers can count it.
#include <optional>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/secure_buffer.hpp"
#include "custody/sad_key_cache.hpp"
#include "keystore/keystore.hpp"

namespace yq::custody {

inline constexpr const char* kKekLabel = "yq-custody-kek";      // AES key-wrap KEK (blob1)
inline constexpr const char* kPepperLabel = "yq-custody-pepper";  // HMAC-SHA-256 pepper (K_user)
inline constexpr const char* kSadSealLabel = "yq-sad-seal";       // AES-GCM key sealing SADs
inline constexpr int kSealVersion = 1;

// Argon2id parameters travel with each sealed key so that a cost change never strands an old seal.
struct KdfParams {
    std::uint32_t time_cost = 3, memory_kib = 65536, parallelism = 1;
    std::string encode() const;                         // "argon2id$t=3$m=65536$p=1"
    static KdfParams decode(const std::string& text);   // throws "custody.bad_kdf_params"
    static KdfParams from(const core::KdfConfig& c) { return KdfParams{c.time_cost, c.memory_kib, c.parallelism}; }
};

// What the database keeps for one credential's key.
struct SealedKey {
    std::string credential_id;
    keystore::KeyType key_type = keystore::KeyType::EcP256;
    core::Bytes sealed;  // blob2
    core::Bytes salt;
    std::string kdf_params;
    int seal_version = kSealVersion;
};

// The per-SAD key (#14: a SAD carries nothing that stays valid after the SAD dies). K_sad = token_share XOR row_share,
// both 32 random bytes; blob1 sealed under K_sad (AES-256-GCM, aad = SAD id ‖ credential id ‖ key type) lives in the
// SAD's database row with row_share, and the row is deleted when the SAD is spent or expires. The token (sealed by the
// HSM) carries only token_share: after the row is gone it opens nothing, unlike K_user, which lasts as long as the
// password.
struct SadKey {
    core::SecureBytes token_share;
    core::Bytes row_share;
    core::Bytes sealed_key;
};

struct NewKey {
    SealedKey sealed;
    core::Bytes public_key_der;  // SubjectPublicKeyInfo, for the certificate
};

class KeyCustody {
public:
    // `kept_sad_keys`: how many per-SAD keys may stay unwrapped in the HSM between calls (#19; 0 = none).
    KeyCustody(keystore::Keystore& keys, const KdfParams& params, std::size_t kept_sad_keys = 0)
        : m_keys(keys), m_params(params), m_kept(kept_sad_keys) {}

    // Creates the HSM keys custody needs (KEK, pepper, SAD seal key) if missing. Idempotent.
    static void ensure_hsm_keys(keystore::Keystore& keys);

    NewKey create_key(const std::string& credential_id, keystore::KeyType type, const core::SecureString& password);

    // K_user when the password opens the seal; nullopt when it does not (wrong password).
    std::optional<core::SecureBytes> unlock(const SealedKey& key, const core::SecureString& password);

    // Signs digests with the credential's key, given K_user (from unlock). Throws "custody.seal_broken" if K_user
    // does not open the seal.
    std::vector<core::Bytes> sign(const SealedKey& key, const core::SecureBytes& k_user,
                                  const keystore::SignScheme& scheme, const std::vector<core::Bytes>& digests);

    // A fresh per-SAD key for `sad_id`: blob1 (opened with K_user) sealed under a new random K_sad.
    SadKey seal_for_sad(const SealedKey& key, const core::SecureBytes& k_user, const std::string& sad_id);
    // extendTransaction: blob1 moves from the old SAD's key to a new SAD's fresh key.
    SadKey reseal_for_sad(const SealedKey& key, const core::SecureBytes& token_share, const core::Bytes& row_share,
                          const core::Bytes& sealed_key, const std::string& old_sad_id, const std::string& new_sad_id);
    // Signs with the credential's key opened through a SAD's two shares. Throws "custody.seal_broken" when they do
    // not open it. `keep_until` > 0: the SAD lives on after this call, so its unwrapped key may stay in the HSM until
    // then (SadKeyCache); 0: this is the SAD's last use and its key is destroyed.
    std::vector<core::Bytes> sign_for_sad(const SealedKey& key, const core::SecureBytes& token_share,
                                          const core::Bytes& row_share, const core::Bytes& sealed_key,
                                          const std::string& sad_id, const keystore::SignScheme& scheme,
                                          const std::vector<core::Bytes>& digests, std::int64_t keep_until = 0);
    // The SAD died (replaced by extendTransaction, deleted): its kept key goes too.
    void forget_sad_key(const std::string& sad_id) { m_kept.forget(sad_id); }
    int forget_expired_sad_keys(std::int64_t now) { return m_kept.forget_expired(now); }
    std::size_t kept_sad_keys() { return m_kept.size(); }

    // Re-seals blob1 under a new password (fresh salt, current parameters). Needs K_user from the old password.
    SealedKey reseal(const SealedKey& key, const core::SecureBytes& old_k_user, const core::SecureString& new_password);

private:
    std::vector<core::Bytes> sign_with_blob1(const SealedKey& key, const core::SecureBytes& blob1,
                                             const keystore::SignScheme& scheme, const std::vector<core::Bytes>& digests);
    core::SecureBytes derive(const core::SecureString& password, const core::Bytes& salt, const KdfParams& params);
    keystore::Keystore& m_keys;
    KdfParams m_params;
    SadKeyCache m_kept;
};

}  // namespace yq::custody
