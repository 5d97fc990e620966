// The RA case-file repository on a real database (SQLite; PostgreSQL when YQ_PG_DSN is set): unique names, the
// optimistic version check, and units of work that commit together or not at all.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "core/error.hpp"
#include "storage/sql_store.hpp"
#include "support/fixtures.hpp"

using namespace yq;
using test::DbKind;

class RegistryStoreTest : public ::testing::TestWithParam<DbKind> {
protected:
    test::TestDatabase database{GetParam()};
    storage::SqlStore store{database.db()};

    audit::Event event(const std::string& action) { return audit::Event{"staff:t", action, "object", "{}", 1764000000}; }
    ra::StoredRecord record(const std::string& id, const std::string& status = "submitted") {
        return ra::StoredRecord{id, "application", "agc_1", status, 1, R"({"id":")" + id + R"("})", 1, 1};
    }
    std::size_t audit_events() { return store.all_events().size(); }
};

TEST_P(RegistryStoreTest, AHeldUniqueKeyRefusesTheWholeInsert) {
    store.insert_record(record("app_1"), {"username:chan"}, {}, event("application.submitted"));
    std::size_t before = audit_events();
    EXPECT_EQ(test::error_code_of([&] {
                  store.insert_record(record("app_2"), {"username:chan"}, {}, event("application.submitted"));
              }),
              "ra.duplicate");
    EXPECT_FALSE(store.record("app_2"));
    EXPECT_EQ(audit_events(), before);
    EXPECT_EQ(store.unique_key_owner("username:chan"), std::optional<std::string>("app_1"));
}

TEST_P(RegistryStoreTest, AStaleVersionWritesNothingAndReleasedKeysAreFreeAgain) {
    store.insert_record(record("app_1"), {"username:chan"}, {}, event("application.submitted"));
    ra::StoredRecord next = record("app_1", "rejected");
    next.version = 2;
    std::size_t before = audit_events();
    EXPECT_FALSE(store.update_record(next, 7, {"username:chan"}, {}, event("application.rejected")));
    EXPECT_EQ(audit_events(), before);
    EXPECT_EQ(store.record("app_1")->status, "submitted");
    EXPECT_TRUE(store.update_record(next, 1, {"username:chan"}, {}, event("application.rejected")));
    EXPECT_EQ(store.record("app_1")->version, 2);
    EXPECT_FALSE(store.unique_key_owner("username:chan"));
    EXPECT_EQ(audit_events(), before + 1);
}

TEST_P(RegistryStoreTest, OfManyConcurrentWritersOfOneVersionExactlyOneWins) {
    store.insert_record(record("app_1"), {}, {}, event("application.submitted"));
    std::atomic<int> won{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&, i] {
            ra::StoredRecord next = record("app_1", "approved-by-" + std::to_string(i));
            next.version = 2;
            try {
                if (store.update_record(next, 1, {}, {}, event("application.approved"))) ++won;
            } catch (const Error& e) {
                ADD_FAILURE() << e.code() << " " << e.what();
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(won.load(), 1);
    EXPECT_EQ(store.record("app_1")->version, 2);
}

TEST_P(RegistryStoreTest, AUnitOfWorkRollsBackEveryRepositoryItTouched) {
    std::size_t before = audit_events();
    EXPECT_THROW(store.atomically([&] {
        store.insert_record(record("app_1"), {"username:chan"}, {}, event("application.submitted"));
        store.put_document(ra::StoredDocument{"ab", "application/pdf", 5, core::to_bytes("%PDF-")}, 1,
                           event("document.uploaded"));
        store.insert_certificate(pki::CertificateRecord{"0A", "signer", "CN=x", 1, 2, core::Bytes{0x30, 0x00}, "valid",
                                                        {}, "", {}},
                                 event("ca.certificate.issued"));
        throw_conflict("test.abort", "the last step failed");
    }),
                 Error);
    EXPECT_FALSE(store.record("app_1"));
    EXPECT_FALSE(store.document("ab"));
    EXPECT_FALSE(store.find_certificate("0A"));
    EXPECT_FALSE(store.unique_key_owner("username:chan"));
    EXPECT_EQ(audit_events(), before);
    // and a unit of work that finishes commits all of it
    store.atomically([&] {
        store.insert_record(record("app_1"), {"username:chan"}, {}, event("application.submitted"));
        store.put_document(ra::StoredDocument{"ab", "application/pdf", 5, core::to_bytes("%PDF-")}, 1,
                           event("document.uploaded"));
    });
    EXPECT_TRUE(store.record("app_1"));
    EXPECT_TRUE(store.document("ab"));
    EXPECT_EQ(audit_events(), before + 2);
}

TEST_P(RegistryStoreTest, IdentityIndexFindsRecordsByKeyedHashAndDocumentsAreStoredOnce) {
    core::Bytes mac{1, 2, 3};
    store.insert_record(record("app_1"), {}, {mac}, event("a"));
    store.insert_record(record("app_2"), {}, {}, event("a"));
    auto next = record("app_2", "id_sighted");
    next.version = 2;
    ASSERT_TRUE(store.update_record(next, 1, {}, {mac}, event("b")));
    EXPECT_EQ(store.records_with_identity(mac).size(), 2u);
    EXPECT_TRUE(store.records_with_identity(core::Bytes{9}).empty());
    std::size_t before = audit_events();
    ra::StoredDocument d{"cd", "image/png", 3, core::Bytes{1, 2, 3}};
    store.put_document(d, 1, event("document.uploaded"));
    store.put_document(d, 2, event("document.uploaded"));
    EXPECT_EQ(audit_events(), before + 1);
    store.attach("app_1", ra::Attachment{"user_id_copy", "cd", "staff:t", 1}, event("document.attached"));
    store.attach("app_1", ra::Attachment{"user_id_copy", "cd", "staff:t", 2}, event("document.attached"));
    EXPECT_EQ(store.attachments("app_1").size(), 1u);
    EXPECT_EQ(store.records("application", "agc_1", "id_sighted").size(), 1u);
    EXPECT_EQ(store.records("application", "", "").size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Backends, RegistryStoreTest, ::testing::ValuesIn(test::db_kinds()), test::db_kind_name);
