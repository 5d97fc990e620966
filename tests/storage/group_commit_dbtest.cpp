// Group commit (#19, storage/database.hpp): units of work that arrive while another commits share the next durable
// commit, each in its own savepoint. What must not change: each caller learns its own outcome, a failing unit of work
// takes nothing of the others with it, and the audit chain stays one unbroken chain.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include "audit/event.hpp"
#include "core/error.hpp"
#include "storage/audit_append.hpp"
#include "storage/sql_store.hpp"
#include "support/fixtures.hpp"

using namespace yq;
using test::DbKind;

namespace {

constexpr int kFollowers = 7;
const std::string kCommitted = "(no error)";  // test::error_code_of when nothing was thrown

class GroupCommitTest : public ::testing::TestWithParam<DbKind> {
protected:
    test::TestDatabase database{GetParam()};
    storage::SqlStore store{database.db()};

    static audit::Event event(const std::string& action) { return audit::Event{"test", action, "object", "{}", 1764000000}; }

    // Runs `first` as a unit of work that holds its commit until `kFollowers` others are waiting behind it, then
    // runs followers[i] from their own threads. Returns each follower's error code (kCommitted when it committed).
    std::vector<std::string> line_up(const std::function<void(storage::Connection&)>& first,
                                     const std::vector<std::function<void(storage::Connection&)>>& followers) {
        storage::Database& db = database.db();
        std::atomic<bool> inside{false};
        std::thread leader([&] {
            db.transact([&](storage::Connection& c) {
                first(c);
                inside = true;
                auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
                while (db.waiting_transactions() < followers.size() && std::chrono::steady_clock::now() < deadline)
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
            });
        });
        while (!inside) std::this_thread::sleep_for(std::chrono::milliseconds(1));  // the followers queue behind it
        std::vector<std::string> codes(followers.size());
        std::vector<std::thread> threads;
        for (std::size_t i = 0; i < followers.size(); ++i)
            threads.emplace_back([&, i] { codes[i] = test::error_code_of([&] { db.transact(followers[i]); }); });
        for (auto& t : threads) t.join();
        leader.join();
        return codes;
    }

