#pragma once
// The HSM seen from the rest of yunqian. This is the only component that speaks PKCS#11 (pkcs11.h stays in the .cpp
// files). Keys are addressed by label; private keys never leave the token except wrapped under a token-held KEK.
// Error style: throws yq::Error with codes "hsm.*" (see hsm_error.hpp for the mapping from CKR_* values).
#include <cstdint>
#include <memory>
#include <string>

#include "core/bytes.hpp"
#include "core/secure_buffer.hpp"

using EVP_PKEY = struct evp_pkey_st;

namespace yq::keystore {

enum class KeyType { Rsa2048, Rsa3072, Rsa4096, EcP256, EcP384 };
KeyType parse_key_type(const std::string& name);  // "rsa-2048" … "ec-p384"; throws "hsm.bad_key_type"
std::string key_type_name(KeyType t);
bool is_rsa(KeyType t);

// ECDSA signature encodings: r ‖ s (PKCS#11 output; JWS, RFC 7518 §3.4; XML-DSig, RFC 4051 §3.3) and DER
// Ecdsa-Sig-Value (RFC 3279 §2.2.3: X.509, CMS, CSC). `coordinate`: bytes of r and of s (32 for P-256, 48 for P-384).
core::Bytes ecdsa_raw_to_der(const core::Bytes& raw);
core::Bytes ecdsa_der_to_raw(const core::Bytes& der, std::size_t coordinate);  // throws 500 "hsm.bad_signature"

enum class HashAlg { Sha256, Sha384, Sha512 };
std::size_t digest_size(HashAlg h);

// How a digest is turned into a signature.
struct SignScheme {
    enum class Kind { RsaPkcs1v15, RsaPss, Ecdsa } kind = Kind::Ecdsa;
    HashAlg hash = HashAlg::Sha256;
    std::size_t pss_salt_length = 32;  // RSASSA-PSS (RFC 8017 §8.1); MGF1 uses `hash`
};

// Each secret key has one purpose: wrapping keys (KEK), sealing data with AES-GCM, or HMAC.
enum class SecretKeyKind { AesWrap, AesGcm, HmacSha256 };

struct HsmSettings {
    std::string module_path;
    std::string token_label;
    core::SecureString user_pin;
    int session_pool_size = 8;
};

// A private key generated in the HSM as a session object and handed out only wrapped (CKM_AES_KEY_WRAP_PAD, RFC 5649)
// under a token-held KEK.
struct WrappedKeyPair {
    core::Bytes wrapped_private_key;
    core::Bytes public_key_der;  // SubjectPublicKeyInfo
};

// A private key unwrapped into the HSM as a session object (sensitive, not extractable, CKA_TOKEN false) that outlives
// one call: custody keeps one per live SAD (#19) and destroys it when the SAD dies. A session object lives as long as
// the session that made it; the pool's sessions are opened once per Keystore, and `sessions` names that set, so a
// handle is never used with a set of sessions that did not make it (where the HSM could have given the number to
// another object).
struct SessionKey {
    unsigned long object = 0;  // CK_OBJECT_HANDLE
    std::uint64_t sessions = 0;
};

struct EvpPkeyDeleter {
    void operator()(EVP_PKEY* k) const noexcept;
};
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyDeleter>;

// Creates and initialises a token on a free slot (SoftHSM) and sets the user PIN. Used by `yunqian init` and by tests.
void initialise_token(const std::string& module_path, const std::string& label, const core::SecureString& so_pin,
                      const core::SecureString& user_pin);

class Keystore {
public:
    explicit Keystore(const HsmSettings& settings);
    ~Keystore();
    Keystore(const Keystore&) = delete;
    Keystore& operator=(const Keystore&) = delete;

    // Token key pair, CKA_SENSITIVE and not extractable. Returns the public key (SubjectPublicKeyInfo DER).
    // Throws "hsm.key_exists" when the label is taken.
    core::Bytes generate_key_pair(const std::string& label, KeyType type);
    // Token secret key (AES-256 or an HMAC-SHA-256 generic secret), sensitive, not extractable.
    void generate_secret_key(const std::string& label, SecretKeyKind kind);
    bool has_key(const std::string& label);
    core::Bytes public_key_der(const std::string& label);

    // Signs a precomputed digest with a token private key. ECDSA comes back as DER Ecdsa-Sig-Value (RFC 3279 §2.2.3);
    // SoftHSM has no CKM_ECDSA_SHA256, so we always sign digests.
    core::Bytes sign_digest(const std::string& label, const SignScheme& scheme, const core::Bytes& digest);

    // Session key pair wrapped under `kek_label`; the unwrapped private key exists only inside the HSM session.
    WrappedKeyPair generate_wrapped_key_pair(const std::string& kek_label, KeyType type);
    // Unwraps into a session object, signs, destroys the object. A damaged blob → "hsm.wrapped_key_invalid".
    core::Bytes sign_digest_with_wrapped(const std::string& kek_label, const core::Bytes& wrapped, KeyType type,
                                         const SignScheme& scheme, const core::Bytes& digest);
    // One unwrap, many signatures (CSC signHash with several hashes), then the session object is destroyed.
    std::vector<core::Bytes> sign_digests_with_wrapped(const std::string& kek_label, const core::Bytes& wrapped,
                                                       KeyType type, const SignScheme& scheme,
                                                       const std::vector<core::Bytes>& digests);

    // Unwraps into a session object that stays until destroy_session_key (or until the HSM drops the session).
    SessionKey unwrap_session_key(const std::string& kek_label, const core::Bytes& wrapped, KeyType type);
    // Signs with a kept session key. When the HSM no longer holds it under its tag → "hsm.session_key_gone".
    std::vector<core::Bytes> sign_digests_with_session_key(const SessionKey& key, const SignScheme& scheme,
                                                           const std::vector<core::Bytes>& digests);
    void destroy_session_key(const SessionKey& key) noexcept;

    core::Bytes hmac_sha256(const std::string& label, const std::uint8_t* data, std::size_t size);
    // AES-256-GCM with a token key: output = iv(12) ‖ ciphertext ‖ tag(16). Tag mismatch → "hsm.decrypt_failed".
    core::Bytes gcm_encrypt(const std::string& label, const core::Bytes& plaintext, const core::Bytes& aad);
    core::SecureBytes gcm_decrypt(const std::string& label, const core::Bytes& sealed, const core::Bytes& aad);

    // The private key as an OpenSSL EVP_PKEY whose signatures are made in the HSM through this Keystore's sessions,
    // for X509_sign, X509_CRL_sign, OCSP_basic_sign, CMS and TS_RESP. Made once per label; lives as long as this
    // Keystore.
    EVP_PKEY* private_key(const std::string& label);

    // How many times the HSM closed this Keystore's sessions under it and they were reopened (and logged in again).
    // Every operation above survives that: it is retried once on the new sessions; kept session keys are gone
    // ("hsm.session_key_gone") and their holders unwrap again.
    std::uint64_t sessions_reopened() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace yq::keystore
