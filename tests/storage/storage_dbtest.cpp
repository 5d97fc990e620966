#include <gtest/gtest.h>

#include <thread>

#include "audit/event.hpp"
#include "core/error.hpp"
#include "storage/audit_append.hpp"
#include "storage/migrations.hpp"
#include "storage/sql_store.hpp"
#include "support/fixtures.hpp"

using namespace yq;
using test::DbKind;

class StorageTest : public ::testing::TestWithParam<DbKind> {
protected:
    test::TestDatabase database{GetParam()};
    storage::SqlStore store{database.db()};

    audit::Event event(const std::string& action, std::int64_t t = 1764000000) {
        return audit::Event{"test", action, "object", "{}", t};
    }
    pki::CertificateRecord cert(const std::string& serial) {
        return pki::CertificateRecord{serial, "signer", "CN=x", 1, 2, core::Bytes{0x30, 0x00}, "valid", {}, "", {}};
    }
};

TEST_P(StorageTest, MigrationsAreAppliedOnceAndRecorded) {
    EXPECT_TRUE(storage::migrate(database.db()).empty());  // the fixture already migrated
    std::int64_t n = 0;
    database.db().with_connection(
        [&](storage::Connection& c) { n = c.query_one("SELECT count(*) FROM schema_migrations")->integer(0); });
    EXPECT_GE(n, 1);
}

TEST_P(StorageTest, EveryChangeAppendsAVerifiableChain) {
    store.insert_certificate(cert("01"), event("ca.certificate.issued"));
    store.insert_certificate(cert("02"), event("ca.certificate.issued"));
    store.revoke_certificate("01", "keyCompromise", 1764000100, std::nullopt, event("ca.certificate.revoked"));
    auto events = store.all_events();
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[2].event.action, "ca.certificate.revoked");
    auto report = audit::verify_chain(events, {}, {});
    EXPECT_TRUE(report.ok) << report.problem;
    EXPECT_EQ(store.recorded_head_seq(), 3);
    EXPECT_EQ(store.status_epoch(), 1);
    EXPECT_EQ(store.find_certificate("01")->status, "revoked");
    EXPECT_EQ(store.find_certificate("01")->reason, "keyCompromise");
}

TEST_P(StorageTest, FailedChangeLeavesNeitherRowNorAuditEvent) {
    store.insert_certificate(cert("01"), event("ca.certificate.issued"));
    try {
        store.insert_certificate(cert("01"), event("ca.certificate.issued"));  // duplicate serial
        FAIL() << "duplicate serial accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "db.constraint");
    }
    EXPECT_EQ(store.all_events().size(), 1u);
    EXPECT_EQ(store.recorded_head_seq(), 1);

    // A revocation is committed on its own before the HSM signs its answer and the CRL (#14): inside a unit of work
    // it is refused before anything is written.
    EXPECT_EQ(test::error_code_of([&] {
                  store.atomically([&] {
                      store.revoke_certificate("01", "superseded", 5, std::nullopt, event("ca.certificate.revoked"));
                  });
              }),
              "audit.event_inside_unit_of_work");
    EXPECT_EQ(store.find_certificate("01")->status, "valid");
    EXPECT_EQ(store.all_events().size(), 1u);
    EXPECT_EQ(store.status_epoch(), 0);
}

TEST_P(StorageTest, RevokingTwiceOrUnknownSerialGivesStableCodes) {
    store.insert_certificate(cert("0a"), event("issued"));
    store.revoke_certificate("0a", "superseded", 5, std::nullopt, event("revoked"));
    try {
        store.revoke_certificate("0a", "superseded", 6, std::nullopt, event("revoked"));
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "ca.already_revoked");
    }
    try {
        store.revoke_certificate("ff", "superseded", 6, std::nullopt, event("revoked"));
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "ca.unknown_serial");
    }
    EXPECT_EQ(store.all_events().size(), 2u);
}

// #14 (found in review): a responder signs "good" for a certificate just before it is revoked and stores that answer
// just after — every node would then serve "good" for a revoked certificate until the answer expires. The store keeps
// an answer only while the certificate still has the status it states, under the certificate row's lock; the
// revocation drops the stored answer in its own transaction.
TEST_P(StorageTest, StaleGoodOcspAnswerRacingARevocationIsNeverLeftStored) {
    auto answer = [](const std::string& serial, const char* status, std::uint8_t mark) {
        return pki::OcspRecord{serial, 1, 2, {0x30, mark}, status};
    };
    store.insert_certificate(cert("0c"), event("issued"));
    EXPECT_TRUE(store.put_ocsp_response(answer("0c", "valid", 1)));
    store.revoke_certificate("0c", "keyCompromise", 5, std::nullopt, event("revoked"));
    EXPECT_FALSE(store.ocsp_response("0c")) << "the old good answer outlived the revocation";
    EXPECT_FALSE(store.put_ocsp_response(answer("0c", "valid", 1)));  // signed before, stored after: refused
    EXPECT_FALSE(store.ocsp_response("0c"));
    EXPECT_TRUE(store.put_ocsp_response(answer("0c", "revoked", 2)));
    EXPECT_EQ(store.ocsp_response("0c")->der, (core::Bytes{0x30, 2}));

    // the race itself: responders keep storing "good" while the revocation commits and stores "revoked"
    for (int round = 0; round < 12; ++round) {
        std::string serial = "d" + std::to_string(round);
        store.insert_certificate(cert(serial), event("issued"));
        std::atomic<bool> revoked{false};
        std::vector<std::thread> responders;
        for (int t = 0; t < 3; ++t)
            responders.emplace_back([&] {
                for (int i = 0; i < 100000 && !revoked.load(); ++i) store.put_ocsp_response(answer(serial, "valid", 1));
                store.put_ocsp_response(answer(serial, "valid", 1));  // one more, signed before it saw the revocation
            });
        std::this_thread::sleep_for(std::chrono::milliseconds(round % 4));
        store.revoke_certificate(serial, "keyCompromise", 5, std::nullopt, event("revoked"));
        store.put_ocsp_response(answer(serial, "revoked", 2));
        revoked = true;
        for (auto& th : responders) th.join();
        auto stored = store.ocsp_response(serial);
        ASSERT_TRUE(stored) << serial;
        EXPECT_EQ(stored->der, (core::Bytes{0x30, 2})) << "a good answer is stored for revoked " << serial;
    }
}

