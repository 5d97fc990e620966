#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <atomic>
#include <barrier>
#include <thread>

#include "core/error.hpp"
#include "keystore/keystore.hpp"
#include "support/fixtures.hpp"

using namespace yq;
using keystore::HashAlg;
using keystore::KeyType;
using keystore::SignScheme;

namespace {

class KeystoreTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        token = new test::SoftHsmToken();
        keys = new keystore::Keystore(token->settings());
    }
    static void TearDownTestSuite() {
        delete keys;
        delete token;
    }
    static test::SoftHsmToken* token;
    static keystore::Keystore* keys;
};
test::SoftHsmToken* KeystoreTest::token = nullptr;
keystore::Keystore* KeystoreTest::keys = nullptr;

// Verifies with OpenSSL's software implementation, independent of the HSM.
bool openssl_verifies(const core::Bytes& spki, const SignScheme& scheme, const core::Bytes& digest, const core::Bytes& sig) {
    const unsigned char* p = spki.data();
    EVP_PKEY* key = d2i_PUBKEY(nullptr, &p, static_cast<long>(spki.size()));
    if (!key) return false;
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key, nullptr);
    const EVP_MD* md = scheme.hash == HashAlg::Sha256 ? EVP_sha256() : scheme.hash == HashAlg::Sha384 ? EVP_sha384() : EVP_sha512();
    bool ok = EVP_PKEY_verify_init(ctx) == 1 && EVP_PKEY_CTX_set_signature_md(ctx, md) == 1;
    if (ok && scheme.kind == SignScheme::Kind::RsaPss) {
        ok = EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) == 1 &&
             EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) == 1 &&
             EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, static_cast<int>(scheme.pss_salt_length)) == 1;
    } else if (ok && scheme.kind == SignScheme::Kind::RsaPkcs1v15) {
        ok = EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1;
    }
    ok = ok && EVP_PKEY_verify(ctx, sig.data(), sig.size(), digest.data(), digest.size()) == 1;
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(key);
    return ok;
}

// SHA-256 signature through OpenSSL's EVP API (the way X509_sign, OCSP and CMS use HSM keys); empty on failure.
// `pss`: RSASSA-PSS with a 32-byte salt instead of the key's default scheme.
core::Bytes evp_digest_sign(EVP_PKEY* key, const std::string& msg, bool pss = false) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX* pctx = nullptr;
    std::size_t len = 0;
    auto data = reinterpret_cast<const unsigned char*>(msg.data());
    core::Bytes sig;
    if (EVP_DigestSignInit(ctx, &pctx, EVP_sha256(), nullptr, key) == 1 &&
        (!pss || (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
                  EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32) == 1)) &&
        EVP_DigestSign(ctx, nullptr, &len, data, msg.size()) == 1) {
        sig.resize(len);
        if (EVP_DigestSign(ctx, sig.data(), &len, data, msg.size()) == 1) sig.resize(len);
        else sig.clear();
    }
    EVP_MD_CTX_free(ctx);
    return sig;
}

core::Bytes digest_of(HashAlg h, const std::string& text) {
    const EVP_MD* md = h == HashAlg::Sha256 ? EVP_sha256() : h == HashAlg::Sha384 ? EVP_sha384() : EVP_sha512();
    core::Bytes out(static_cast<std::size_t>(EVP_MD_get_size(md)));
    EVP_Digest(text.data(), text.size(), out.data(), nullptr, md, nullptr);
    return out;
}

}  // namespace

struct SignCase {
    KeyType type;
    SignScheme scheme;
};

std::string sign_case_name(const ::testing::TestParamInfo<SignCase>& info) {
    static const char* const kKinds[] = {"Pkcs1", "Pss", "Ecdsa"};
    std::string name = keystore::key_type_name(info.param.type) + "_" + kKinds[static_cast<int>(info.param.scheme.kind)] +
                       "_sha" + std::to_string(keystore::digest_size(info.param.scheme.hash) * 8);
    for (char& c : name)
        if (c == '-') c = '_';
    return name;
}

