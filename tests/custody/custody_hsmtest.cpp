// Key custody against a fresh SoftHSM token: the sealed key opens only with the signing password, and neither the
// database record nor the database plus the HSM is enough to sign without it.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <stdexcept>

#include "core/error.hpp"
#include "custody/key_custody.hpp"
#include "custody/sad.hpp"
#include "support/fixtures.hpp"

using namespace yq;
using keystore::HashAlg;
using keystore::KeyType;
using keystore::SignScheme;

namespace {

const custody::KdfParams kCheapKdf{1, 256, 1};

bool verifies(const core::Bytes& spki, const core::Bytes& digest, const core::Bytes& sig) {
    const unsigned char* p = spki.data();
    EVP_PKEY* key = d2i_PUBKEY(nullptr, &p, static_cast<long>(spki.size()));
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key, nullptr);
    bool ok = EVP_PKEY_verify_init(ctx) == 1 && EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) == 1 &&
              EVP_PKEY_verify(ctx, sig.data(), sig.size(), digest.data(), digest.size()) == 1;
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(key);
    return ok;
}

class CustodyTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        token = new test::SoftHsmToken();
        keys = new keystore::Keystore(token->settings());
        custody::KeyCustody::ensure_hsm_keys(*keys);
    }
    static void TearDownTestSuite() {
        delete keys;
        delete token;
    }
    static test::SoftHsmToken* token;
    static keystore::Keystore* keys;
    custody::KeyCustody custody{*keys, kCheapKdf};
    core::Bytes digest = core::sha256(std::string_view("contract"));
    SignScheme ecdsa{SignScheme::Kind::Ecdsa, HashAlg::Sha256};

    // A credential's key made by `c` and opened with its password (K_user), for the per-SAD key tests.
    struct OpenedKey {
        custody::NewKey key;
        core::SecureBytes k_user;
    };
    static OpenedKey opened_key(custody::KeyCustody& c, const std::string& credential_id) {
        auto k = c.create_key(credential_id, KeyType::EcP256, core::to_secure("kept key password"));
        auto k_user = c.unlock(k.sealed, core::to_secure("kept key password"));
        if (!k_user) throw std::runtime_error("the password did not open the new key");
        return OpenedKey{std::move(k), std::move(*k_user)};
    }
};
test::SoftHsmToken* CustodyTest::token = nullptr;
keystore::Keystore* CustodyTest::keys = nullptr;

}  // namespace

TEST_F(CustodyTest, RightPasswordSignsAndWrongPasswordDoesNotOpen) {
    auto k = custody.create_key("cred_1", KeyType::EcP256, core::to_secure("correct horse battery"));
    auto k_user = custody.unlock(k.sealed, core::to_secure("correct horse battery"));
    ASSERT_TRUE(k_user);
    auto sigs = custody.sign(k.sealed, *k_user, ecdsa, {digest});
    ASSERT_EQ(sigs.size(), 1u);
    EXPECT_TRUE(verifies(k.public_key_der, digest, sigs[0]));
    EXPECT_FALSE(custody.unlock(k.sealed, core::to_secure("correct horse battery!")));
    EXPECT_FALSE(custody.unlock(k.sealed, core::to_secure("")));
}

TEST_F(CustodyTest, DatabaseRecordPlusHsmWithoutPasswordCannotSign) {
    auto k = custody.create_key("cred_2", KeyType::EcP256, core::to_secure("only the user knows this"));
    // 1. The stored blob is not an HSM-wrapped key: feeding it to the HSM's unwrap fails cleanly.
    EXPECT_EQ(test::error_code_of([&] { keys->sign_digest_with_wrapped(custody::kKekLabel, k.sealed.sealed, KeyType::EcP256, ecdsa, digest); }),
              "hsm.wrapped_key_invalid");
    // 2. A K_user that did not come from the password (here: random bytes, as a DBA might try) does not open the seal.
    core::Bytes guess = core::random_bytes(32);
    EXPECT_EQ(test::error_code_of([&] { custody.sign(k.sealed, core::SecureBytes(guess.begin(), guess.end()), ecdsa, {digest}); }),
              "custody.seal_broken");
    // 3. Guessing passwords through the HSM fails for every wrong guess.
    for (const char* g : {"password", "123456", "only the user knows that", "Only the user knows this"})
        EXPECT_FALSE(custody.unlock(k.sealed, core::to_secure(g))) << g;
    // 4. The seal is bound to its credential: moving it to another credential id does not open.
    custody::SealedKey moved = k.sealed;
    moved.credential_id = "cred_other";
    EXPECT_FALSE(custody.unlock(moved, core::to_secure("only the user knows this")));
}