    std::size_t event_count() { return store.all_events().size(); }
};

TEST_P(GroupCommitTest, UnitsOfWorkArrivingDuringACommitShareTheNextOne) {
    auto before = database.db().commit_stats();
    std::size_t events_before = event_count();
    std::vector<std::function<void(storage::Connection&)>> followers;
    for (int i = 0; i < kFollowers; ++i)
        followers.push_back([i](storage::Connection& c) { storage::append_audit_event(c, event("follower-" + std::to_string(i))); });
    auto codes = line_up([](storage::Connection& c) { storage::append_audit_event(c, event("leader")); }, followers);
    for (const auto& code : codes) EXPECT_EQ(code, kCommitted);
    auto after = database.db().commit_stats();
    EXPECT_EQ(after.transactions - before.transactions, 1u + kFollowers);
    EXPECT_EQ(after.commits - before.commits, 2u) << "the leader's commit, then one for the seven that waited";
    EXPECT_EQ(event_count(), events_before + 1 + kFollowers);
    auto report = audit::verify_chain(store.all_events(), {}, {});
    EXPECT_TRUE(report.ok) << report.problem;
}

TEST_P(GroupCommitTest, AFailingUnitOfWorkRollsBackAloneAndGetsItsOwnError) {
    pki::CertificateRecord cert{"0c", "signer", "CN=x", 1, 2, core::Bytes{0x30, 0x00}, "valid", {}, "", {}};
    store.insert_certificate(cert, event("ca.certificate.issued"));
    std::size_t events_before = event_count();
    std::vector<std::function<void(storage::Connection&)>> followers;
    for (int i = 0; i < kFollowers; ++i) {
        if (i == 3) {
            // writes an audit event, then a duplicate serial: both must go, and only from this unit of work
            followers.push_back([&](storage::Connection&) { store.insert_certificate(cert, event("duplicate")); });
        } else {
            followers.push_back([i](storage::Connection& c) { storage::append_audit_event(c, event("ok-" + std::to_string(i))); });
        }
    }
    auto codes = line_up([](storage::Connection& c) { storage::append_audit_event(c, event("leader")); }, followers);
    for (int i = 0; i < kFollowers; ++i) EXPECT_EQ(codes[static_cast<std::size_t>(i)], i == 3 ? "db.constraint" : kCommitted) << i;
    auto events = store.all_events();
    EXPECT_EQ(events.size(), events_before + kFollowers);  // the leader and six followers
    for (const auto& e : events) EXPECT_NE(e.event.action, "duplicate");
    auto report = audit::verify_chain(events, {}, {});
    EXPECT_TRUE(report.ok) << report.problem;
}

TEST_P(GroupCommitTest, WhenTheSharedCommitFailsNoUnitOfWorkOfTheGroupIsStoredAndEachIsTold) {
    // A deferred foreign key is checked only at COMMIT: one unit of work that breaks it makes the group's commit fail.
    database.db().with_connection([](storage::Connection& c) {
        c.execute_script("CREATE TABLE gc_parent (id BIGINT PRIMARY KEY);"
                         "CREATE TABLE gc_child (parent BIGINT REFERENCES gc_parent (id) DEFERRABLE INITIALLY DEFERRED)");
    });
    std::size_t events_before = event_count();
    std::vector<std::function<void(storage::Connection&)>> followers;
    for (int i = 0; i < kFollowers; ++i)
        followers.push_back([i](storage::Connection& c) {
            storage::append_audit_event(c, event("group-" + std::to_string(i)));
            if (i == 5) c.execute("INSERT INTO gc_child (parent) VALUES (42)");
        });
    auto codes = line_up([](storage::Connection& c) { storage::append_audit_event(c, event("leader")); }, followers);
    for (const auto& code : codes) EXPECT_EQ(code, "db.constraint");
    EXPECT_EQ(event_count(), events_before + 1) << "only the leader's own commit";
    auto report = audit::verify_chain(store.all_events(), {}, {});
    EXPECT_TRUE(report.ok) << report.problem;
    // and the database takes the next unit of work normally
    store.record_event(event("after"));
    EXPECT_EQ(event_count(), events_before + 2);
}

TEST_P(GroupCommitTest, ACachedStatementRunInsideItsOwnRowLoopGetsAFreshCopy) {
    for (int i = 0; i < 3; ++i) store.record_event(event("row-" + std::to_string(i)));
    const std::string sql = "SELECT seq FROM audit_events ORDER BY seq";
    int outer = 0, inner_total = 0;
    database.db().with_connection([&](storage::Connection& c) {
        c.query_each(sql, {}, [&](const storage::Row&) {
            ++outer;
            inner_total += static_cast<int>(c.query(sql).size());
        });
    });
    EXPECT_EQ(outer, 3);
    EXPECT_EQ(inner_total, 9);
    // a statement that failed is reset, not left half-run: the same SQL works again on the same connection
    database.db().with_connection([&](storage::Connection& c) {
        const std::string insert = "INSERT INTO audit_events (seq, time, actor, action, object, details, prev_hash, hash) "
                                   "VALUES ($1, 0, 'a', 'b', 'c', '{}', $2, $2)";
        EXPECT_EQ(test::error_code_of([&] { c.execute(insert, {std::int64_t{1}, core::Bytes(32)}); }), "db.constraint");
        EXPECT_EQ(test::error_code_of([&] { c.execute(insert, {std::int64_t{2}, core::Bytes(32)}); }), "db.constraint");
        EXPECT_EQ(c.query(sql).size(), 3u);
    });
}

INSTANTIATE_TEST_SUITE_P(Backends, GroupCommitTest, ::testing::ValuesIn(test::db_kinds()), test::db_kind_name);

}  // namespace