class SignsVerifiably : public KeystoreTest, public ::testing::WithParamInterface<SignCase> {};

TEST_P(SignsVerifiably, TokenKeySignatureVerifiesWithOpenSsl) {
    const SignCase& c = GetParam();
    std::string label = "k-" + keystore::key_type_name(c.type) + "-" + std::to_string(static_cast<int>(c.scheme.kind)) +
                        "-" + std::to_string(static_cast<int>(c.scheme.hash));
    core::Bytes spki = keys->generate_key_pair(label, c.type);
    EXPECT_EQ(keys->public_key_der(label), spki);
    core::Bytes digest = digest_of(c.scheme.hash, "document to sign");
    core::Bytes sig = keys->sign_digest(label, c.scheme, digest);
    EXPECT_TRUE(openssl_verifies(spki, c.scheme, digest, sig));
    core::Bytes other = digest_of(c.scheme.hash, "another document");
    EXPECT_FALSE(openssl_verifies(spki, c.scheme, other, sig));
}

INSTANTIATE_TEST_SUITE_P(
    KeyTypesAndSchemes, SignsVerifiably,
    ::testing::Values(SignCase{KeyType::EcP256, {SignScheme::Kind::Ecdsa, HashAlg::Sha256}},
                      SignCase{KeyType::EcP384, {SignScheme::Kind::Ecdsa, HashAlg::Sha384}},
                      SignCase{KeyType::Rsa2048, {SignScheme::Kind::RsaPkcs1v15, HashAlg::Sha256}},
                      SignCase{KeyType::Rsa2048, {SignScheme::Kind::RsaPss, HashAlg::Sha256, 32}},
                      SignCase{KeyType::Rsa3072, {SignScheme::Kind::RsaPkcs1v15, HashAlg::Sha384}},
                      SignCase{KeyType::Rsa4096, {SignScheme::Kind::RsaPss, HashAlg::Sha512, 64}}),
    sign_case_name);

TEST_F(KeystoreTest, RefusesToOverwriteAnExistingLabel) {
    keys->generate_key_pair("dup", KeyType::EcP256);
    EXPECT_EQ(test::error_code_of([] { keys->generate_key_pair("dup", KeyType::EcP256); }), "hsm.key_exists");
}

TEST_F(KeystoreTest, DigestOfWrongLengthIsRejectedClearly) {
    keys->generate_key_pair("len", KeyType::EcP256);
    EXPECT_EQ(test::error_code_of([] {
                  keys->sign_digest("len", {SignScheme::Kind::Ecdsa, HashAlg::Sha256}, core::Bytes(20, 1));
              }),
              "hsm.bad_digest");
}

TEST_F(KeystoreTest, UnknownLabelIsKeyNotFound) {
    EXPECT_EQ(test::error_code_of([] {
                  keys->sign_digest("nope", {SignScheme::Kind::Ecdsa, HashAlg::Sha256}, core::Bytes(32, 1));
              }),
              "hsm.key_not_found");
}