TEST_F(CustodyTest, WithoutTheHsmPepperTheRightPasswordIsNotEnough) {
    auto k = custody.create_key("cred_3", KeyType::EcP256, core::to_secure("pepper matters here"));
    // A second token (another HSM) with its own pepper: same password, same salt, different K_user.
    test::SoftHsmToken other_token("yq-test-other");
    keystore::Keystore other(other_token.settings());
    custody::KeyCustody::ensure_hsm_keys(other);
    custody::KeyCustody elsewhere(other, kCheapKdf);
    EXPECT_FALSE(elsewhere.unlock(k.sealed, core::to_secure("pepper matters here")));
}

TEST_F(CustodyTest, ResealMovesTheKeyToTheNewPasswordOnly) {
    auto k = custody.create_key("cred_4", KeyType::Rsa2048, core::to_secure("old password one"));
    auto old_k = custody.unlock(k.sealed, core::to_secure("old password one"));
    ASSERT_TRUE(old_k);
    custody::SealedKey fresh = custody.reseal(k.sealed, *old_k, core::to_secure("new password two"));
    EXPECT_NE(fresh.salt, k.sealed.salt);
    EXPECT_FALSE(custody.unlock(fresh, core::to_secure("old password one")));
    auto new_k = custody.unlock(fresh, core::to_secure("new password two"));
    ASSERT_TRUE(new_k);
    SignScheme rsa{SignScheme::Kind::RsaPkcs1v15, HashAlg::Sha256};
    auto sig = custody.sign(fresh, *new_k, rsa, {digest});
    EXPECT_TRUE(verifies(k.public_key_der, digest, sig.at(0)));  // the same key, now under the new password
}

// #14: what a SAD holds must die with it. K_sad is split between the token and the SAD's row; each half alone, the
// halves of another SAD, or the halves with the SAD id changed open nothing, and K_user is not derivable from them.
TEST_F(CustodyTest, SadKeyHalvesOpenTheKeyOnlyTogetherAndOnlyForTheirSad) {
    auto k = custody.create_key("cred_5", KeyType::EcP256, core::to_secure("sad key password"));
    auto k_user = custody.unlock(k.sealed, core::to_secure("sad key password"));
    ASSERT_TRUE(k_user);
    custody::SadKey one = custody.seal_for_sad(k.sealed, *k_user, "sad_one");
    custody::SadKey two = custody.seal_for_sad(k.sealed, *k_user, "sad_two");
    auto sigs = custody.sign_for_sad(k.sealed, one.token_share, one.row_share, one.sealed_key, "sad_one", ecdsa, {digest});
    EXPECT_TRUE(verifies(k.public_key_der, digest, sigs.at(0)));
    EXPECT_NE(core::Bytes(one.token_share.begin(), one.token_share.end()), core::Bytes(k_user->begin(), k_user->end()));
    auto refused = [&](const core::SecureBytes& t, const core::Bytes& r, const core::Bytes& sealed, const std::string& id) {
        return test::error_code_of([&] { custody.sign_for_sad(k.sealed, t, r, sealed, id, ecdsa, {digest}); });
    };
    EXPECT_EQ(refused(one.token_share, two.row_share, one.sealed_key, "sad_one"), "custody.seal_broken");
    EXPECT_EQ(refused(two.token_share, one.row_share, one.sealed_key, "sad_one"), "custody.seal_broken");
    EXPECT_EQ(refused(one.token_share, one.row_share, one.sealed_key, "sad_two"), "custody.seal_broken");
    EXPECT_EQ(refused(core::SecureBytes(32, 0), one.row_share, one.sealed_key, "sad_one"), "custody.seal_broken");
    EXPECT_EQ(refused(one.token_share, core::Bytes(), one.sealed_key, "sad_one"), "custody.seal_broken");
    // the token's half is no K_user: it does not open the credential's stored seal
    EXPECT_EQ(test::error_code_of([&] { custody.sign(k.sealed, one.token_share, ecdsa, {digest}); }), "custody.seal_broken");
    // extendTransaction moves the key to a new SAD's fresh halves; the old halves do not open the new seal
    custody::SadKey three = custody.reseal_for_sad(k.sealed, one.token_share, one.row_share, one.sealed_key, "sad_one", "sad_three");
    EXPECT_EQ(refused(one.token_share, one.row_share, three.sealed_key, "sad_three"), "custody.seal_broken");
    auto again = custody.sign_for_sad(k.sealed, three.token_share, three.row_share, three.sealed_key, "sad_three", ecdsa, {digest});
    EXPECT_TRUE(verifies(k.public_key_der, digest, again.at(0)));
}

