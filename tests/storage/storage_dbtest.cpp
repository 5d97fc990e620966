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
    store.revoke_certificate("01", "keyCompromise", 1764000100, std::nullopt,
                             [](const pki::CertificateRecord& r) { return pki::OcspRecord{r.serial, 1, 2, {0x30}}; },
                             event("ca.certificate.revoked"));
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

    // A failure inside the OCSP signing callback rolls back the revocation and its audit event.
    EXPECT_THROW(store.revoke_certificate(
                     "01", "superseded", 5, std::nullopt,
                     [](const pki::CertificateRecord&) -> pki::OcspRecord { throw Error("hsm.unavailable", 503, "down"); },
                     event("ca.certificate.revoked")),
                 Error);
    EXPECT_EQ(store.find_certificate("01")->status, "valid");
    EXPECT_EQ(store.all_events().size(), 1u);
    EXPECT_EQ(store.status_epoch(), 0);
}

TEST_P(StorageTest, RevokingTwiceOrUnknownSerialGivesStableCodes) {
    store.insert_certificate(cert("0a"), event("issued"));
    auto sign = [](const pki::CertificateRecord& r) { return pki::OcspRecord{r.serial, 1, 2, {0x30}}; };
    store.revoke_certificate("0a", "superseded", 5, std::nullopt, sign, event("revoked"));
    try {
        store.revoke_certificate("0a", "superseded", 6, std::nullopt, sign, event("revoked"));
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "ca.already_revoked");
    }
    try {
        store.revoke_certificate("ff", "superseded", 6, std::nullopt, sign, event("revoked"));
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "ca.unknown_serial");
    }
    EXPECT_EQ(store.all_events().size(), 2u);
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
    std::int64_t a = store.next_tsa_serial(), b = store.next_tsa_serial();
    EXPECT_EQ(b, a + 1);
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