TEST_F(KeystoreTest, WrappedKeySignsAfterUnwrapAndDamagedBlobGivesClearError) {
    keys->generate_secret_key("kek", keystore::SecretKeyKind::AesWrap);
    for (KeyType t : {KeyType::EcP256, KeyType::Rsa2048}) {
        auto pair = keys->generate_wrapped_key_pair("kek", t);
        SignScheme scheme = keystore::is_rsa(t) ? SignScheme{SignScheme::Kind::RsaPkcs1v15, HashAlg::Sha256}
                                                : SignScheme{SignScheme::Kind::Ecdsa, HashAlg::Sha256};
        core::Bytes digest = digest_of(HashAlg::Sha256, "x");
        core::Bytes sig = keys->sign_digest_with_wrapped("kek", pair.wrapped_private_key, t, scheme, digest);
        EXPECT_TRUE(openssl_verifies(pair.public_key_der, scheme, digest, sig));

        core::Bytes damaged = pair.wrapped_private_key;
        damaged[damaged.size() / 2] ^= 0x01;
        EXPECT_EQ(test::error_code_of([&] { keys->sign_digest_with_wrapped("kek", damaged, t, scheme, digest); }),
                  "hsm.wrapped_key_invalid");
        core::Bytes truncated(pair.wrapped_private_key.begin(), pair.wrapped_private_key.end() - 8);
        EXPECT_EQ(test::error_code_of([&] { keys->sign_digest_with_wrapped("kek", truncated, t, scheme, digest); }),
                  "hsm.wrapped_key_invalid");
    }
    // a blob wrapped under another KEK does not open
    keys->generate_secret_key("kek2", keystore::SecretKeyKind::AesWrap);
    auto pair = keys->generate_wrapped_key_pair("kek2", KeyType::EcP256);
    EXPECT_EQ(test::error_code_of([&] {
                  keys->sign_digest_with_wrapped("kek", pair.wrapped_private_key, KeyType::EcP256,
                                                 {SignScheme::Kind::Ecdsa, HashAlg::Sha256}, core::Bytes(32, 7));
              }),
              "hsm.wrapped_key_invalid");
}