// #19: a SAD's unwrapped key may stay in the HSM while the SAD lives. It signs for later calls of that SAD, goes with
// the SAD's last signature or its expiry, and is never a way around the SAD's two shares.
TEST_F(CustodyTest, KeptSadKeySignsForItsSadUntilTheLastSignatureOrExpiry) {
    custody::KeyCustody keeping{*keys, kCheapKdf, 4};
    OpenedKey opened = opened_key(keeping, "cred_6");  // no structured binding: clang 14 cannot capture one
    const auto& k = opened.key;
    const auto& k_user = opened.k_user;
    custody::SadKey one = keeping.seal_for_sad(k.sealed, k_user, "sad_kept");
    auto sign = [&](std::int64_t keep_until) {
        return keeping.sign_for_sad(k.sealed, one.token_share, one.row_share, one.sealed_key, "sad_kept", ecdsa, {digest},
                                    keep_until).at(0);
    };
    EXPECT_TRUE(verifies(k.public_key_der, digest, sign(2000)));
    EXPECT_EQ(keeping.kept_sad_keys(), 1u);
    EXPECT_TRUE(verifies(k.public_key_der, digest, sign(2000)));  // the kept key
    EXPECT_EQ(keeping.kept_sad_keys(), 1u);
    EXPECT_TRUE(verifies(k.public_key_der, digest, sign(0)));     // the SAD's last signature
    EXPECT_EQ(keeping.kept_sad_keys(), 0u);

    custody::SadKey two = keeping.seal_for_sad(k.sealed, k_user, "sad_expiring");
    keeping.sign_for_sad(k.sealed, two.token_share, two.row_share, two.sealed_key, "sad_expiring", ecdsa, {digest}, 1000);
    EXPECT_EQ(keeping.kept_sad_keys(), 1u);
    EXPECT_EQ(keeping.forget_expired_sad_keys(999), 0);
    EXPECT_EQ(keeping.forget_expired_sad_keys(1000), 1);
    EXPECT_EQ(keeping.kept_sad_keys(), 0u);

    // full: the key whose SAD expires first makes room
    for (int i = 0; i < 5; ++i) {
        std::string id = "sad_many_" + std::to_string(i);
        custody::SadKey s = keeping.seal_for_sad(k.sealed, k_user, id);
        keeping.sign_for_sad(k.sealed, s.token_share, s.row_share, s.sealed_key, id, ecdsa, {digest}, 3000 - i);
    }
    EXPECT_EQ(keeping.kept_sad_keys(), 4u);
}

// #17, the HSM closed every session (restart, network HSM link): a key kept for a live SAD went with them. The SAD's
// next signature unwraps the key again from the SAD's shares and keeps it anew; the signer sees nothing.
TEST_F(CustodyTest, KeptSadKeyLostWithTheHsmSessionsIsUnwrappedAgain) {
    custody::KeyCustody keeping{*keys, kCheapKdf, 4};
    OpenedKey opened = opened_key(keeping, "cred_8");
    custody::SadKey sad = keeping.seal_for_sad(opened.key.sealed, opened.k_user, "sad_across_the_closure");
    auto sign = [&] {
        return keeping.sign_for_sad(opened.key.sealed, sad.token_share, sad.row_share, sad.sealed_key,
                                    "sad_across_the_closure", ecdsa, {digest}, 5000).at(0);
    };
    ASSERT_TRUE(verifies(opened.key.public_key_der, digest, sign()));
    ASSERT_EQ(keeping.kept_sad_keys(), 1u);
    const auto reopened = keys->sessions_reopened();
    token->close_all_sessions();
    EXPECT_TRUE(verifies(opened.key.public_key_der, digest, sign()));
    EXPECT_EQ(keys->sessions_reopened(), reopened + 1);
    EXPECT_EQ(keeping.kept_sad_keys(), 1u);  // kept again, under the new sessions
    EXPECT_TRUE(verifies(opened.key.public_key_der, digest, sign()));
    EXPECT_EQ(keys->sessions_reopened(), reopened + 1);  // and the new sessions held: nothing to reopen again
}

