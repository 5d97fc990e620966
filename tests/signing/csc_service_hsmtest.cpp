// The CSC service's signature activation (SCAL2, CSC v2 §11, EN 419 241-1) against a fresh SoftHSM token and a real
// database (SQLite; PostgreSQL when YQ_PG_DSN is set), with a fixed clock. Each test performs one attack on the SAD
// and asserts it fails (#14, docs/threat-model.md).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "accounts/account_service.hpp"
#include "accounts/totp.hpp"
#include "core/error.hpp"
#include "custody/sad.hpp"
#include "signing/csc_service.hpp"
#include "storage/sql_store.hpp"
#include "support/fixtures.hpp"
#include "support/signer_services.hpp"

using namespace yq;
using test::DbKind;

using test::digest_of;
using test::kEcdsaSha256;
using test::kSha256Oid;

class CscServiceTest : public test::CscServicesTest {
protected:
    std::string authorize(const std::vector<core::Bytes>& hashes, int count = 0) {
        signing::AuthorizeRequest a;
        a.credential_id = alice.credential.id;
        a.num_signatures = count > 0 ? count : static_cast<int>(hashes.size());
        a.hashes = hashes;
        a.hash_algorithm_oid = hashes.empty() ? "" : kSha256Oid;
        a.pin = core::to_secure("signing-password-1");
        return csc.authorize(alice.account.id, a).sad;
    }
    std::vector<core::Bytes> sign(const std::string& sad, const std::vector<core::Bytes>& hashes) {
        signing::SignHashRequest s;
        s.credential_id = alice.credential.id;
        s.sad = sad;
        s.hashes = hashes;
        s.sign_algo = kEcdsaSha256;
        return csc.sign_hash(alice.account.id, s);
    }
    std::string extend(const std::string& sad, const std::vector<core::Bytes>& hashes) {
        return csc.extend_transaction(alice.account.id, alice.credential.id, sad, hashes, hashes.empty() ? "" : kSha256Oid).sad;
    }
    // The error description a refused call answers with ("" when it succeeded).
    static std::string refusal(const std::function<void()>& f) {
        try {
            f();
        } catch (const Error& e) {
            return e.what();
        }
        return "";
    }
    std::int64_t sad_rows() {
        std::int64_t n = 0;
        database.db().with_connection([&](storage::Connection& c) { n = c.query_one("SELECT COUNT(*) FROM sads")->integer(0); });
        return n;
    }
    std::vector<std::string> actions_since(std::size_t from) {
        std::vector<std::string> out;
        auto events = store.all_events();
        for (std::size_t i = from; i < events.size(); ++i) out.push_back(events[i].event.action);
        return out;
    }
};

TEST_P(CscServiceTest, SadBoundToTwoHashesCannotSignTheSameHashTwice) {
    core::Bytes a = digest_of("A"), b = digest_of("B");
    std::string sad = authorize({a, b});
    EXPECT_EQ(sign(sad, {a}).size(), 1u);
    EXPECT_EQ(refusal([&] { sign(sad, {a}); }), "Hash is not authorized by the SAD");
    EXPECT_EQ(sign(sad, {b}).size(), 1u);
    // within one call too, and a hash bound twice signs twice
    std::string other = authorize({a, b});
    EXPECT_EQ(refusal([&] { sign(other, {a, a}); }), "Hash is not authorized by the SAD");
    std::string twice = authorize({a, a});
    EXPECT_EQ(sign(twice, {a, a}).size(), 2u);
}

TEST_P(CscServiceTest, ExtendTransactionCannotBindHashesTheUserDidNotAuthorise) {
    core::Bytes h1 = digest_of("one"), h2 = digest_of("two"), h3 = digest_of("three");
    std::string sad = authorize({h1, h2});
    ASSERT_EQ(sign(sad, {h1}).size(), 1u);
    EXPECT_EQ(refusal([&] { extend(sad, {h3}); }), "Hash is not authorized by the SAD");      // never authorised
    EXPECT_EQ(refusal([&] { extend(sad, {h1}); }), "Hash is not authorized by the SAD");      // already signed
    EXPECT_EQ(refusal([&] { extend(sad, {h2, h2}); }), "Hash is not authorized by the SAD");  // bound once
    std::string next = extend(sad, {h2});
    EXPECT_EQ(refusal([&] { sign(sad, {h2}); }), "Invalid parameter SAD");  // the old SAD died
    EXPECT_EQ(refusal([&] { sign(next, {h1}); }), "Hash is not authorized by the SAD");
    EXPECT_EQ(sign(next, {h2}).size(), 1u);
    EXPECT_EQ(refusal([&] { sign(next, {h2}); }), "Invalid parameter SAD");  // spent
}

TEST_P(CscServiceTest, ExtendedSadCannotOutliveTheFirstAuthorisation) {
    core::Bytes h1 = digest_of("one"), h2 = digest_of("two");
    std::string sad = authorize({h1, h2});
    clock.advance(std::chrono::seconds(250));
    std::string next = extend(sad, {h1, h2});
    auto claims = custody::open_sad(keys, next);
    EXPECT_EQ(claims.expires_at, 1764064800 + 300);  // the first authorisation's expiry, not now + 300
    clock.advance(std::chrono::seconds(60));
    EXPECT_EQ(refusal([&] { sign(next, {h1}); }), "SAD expired");
    EXPECT_EQ(refusal([&] { extend(next, {h1}); }), "SAD expired");
}

