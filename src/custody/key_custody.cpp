#include "custody/key_custody.hpp"

#include <argon2.h>
#include <openssl/evp.h>

#include <cstdio>
#include <optional>

#include "core/error.hpp"
#include "core/kdf_slots.hpp"

namespace yq::custody {

namespace {

constexpr std::size_t kSaltBytes = 16, kKeyBytes = 32, kIvBytes = 12, kTagBytes = 16;

core::Bytes aad_for(const std::string& credential_id, keystore::KeyType type, int version) {
    std::string aad = credential_id + "|" + keystore::key_type_name(type) + "|v" + std::to_string(version);
    return core::Bytes(aad.begin(), aad.end());
}

struct CipherCtxFree {
    void operator()(EVP_CIPHER_CTX* c) const noexcept { EVP_CIPHER_CTX_free(c); }
};

// AES-256-GCM in software with K_user (K_user exists only in memory, derived per request): iv ‖ ciphertext ‖ tag.
core::Bytes gcm_seal(const core::SecureBytes& key, const core::SecureBytes& plaintext, const core::Bytes& aad) {
    core::Bytes iv = core::random_bytes(kIvBytes);
    std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(EVP_CIPHER_CTX_new());
    core::Bytes out(kIvBytes + plaintext.size() + kTagBytes);
    std::copy(iv.begin(), iv.end(), out.begin());
    int len = 0, total = 0;
    bool ok = EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), iv.data()) == 1 &&
              EVP_EncryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1 &&
              EVP_EncryptUpdate(ctx.get(), out.data() + kIvBytes, &len, plaintext.data(), static_cast<int>(plaintext.size())) == 1;
    total = len;
    ok = ok && EVP_EncryptFinal_ex(ctx.get(), out.data() + kIvBytes + total, &len) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, out.data() + kIvBytes + plaintext.size()) == 1;
    if (!ok) throw Error("custody.crypto_failed", 500, "sealing the key failed");
    return out;
}

std::optional<core::SecureBytes> gcm_open(const core::SecureBytes& key, const core::Bytes& sealed, const core::Bytes& aad) {
    if (sealed.size() < kIvBytes + kTagBytes) return std::nullopt;
    std::size_t n = sealed.size() - kIvBytes - kTagBytes;
    std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(EVP_CIPHER_CTX_new());
    core::SecureBytes out(n);
    int len = 0;
    core::Bytes tag(sealed.end() - kTagBytes, sealed.end());
    bool ok = EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), sealed.data()) == 1 &&
              EVP_DecryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1 &&
              EVP_DecryptUpdate(ctx.get(), out.data(), &len, sealed.data() + kIvBytes, static_cast<int>(n)) == 1 &&
              EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1 &&
              EVP_DecryptFinal_ex(ctx.get(), out.data() + len, &len) == 1;
    if (!ok) return std::nullopt;  // authentication failed: wrong key (password) or altered blob
    return out;
}

// Design step 3: blob2 opened with K_user gives blob1; nullopt when K_user does not open it (wrong password).
std::optional<core::SecureBytes> open_blob2(const SealedKey& key, const core::SecureBytes& k_user) {
    return gcm_open(k_user, key.sealed, aad_for(key.credential_id, key.key_type, key.seal_version));
}

[[noreturn]] void seal_broken() {
    throw Error("custody.seal_broken", 400, "the credential's key cannot be opened with this authorisation");
}

// blob1 from an authorisation that must open it (K_user, or a SAD's key); "custody.seal_broken" otherwise.
core::SecureBytes opened(std::optional<core::SecureBytes> blob1) {
    if (!blob1) seal_broken();
    return std::move(*blob1);
}

core::Bytes sad_aad(const std::string& sad_id, const SealedKey& key) {
    return core::to_bytes("sad|" + sad_id + "|" + key.credential_id + "|" + keystore::key_type_name(key.key_type));
}

// K_sad = token_share XOR row_share: a two-of-two split, either half alone is uniformly random.
core::SecureBytes join_shares(const core::SecureBytes& token_share, const core::Bytes& row_share) {
    if (token_share.size() != kKeyBytes || row_share.size() != kKeyBytes) seal_broken();
    core::SecureBytes k(kKeyBytes);
    for (std::size_t i = 0; i < kKeyBytes; ++i) k[i] = token_share[i] ^ row_share[i];
    return k;
}