// Attack (docs/threat-model.md, "kept per-SAD keys"): someone who knows a live SAD's id — it is in audit events and
// log leaves — but not its token share calls with forged shares, hoping the kept key answers to the id alone.
TEST_F(CustodyTest, KeptSadKeyIsNotReachableWithForgedShares) {
    custody::KeyCustody keeping{*keys, kCheapKdf, 4};
    OpenedKey opened = opened_key(keeping, "cred_7");  // no structured binding: clang 14 cannot capture one
    const auto& k = opened.key;
    const auto& k_user = opened.k_user;
    custody::SadKey one = keeping.seal_for_sad(k.sealed, k_user, "sad_target");
    custody::SadKey other = keeping.seal_for_sad(k.sealed, k_user, "sad_other");
    keeping.sign_for_sad(k.sealed, one.token_share, one.row_share, one.sealed_key, "sad_target", ecdsa, {digest}, 5000);
    ASSERT_EQ(keeping.kept_sad_keys(), 1u);
    auto forged = [&](const core::SecureBytes& t, const core::Bytes& r, const core::Bytes& sealed) {
        return test::error_code_of(
            [&] { keeping.sign_for_sad(k.sealed, t, r, sealed, "sad_target", ecdsa, {digest}, 5000); });
    };
    EXPECT_EQ(forged(core::SecureBytes(32, 0), one.row_share, one.sealed_key), "custody.seal_broken");
    EXPECT_EQ(forged(other.token_share, one.row_share, one.sealed_key), "custody.seal_broken");
    EXPECT_EQ(forged(one.token_share, other.row_share, one.sealed_key), "custody.seal_broken");
    EXPECT_EQ(forged(one.token_share, one.row_share, other.sealed_key), "custody.seal_broken");
    // the real holder still signs with it
    auto sig = keeping.sign_for_sad(k.sealed, one.token_share, one.row_share, one.sealed_key, "sad_target", ecdsa,
                                    {digest}, 5000);
    EXPECT_TRUE(verifies(k.public_key_der, digest, sig.at(0)));
}

TEST_F(CustodyTest, SadRoundTripsAndRejectsTamperingAndForeignHsm) {
    custody::SadClaims c;
    c.sad_id = "sad_x";
    c.credential_id = "cred_1";
    c.account_id = "acc_1";
    core::Bytes k = core::random_bytes(32);
    c.token_share = core::SecureBytes(k.begin(), k.end());
    c.hashes_digest = custody::bound_hashes_digest({digest});
    c.expires_at = 1764064800;
    c.num_signatures = 3;
    std::string token = custody::seal_sad(*keys, c);
    custody::SadClaims back = custody::open_sad(*keys, token);
    EXPECT_EQ(back.sad_id, "sad_x");
    EXPECT_EQ(back.credential_id, "cred_1");
    EXPECT_EQ(back.account_id, "acc_1");
    EXPECT_EQ(core::Bytes(back.token_share.begin(), back.token_share.end()), k);
    EXPECT_EQ(back.hashes_digest, c.hashes_digest);
    EXPECT_EQ(back.expires_at, 1764064800);
    EXPECT_EQ(back.num_signatures, 3);
    EXPECT_EQ(token.find(core::hex_encode(k)), std::string::npos);

    for (std::size_t pos : {std::size_t{0}, token.size() / 2, token.size() - 1}) {
        std::string t = token;
        t[pos] = t[pos] == 'A' ? 'B' : 'A';
        EXPECT_EQ(test::error_code_of([&] { custody::open_sad(*keys, t); }), "custody.invalid_sad") << pos;
    }
    EXPECT_EQ(test::error_code_of([&] { custody::open_sad(*keys, "not-a-sad"); }), "custody.invalid_sad");
    EXPECT_EQ(test::error_code_of([&] { custody::open_sad(*keys, ""); }), "custody.invalid_sad");
    // order and boundaries of the bound hashes matter
    core::Bytes d2 = core::sha256(std::string_view("other"));
    EXPECT_NE(custody::bound_hashes_digest({digest, d2}), custody::bound_hashes_digest({d2, digest}));
}