// A SAD lives csc.sad_seconds (300 here) on the service's clock: it signs in its last second and is refused from the
// second it expires (the end-to-end test of the same rule used to sleep through a short-lived SAD).
TEST_P(CscServiceTest, SadSignsUntilItsLastSecondAndIsRefusedFromItsExpiry) {
    core::Bytes h1 = digest_of("one"), h2 = digest_of("two");
    std::string sad = authorize({h1, h2});
    clock.advance(std::chrono::seconds(299));
    EXPECT_EQ(sign(sad, {h1}).size(), 1u);
    clock.advance(std::chrono::seconds(1));
    EXPECT_EQ(refusal([&] { sign(sad, {h2}); }), "SAD expired");
    EXPECT_EQ(refusal([&] { extend(sad, {h2}); }), "SAD expired");
}

// Before #14 the extended SAD took the old row's count as read before the old row died, so a signHash in between was
// counted twice: up to 2N−1 signatures from an authorisation for N.
TEST_P(CscServiceTest, SignHashRacingExtendTransactionCannotSpendMoreThanAuthorised) {
    config.csc.scal = 1;  // not hash-bound: the count is the only limit, the sharpest form of the race
    constexpr int kN = 6;
    for (int round = 0; round < 8; ++round) {
        std::string sad = authorize({}, kN);
        std::atomic<int> made{0};
        std::atomic<bool> go{false};
        std::vector<std::thread> signers;
        for (int i = 0; i < kN; ++i)
            signers.emplace_back([&, i] {
                while (!go) std::this_thread::yield();
                try {
                    made += static_cast<int>(sign(sad, {digest_of("r" + std::to_string(round) + "-" + std::to_string(i))}).size());
                } catch (const Error&) {
                }
            });
        std::string next;
        std::thread extender([&] {
            while (!go) std::this_thread::yield();
            try {
                next = extend(sad, {});
            } catch (const Error&) {
            }
        });
        go = true;
        for (auto& t : signers) t.join();
        extender.join();
        if (!next.empty())
            for (int i = 0; i < kN; ++i) {
                try {
                    made += static_cast<int>(sign(next, {digest_of("n" + std::to_string(i))}).size());
                } catch (const Error&) {
                    break;
                }
            }
        EXPECT_LE(made.load(), kN) << "round " << round;
    }
}

// The token of a dead SAD, the HSM and the whole database: before #14 the token carried K_user, which opens the
// credential's seal for as long as the password stays the same.
TEST_P(CscServiceTest, DeadSadTokenWithHsmAndDatabaseOpensNothing) {
    core::Bytes h = digest_of("contract");
    std::string sad = authorize({h});
    ASSERT_EQ(sign(sad, {h}).size(), 1u);
    EXPECT_EQ(sad_rows(), 0) << "a spent SAD's row (its key half) must be gone";
    // The attacker opens the token with the HSM's SAD key and tries every 32-byte window of it as K_user.
    std::string b64 = sad;
    for (char& ch : b64) ch = ch == '-' ? '+' : ch == '_' ? '/' : ch;
    while (b64.size() % 4) b64 += '=';
    core::SecureBytes plain = keys.gcm_decrypt(custody::kSadSealLabel, core::base64_decode(b64), core::to_bytes("yunqian-sad-v1"));
    ASSERT_GT(plain.size(), 32u);
    auto stored = store.credential(alice.credential.id);
    ASSERT_TRUE(stored);
    keystore::SignScheme ecdsa{keystore::SignScheme::Kind::Ecdsa, keystore::HashAlg::Sha256};
    int opened = 0;
    for (std::size_t i = 0; i + 32 <= plain.size(); ++i) {
        core::SecureBytes guess(plain.begin() + static_cast<std::ptrdiff_t>(i), plain.begin() + static_cast<std::ptrdiff_t>(i + 32));
        try {
            custody.sign(stored->key, guess, ecdsa, {h});
            ++opened;
        } catch (const Error&) {
        }
    }
    EXPECT_EQ(opened, 0) << "the SAD token carries something that opens the signer's key";
}

TEST_P(CscServiceTest, ExpiredSadRowIsDeletedWithItsKeyHalf) {
    core::Bytes h = digest_of("late");
    std::string sad = authorize({h});
    EXPECT_EQ(sad_rows(), 1);
    clock.advance(std::chrono::seconds(301));
    EXPECT_EQ(csc.sweep_expired_sads(), 1);
    EXPECT_EQ(sad_rows(), 0);
    EXPECT_EQ(refusal([&] { sign(sad, {h}); }), "SAD expired");
}

TEST_P(CscServiceTest, SignHashIsAuditedBeforeAndAfterTheHsm) {
    core::Bytes a = digest_of("A"), b = digest_of("B");
    std::string sad = authorize({a, b});
    std::size_t from = store.all_events().size();
    sign(sad, {a});
    EXPECT_EQ(actions_since(from), (std::vector<std::string>{"csc.sad.consumed", "csc.signatures.created"}));
    // A key that fails at the HSM (the row's sealed key damaged, as a failing HSM or a broken row would): the SAD is
    // consumed and audited before, the failure is audited after, and no "created" event claims a signature.
    database.db().with_connection([&](storage::Connection& c) {
        c.execute("UPDATE sads SET sealed_key = $1", {core::random_bytes(64)});
    });
    from = store.all_events().size();
    EXPECT_FALSE(refusal([&] { sign(sad, {b}); }).empty());
    EXPECT_EQ(actions_since(from), (std::vector<std::string>{"csc.sad.consumed", "csc.signatures.failed"}));
    EXPECT_TRUE(audit::verify_chain(store.all_events(), {}, {}).ok);
}

INSTANTIATE_TEST_SUITE_P(Backends, CscServiceTest, ::testing::ValuesIn(test::db_kinds()), test::db_kind_name);