// #19: a kept session key (one per live SAD) is used from whichever pooled session is free, and after it is destroyed
// its handle signs nothing.
TEST_F(KeystoreTest, KeptSessionKeySignsFromEveryPooledSessionUntilDestroyed) {
    keys->generate_secret_key("kek-kept", keystore::SecretKeyKind::AesWrap);
    auto pair = keys->generate_wrapped_key_pair("kek-kept", KeyType::EcP256);
    keystore::SessionKey kept = keys->unwrap_session_key("kek-kept", pair.wrapped_private_key, KeyType::EcP256);
    SignScheme s{SignScheme::Kind::Ecdsa, HashAlg::Sha256};
    std::atomic<int> verified{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)  // more threads than one session: the pool hands out every session it has
        threads.emplace_back([&, t] {
            for (int i = 0; i < 10; ++i) {
                core::Bytes d = digest_of(HashAlg::Sha256, "kept " + std::to_string(t * 100 + i));
                if (openssl_verifies(pair.public_key_der, s, d, keys->sign_digests_with_session_key(kept, s, {d}).at(0)))
                    ++verified;
            }
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(verified.load(), 80);

    // a handle from another Keystore's sessions is refused before the HSM sees it
    keystore::SessionKey foreign{kept.object, kept.sessions + 1};
    core::Bytes d = digest_of(HashAlg::Sha256, "after");
    EXPECT_EQ(test::error_code_of([&] { keys->sign_digests_with_session_key(foreign, s, {d}); }), "hsm.session_key_gone");

    keys->destroy_session_key(kept);
    std::string code = test::error_code_of([&] { keys->sign_digests_with_session_key(kept, s, {d}); });
    EXPECT_FALSE(code.empty()) << "a destroyed session key still signed";
    EXPECT_EQ(code.rfind("hsm.", 0), 0u) << code;
}

TEST_F(KeystoreTest, HmacIsDeterministicPerKeyAndMatchesNothingElse) {
    keys->generate_secret_key("pepper", keystore::SecretKeyKind::HmacSha256);
    keys->generate_secret_key("pepper2", keystore::SecretKeyKind::HmacSha256);
    std::string msg = "argon2 output";
    auto data = reinterpret_cast<const std::uint8_t*>(msg.data());
    core::Bytes a = keys->hmac_sha256("pepper", data, msg.size());
    EXPECT_EQ(a.size(), 32u);
    EXPECT_EQ(a, keys->hmac_sha256("pepper", data, msg.size()));
    EXPECT_NE(a, keys->hmac_sha256("pepper2", data, msg.size()));
}

TEST_F(KeystoreTest, GcmSealsAndRejectsTamperingOrWrongContext) {
    keys->generate_secret_key("seal", keystore::SecretKeyKind::AesGcm);
    core::Bytes pt = core::to_bytes("wrapped key blob"), aad = core::to_bytes("credential-1|ec-p256|v1");
    core::Bytes sealed = keys->gcm_encrypt("seal", pt, aad);
    EXPECT_EQ(sealed.size(), 12 + pt.size() + 16);
    EXPECT_NE(keys->gcm_encrypt("seal", pt, aad), sealed);  // fresh IV each time
    core::SecureBytes opened = keys->gcm_decrypt("seal", sealed, aad);
    EXPECT_EQ(core::Bytes(opened.begin(), opened.end()), pt);

    core::Bytes flipped = sealed;
    flipped[14] ^= 0x80;
    EXPECT_EQ(test::error_code_of([&] { keys->gcm_decrypt("seal", flipped, aad); }), "hsm.decrypt_failed");
    EXPECT_EQ(test::error_code_of([&] { keys->gcm_decrypt("seal", sealed, core::to_bytes("credential-2|ec-p256|v1")); }),
              "hsm.decrypt_failed");
    EXPECT_EQ(test::error_code_of([&] { keys->gcm_decrypt("seal", core::Bytes(10, 0), aad); }), "hsm.decrypt_failed");
}

TEST_F(KeystoreTest, SessionPoolServesConcurrentSigners) {
    core::Bytes spki = keys->generate_key_pair("busy", KeyType::EcP256);
    std::atomic<int> verified{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 16; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 20; ++i) {
                core::Bytes d = digest_of(HashAlg::Sha256, std::to_string(t * 100 + i));
                SignScheme s{SignScheme::Kind::Ecdsa, HashAlg::Sha256};
                if (openssl_verifies(spki, s, d, keys->sign_digest("busy", s, d))) ++verified;
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(verified.load(), 16 * 20);
}

TEST_F(KeystoreTest, PrivateKeySignsThroughOpenSslApis) {
    core::Bytes spki = keys->generate_key_pair("evp-ec", KeyType::EcP256);
    EVP_PKEY* key = keys->private_key("evp-ec");
    ASSERT_NE(key, nullptr);
    EXPECT_EQ(keys->private_key("evp-ec"), key);  // made once per label
    std::string msg = "through EVP_DigestSign";
    core::Bytes sig = evp_digest_sign(key, msg);
    ASSERT_FALSE(sig.empty());
    EXPECT_TRUE(openssl_verifies(spki, {SignScheme::Kind::Ecdsa, HashAlg::Sha256}, digest_of(HashAlg::Sha256, msg), sig));
    EXPECT_FALSE(openssl_verifies(spki, {SignScheme::Kind::Ecdsa, HashAlg::Sha256}, digest_of(HashAlg::Sha256, "other"), sig));

    core::Bytes rsa_spki = keys->generate_key_pair("evp-rsa", KeyType::Rsa2048);
    EVP_PKEY* rsa = keys->private_key("evp-rsa");
    ASSERT_NE(rsa, nullptr);
    core::Bytes pkcs1 = evp_digest_sign(rsa, msg);
    EXPECT_TRUE(openssl_verifies(rsa_spki, {SignScheme::Kind::RsaPkcs1v15, HashAlg::Sha256}, digest_of(HashAlg::Sha256, msg),
                                 pkcs1));
    core::Bytes pss = evp_digest_sign(rsa, msg, true);  // OpenSSL encodes PSS, the token signs raw (CKM_RSA_X_509)
    EXPECT_TRUE(openssl_verifies(rsa_spki, {SignScheme::Kind::RsaPss, HashAlg::Sha256, 32},
                                 digest_of(HashAlg::Sha256, msg), pss));
    EXPECT_NE(pss, pkcs1);
}

TEST_F(KeystoreTest, PrivateKeyOfAnUnknownLabelIsKeyNotFound) {
    try {
        keys->private_key("nobody");
        FAIL() << "no key, no EVP_PKEY";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "hsm.key_not_found");
    }
}

// A process may open its keystore more than once (yunqian init then serve in one process, fuzz harnesses, tools).
TEST(KeystoreLifecycle, ReopenedKeystoreSignsThroughOpenSslAgain) {
    test::SoftHsmToken token;
    core::Bytes spki;
    {
        keystore::Keystore first(token.settings());
        spki = first.generate_key_pair("reopen", KeyType::EcP256);
        ASSERT_NE(first.private_key("reopen"), nullptr);
    }
    keystore::Keystore second(token.settings());
    EVP_PKEY* key = second.private_key("reopen");
    ASSERT_NE(key, nullptr);
    std::string msg = "second life";
    core::Bytes sig = evp_digest_sign(key, msg);
    ASSERT_FALSE(sig.empty());
    EXPECT_TRUE(openssl_verifies(spki, {SignScheme::Kind::Ecdsa, HashAlg::Sha256}, digest_of(HashAlg::Sha256, msg), sig));
}

// #17, fault "the HSM session closed under the server": an HSM restart or a network HSM's dropped link closes every
// session of the process and ends its login. Each kind of operation must reopen, log in again and succeed without a
// restart of the process (docs/threat-model.md, docs/reliability.md).
class HsmSessionsClosedUnderTheKeystore : public ::testing::Test {
protected:
    test::SoftHsmToken token;
    keystore::Keystore keys{token.settings()};
};

TEST_F(HsmSessionsClosedUnderTheKeystore, EveryKindOfOperationReopensLogsInAgainAndSucceeds) {
    core::Bytes spki = keys.generate_key_pair("ca", KeyType::EcP256);
    keys.generate_secret_key("kek", keystore::SecretKeyKind::AesWrap);
    keys.generate_secret_key("seal", keystore::SecretKeyKind::AesGcm);
    keys.generate_secret_key("mac", keystore::SecretKeyKind::HmacSha256);
    auto wrapped = keys.generate_wrapped_key_pair("kek", KeyType::EcP256);
    core::Bytes sealed = keys.gcm_encrypt("seal", core::to_bytes("secret"), core::to_bytes("ctx"));
    core::Bytes mac = keys.hmac_sha256("mac", reinterpret_cast<const std::uint8_t*>("m"), 1);
    EVP_PKEY* evp = keys.private_key("ca");  // object handles are cached by now: they must not outlive the sessions
    SignScheme ecdsa{SignScheme::Kind::Ecdsa, HashAlg::Sha256};
    core::Bytes d = digest_of(HashAlg::Sha256, "before");
    ASSERT_TRUE(openssl_verifies(spki, ecdsa, d, keys.sign_digest("ca", ecdsa, d)));
    EXPECT_EQ(keys.sessions_reopened(), 0u);

    token.close_all_sessions();
    d = digest_of(HashAlg::Sha256, "after the HSM closed the sessions");
    EXPECT_TRUE(openssl_verifies(spki, ecdsa, d, keys.sign_digest("ca", ecdsa, d)));
    EXPECT_EQ(keys.sessions_reopened(), 1u);

    token.close_all_sessions();  // the EVP_PKEY that X509_sign, OCSP and the TSA use
    core::Bytes sig = evp_digest_sign(evp, "through OpenSSL");
    ASSERT_FALSE(sig.empty());
    EXPECT_TRUE(openssl_verifies(spki, ecdsa, digest_of(HashAlg::Sha256, "through OpenSSL"), sig));
    EXPECT_EQ(keys.sessions_reopened(), 2u);

    token.close_all_sessions();  // a user's wrapped key
    EXPECT_TRUE(openssl_verifies(wrapped.public_key_der, ecdsa, d,
                                 keys.sign_digest_with_wrapped("kek", wrapped.wrapped_private_key, KeyType::EcP256, ecdsa, d)));
    token.close_all_sessions();  // sealing and MACs (PIN letters, audit, custody shares)
    core::SecureBytes opened = keys.gcm_decrypt("seal", sealed, core::to_bytes("ctx"));
    EXPECT_EQ(std::string(opened.begin(), opened.end()), "secret");
    token.close_all_sessions();
    EXPECT_EQ(keys.hmac_sha256("mac", reinterpret_cast<const std::uint8_t*>("m"), 1), mac);
    token.close_all_sessions();
    EXPECT_TRUE(keys.has_key("ca"));
    EXPECT_EQ(keys.public_key_der("ca"), spki);
    EXPECT_EQ(keys.sessions_reopened(), 6u);
}

TEST_F(HsmSessionsClosedUnderTheKeystore, AKeptSessionKeyIsReportedGoneAndUnwrapsAgain) {
    keys.generate_secret_key("kek", keystore::SecretKeyKind::AesWrap);
    auto wrapped = keys.generate_wrapped_key_pair("kek", KeyType::EcP256);
    SignScheme ecdsa{SignScheme::Kind::Ecdsa, HashAlg::Sha256};
    core::Bytes d = digest_of(HashAlg::Sha256, "kept");
    keystore::SessionKey kept = keys.unwrap_session_key("kek", wrapped.wrapped_private_key, KeyType::EcP256);
    ASSERT_TRUE(openssl_verifies(wrapped.public_key_der, ecdsa, d, keys.sign_digests_with_session_key(kept, ecdsa, {d}).front()));

    token.close_all_sessions();  // the session object went with its sessions; its handle number may come back
    try {
        keys.sign_digests_with_session_key(kept, ecdsa, {d});
        FAIL() << "a key the HSM dropped must not be used";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "hsm.session_key_gone");  // custody's signal to unwrap again (KeyCustody::sign_for_sad)
    }
    keys.destroy_session_key(kept);  // harmless: nothing of the new sessions is touched
    keystore::SessionKey again = keys.unwrap_session_key("kek", wrapped.wrapped_private_key, KeyType::EcP256);
    EXPECT_NE(again.sessions, kept.sessions);
    EXPECT_TRUE(openssl_verifies(wrapped.public_key_der, ecdsa, d, keys.sign_digests_with_session_key(again, ecdsa, {d}).front()));
    keys.destroy_session_key(again);
}

// Eight signers meet the closed sessions at the same moment: one reopens, the others wait for it and retry; nobody
// fails and the sessions are reopened once per closure. (The closure happens between operations: SoftHSM frees a
// session's state under an operation that is still running in another thread — PKCS#11 leaves closing a session in
// use to the application's care, and a network HSM's library fails such an operation instead.)
TEST_F(HsmSessionsClosedUnderTheKeystore, SignersMeetingTheClosedSessionsTogetherAllSucceed) {
    core::Bytes spki = keys.generate_key_pair("busy", KeyType::EcP256);
    SignScheme ecdsa{SignScheme::Kind::Ecdsa, HashAlg::Sha256};
    constexpr int kSigners = 8, kClosures = 5;
    std::atomic<int> verified{0}, failed{0};
    std::barrier closed(kSigners, [&]() noexcept { token.close_all_sessions(); });
    std::vector<std::thread> threads;
    for (int t = 0; t < kSigners; ++t) {
        threads.emplace_back([&, t] {
            for (int round = 0; round <= kClosures; ++round) {
                for (int i = 0; i < 3; ++i) {
                    core::Bytes d = digest_of(HashAlg::Sha256, std::to_string(t * 1000 + round * 10 + i));
                    try {
                        if (openssl_verifies(spki, ecdsa, d, keys.sign_digest("busy", ecdsa, d))) ++verified;
                        else ++failed;
                    } catch (const std::exception& e) {
                        ADD_FAILURE() << e.what();
                        ++failed;
                    }
                }
                if (round < kClosures) closed.arrive_and_wait();  // the last to arrive closes every session
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failed.load(), 0);
    EXPECT_EQ(verified.load(), kSigners * (kClosures + 1) * 3);
    EXPECT_EQ(keys.sessions_reopened(), static_cast<std::uint64_t>(kClosures));
}