// #14: a CRL number is reserved with the revocations it lists, in one short transaction audited before the signature;
// the CRL row comes after with its own event. A later number lists every revocation an earlier one did.
TEST_P(StorageTest, ACrlNumberIsReservedWithItsEntriesAndAuditedAroundTheSignature) {
    store.insert_certificate(cert("e1"), event("issued"));
    store.insert_certificate(cert("e2"), event("issued"));
    store.revoke_certificate("e1", "keyCompromise", 5, std::nullopt, event("revoked"));
    std::vector<std::pair<std::string, std::string>> listed;
    auto collect = [&](const pki::RevokedRow& r) { listed.emplace_back(std::string(r.serial), std::string(r.reason)); };
    std::int64_t first = store.reserve_crl(event("ca.crl.signing"), collect);
    EXPECT_EQ(listed, (std::vector<std::pair<std::string, std::string>>{{"e1", "keyCompromise"}}));
    store.revoke_certificate("e2", "superseded", 6, std::nullopt, event("revoked"));
    listed.clear();
    std::int64_t second = store.reserve_crl(event("ca.crl.signing"), collect);
    EXPECT_GT(second, first);
    EXPECT_EQ(listed.size(), 2u);
    store.store_crl(pki::CrlRecord{second, 10, 20, {0x30, 0x00}}, event("ca.crl.published"));
    EXPECT_EQ(store.latest_crl()->number, second);
    auto events = store.all_events();
    EXPECT_EQ(events[events.size() - 2].event.object, "crl:" + std::to_string(second));
    EXPECT_EQ(events[events.size() - 2].event.details, audit::details({{"entries", "2"}}));
    EXPECT_EQ(events[events.size() - 2].event.action, "ca.crl.signing");
    EXPECT_EQ(events.back().event.action, "ca.crl.published");
    EXPECT_EQ(test::error_code_of([&] { store.atomically([&] { store.reserve_crl(event("ca.crl.signing"), collect); }); }),
              "audit.event_inside_unit_of_work");
}

TEST_P(StorageTest, AuditRowsAreAppendOnlyInTheDatabase) {
    store.record_event(event("one"));
    bool refused = false;
    try {
        database.db().with_connection(
            [](storage::Connection& c) { c.execute("UPDATE audit_events SET actor = 'mallory' WHERE seq = 1"); });
    } catch (const Error&) {
        refused = true;
    }
    EXPECT_TRUE(refused);
}

TEST_P(StorageTest, ConcurrentAppendersKeepOneUnbrokenChain) {
    constexpr int kThreads = 8, kEach = 15;
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kEach; ++i) {
                try {
                    store.record_event(event("t" + std::to_string(t) + "-" + std::to_string(i)));
                } catch (const Error&) {
                    ++failures;
                }
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
    auto events = store.all_events();
    EXPECT_EQ(events.size(), static_cast<std::size_t>(kThreads * kEach));
    EXPECT_TRUE(audit::verify_chain(events, {}, {}).ok);
}

TEST_P(StorageTest, CountersAreMonotonic) {
    auto a = store.next_tsa_serial(1764000000000), b = store.next_tsa_serial(1763999990000);  // a clock 10 s back
    EXPECT_EQ(b.serial, a.serial + 1);
    EXPECT_EQ(a.latest_gen_time_ms, 1764000000000);
    EXPECT_EQ(b.latest_gen_time_ms, 1764000000000) << "the latest genTime never goes back";
    EXPECT_EQ(store.next_tsa_serial(1764000005000).latest_gen_time_ms, 1764000005000);
}

TEST_P(StorageTest, BlobsAndUnicodeRoundTrip) {
    core::Bytes der{0x00, 0xff, 0x30, 0x82, 0x00};
    pki::CertificateRecord r = cert("0b");
    r.subject = "CN=陳大文,O=澳門郵電局";
    r.der = der;
    store.insert_certificate(r, event("issued"));
    auto back = store.find_certificate("0b");
    ASSERT_TRUE(back);
    EXPECT_EQ(back->der, der);
    EXPECT_EQ(back->subject, "CN=陳大文,O=澳門郵電局");
}

INSTANTIATE_TEST_SUITE_P(Backends, StorageTest, ::testing::ValuesIn(test::db_kinds()), test::db_kind_name);