SadKey new_sad_key(const SealedKey& key, const core::SecureBytes& blob1, const std::string& sad_id) {
    SadKey out;
    core::Bytes t = core::random_bytes(kKeyBytes);
    out.token_share.assign(t.begin(), t.end());
    core::secure_wipe(t.data(), t.size());
    out.row_share = core::random_bytes(kKeyBytes);
    out.sealed_key = gcm_seal(join_shares(out.token_share, out.row_share), blob1, sad_aad(sad_id, key));
    return out;
}

core::SecureBytes open_sad_key(const SealedKey& key, const core::SecureBytes& token_share, const core::Bytes& row_share,
                               const core::Bytes& sealed_key, const std::string& sad_id) {
    return opened(gcm_open(join_shares(token_share, row_share), sealed_key, sad_aad(sad_id, key)));
}

}  // namespace

std::string KdfParams::encode() const {
    return "argon2id$t=" + std::to_string(time_cost) + "$m=" + std::to_string(memory_kib) + "$p=" + std::to_string(parallelism);
}

KdfParams KdfParams::decode(const std::string& text) {
    KdfParams p;
    unsigned t = 0, m = 0, par = 0;
    if (std::sscanf(text.c_str(), "argon2id$t=%u$m=%u$p=%u", &t, &m, &par) != 3 || t == 0 || m < 8 || par == 0)
        throw Error("custody.bad_kdf_params", 500, "stored KDF parameters are not understood: " + text);
    p.time_cost = t;
    p.memory_kib = m;
    p.parallelism = par;
    return p;
}

void KeyCustody::ensure_hsm_keys(keystore::Keystore& keys) {
    if (!keys.has_key(kKekLabel)) keys.generate_secret_key(kKekLabel, keystore::SecretKeyKind::AesWrap);
    if (!keys.has_key(kPepperLabel)) keys.generate_secret_key(kPepperLabel, keystore::SecretKeyKind::HmacSha256);
    if (!keys.has_key(kSadSealLabel)) keys.generate_secret_key(kSadSealLabel, keystore::SecretKeyKind::AesGcm);
}

core::SecureBytes KeyCustody::derive(const core::SecureString& password, const core::Bytes& salt, const KdfParams& p) {
    core::SecureBytes stretched(kKeyBytes);
    std::optional<core::KdfSlots::Slot> slot(std::in_place, core::KdfSlots::instance());
    int rc = argon2id_hash_raw(p.time_cost, p.memory_kib, p.parallelism, password.data(), password.size(), salt.data(),
                               salt.size(), stretched.data(), stretched.size());
    slot.reset();
    if (rc != ARGON2_OK) throw Error("kdf.failed", 500, std::string("Argon2id failed: ") + argon2_error_message(rc));
    // Design step 2: the HSM-held pepper makes an offline guess impossible without the HSM.
    core::Bytes mac = m_keys.hmac_sha256(kPepperLabel, stretched.data(), stretched.size());
    core::SecureBytes k_user(mac.begin(), mac.end());
    core::secure_wipe(mac.data(), mac.size());
    return k_user;
}

NewKey KeyCustody::create_key(const std::string& credential_id, keystore::KeyType type,
                              const core::SecureString& password) {
    keystore::WrappedKeyPair pair = m_keys.generate_wrapped_key_pair(kKekLabel, type);
    NewKey out;
    out.public_key_der = pair.public_key_der;
    SealedKey& s = out.sealed;
    s.credential_id = credential_id;
    s.key_type = type;
    s.salt = core::random_bytes(kSaltBytes);
    s.kdf_params = m_params.encode();
    s.seal_version = kSealVersion;
    core::SecureBytes k_user = derive(password, s.salt, m_params);
    core::SecureBytes blob1(pair.wrapped_private_key.begin(), pair.wrapped_private_key.end());
    core::secure_wipe(pair.wrapped_private_key.data(), pair.wrapped_private_key.size());
    s.sealed = gcm_seal(k_user, blob1, aad_for(credential_id, type, s.seal_version));
    return out;
}

std::optional<core::SecureBytes> KeyCustody::unlock(const SealedKey& key, const core::SecureString& password) {
    core::SecureBytes k_user = derive(password, key.salt, KdfParams::decode(key.kdf_params));
    if (!open_blob2(key, k_user)) return std::nullopt;
    return k_user;
}

std::vector<core::Bytes> KeyCustody::sign_with_blob1(const SealedKey& key, const core::SecureBytes& blob1,
                                                     const keystore::SignScheme& scheme,
                                                     const std::vector<core::Bytes>& digests) {
    core::Bytes wrapped(blob1.begin(), blob1.end());
    try {
        auto out = m_keys.sign_digests_with_wrapped(kKekLabel, wrapped, key.key_type, scheme, digests);
        core::secure_wipe(wrapped.data(), wrapped.size());
        return out;
    } catch (...) {
        core::secure_wipe(wrapped.data(), wrapped.size());
        throw;
    }
}

std::vector<core::Bytes> KeyCustody::sign(const SealedKey& key, const core::SecureBytes& k_user,
                                          const keystore::SignScheme& scheme, const std::vector<core::Bytes>& digests) {
    return sign_with_blob1(key, opened(open_blob2(key, k_user)), scheme, digests);
}

SadKey KeyCustody::seal_for_sad(const SealedKey& key, const core::SecureBytes& k_user, const std::string& sad_id) {
    return new_sad_key(key, opened(open_blob2(key, k_user)), sad_id);
}

SadKey KeyCustody::reseal_for_sad(const SealedKey& key, const core::SecureBytes& token_share,
                                  const core::Bytes& row_share, const core::Bytes& sealed_key,
                                  const std::string& old_sad_id, const std::string& new_sad_id) {
    return new_sad_key(key, open_sad_key(key, token_share, row_share, sealed_key, old_sad_id), new_sad_id);
}

std::vector<core::Bytes> KeyCustody::sign_for_sad(const SealedKey& key, const core::SecureBytes& token_share,
                                                  const core::Bytes& row_share, const core::Bytes& sealed_key,
                                                  const std::string& sad_id, const keystore::SignScheme& scheme,
                                                  const std::vector<core::Bytes>& digests, std::int64_t keep_until) {
    if (!m_kept.enabled())
        return sign_with_blob1(key, open_sad_key(key, token_share, row_share, sealed_key, sad_id), scheme, digests);
    core::Bytes proof = SadKeyCache::proof(sad_id, token_share, row_share, sealed_key);
    if (auto kept = m_kept.find(sad_id, proof)) {
        try {
            auto out = m_keys.sign_digests_with_session_key(kept->key(), scheme, digests);
            if (keep_until == 0) m_kept.forget(sad_id);
            return out;
        } catch (const Error& e) {
            if (e.code() != "hsm.session_key_gone") throw;
            m_kept.forget(sad_id);  // the HSM lost it (session closed): unwrap again below
        }
    }
    core::SecureBytes blob1 = open_sad_key(key, token_share, row_share, sealed_key, sad_id);
    if (keep_until == 0) return sign_with_blob1(key, blob1, scheme, digests);  // nothing is kept for this SAD
    core::Bytes wrapped(blob1.begin(), blob1.end());
    std::shared_ptr<SadKeyCache::Kept> kept;
    try {
        kept = std::make_shared<SadKeyCache::Kept>(m_keys, m_keys.unwrap_session_key(kKekLabel, wrapped, key.key_type));
        core::secure_wipe(wrapped.data(), wrapped.size());
    } catch (...) {
        core::secure_wipe(wrapped.data(), wrapped.size());
        throw;
    }
    auto out = m_keys.sign_digests_with_session_key(kept->key(), scheme, digests);
    m_kept.keep(sad_id, proof, std::move(kept), keep_until);
    return out;
}

SealedKey KeyCustody::reseal(const SealedKey& key, const core::SecureBytes& old_k_user,
                             const core::SecureString& new_password) {
    auto blob1 = open_blob2(key, old_k_user);
    if (!blob1) throw Error("custody.seal_broken", 400, "the credential's key cannot be opened with the old password");
    SealedKey s = key;
    s.salt = core::random_bytes(kSaltBytes);
    s.kdf_params = m_params.encode();
    s.seal_version = kSealVersion;
    core::SecureBytes k_user = derive(new_password, s.salt, m_params);
    s.sealed = gcm_seal(k_user, *blob1, aad_for(s.credential_id, s.key_type, s.seal_version));
    return s;
}

}  // namespace yq::custody
