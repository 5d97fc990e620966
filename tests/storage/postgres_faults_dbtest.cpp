// #17 (PostgreSQL restarted under a serving node; two nodes' lock orders): a unit of work whose connection died must not hand that connection
// back to the pool — before the fix every later unit of work took the dead connection and failed with
// db.unavailable until the node was restarted.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "audit/event.hpp"
#include "core/error.hpp"
#include "storage/audit_append.hpp"
#include "storage/migrations.hpp"
#include "support/fixtures.hpp"

using namespace yq;

namespace {

TEST(BrokenConnection, AConnectionKilledInsideAUnitOfWorkIsNotPooledAgain) {
    if (test::db_kinds().size() < 2) GTEST_SKIP() << "needs PostgreSQL (YQ_PG_DSN)";
    test::TestDatabase database(test::DbKind::Postgres);
    auto db = storage::Database::open(database.url(), 10000, 1);  // one pooled connection: the dead one would be it
    // the server ends this connection's backend, as a PostgreSQL restart does
    EXPECT_EQ(test::error_code_of([&] {
                  db->transact([](storage::Connection& c) { c.query("SELECT pg_terminate_backend(pg_backend_pid())"); });
              }),
              "db.unavailable");
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(test::error_code_of([&] {
                      db->transact([](storage::Connection& c) { c.execute("UPDATE counters SET value = value WHERE name = 'tsa_serial'"); });
                  }),
                  "(no error)")
            << "unit of work " << i << " after the dead connection";
        EXPECT_EQ(test::error_code_of([&] { db->with_connection([](storage::Connection& c) { c.query("SELECT 1"); }); }),
                  "(no error)");
    }
}

}  // namespace

namespace {

// #17 (found with three nodes behind HAProxy: "deadlock detected" on signHash): group commit runs several units of work
// in one transaction, so a group's lock order is its units' orders one after the other — it can take the audit
// chain's head row (an event of its first unit) before a SAD row (the second unit's compare-and-swap) while another
// node's transaction holds that SAD row and waits for the head. Modelled here with one unit of work per node in the
// two orders. Every PostgreSQL transaction now takes the head row first, so they queue instead of deadlocking.
TEST(CrossNodeLockOrder, TwoNodesTakingTheHeadAndAnotherRowInOppositeOrdersDoNotDeadlock) {
    if (test::db_kinds().size() < 2) GTEST_SKIP() << "needs PostgreSQL (YQ_PG_DSN)";
    test::TestDatabase database(test::DbKind::Postgres);
    auto node_a = storage::Database::open(database.url(), 10000, 2);
    auto node_b = storage::Database::open(database.url(), 10000, 2);
    storage::migrate(*node_a);
    storage::migrate(*node_b);
    const audit::Event e{"test", "test.lock_order", "counter", "{}", 1764000000};
    std::atomic<bool> b_holds_row{false}, a_started{false};
    std::string a_error, b_error;
    std::thread b([&] {
        b_error = test::error_code_of([&] {
            node_b->transact([&](storage::Connection& c) {
                c.execute("UPDATE counters SET value = value + 1 WHERE name = 'tsa_serial'");  // the row first
                b_holds_row = true;
                while (!a_started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
                std::this_thread::sleep_for(std::chrono::milliseconds(200));  // A is now waiting where it waits
                storage::append_audit_event(c, e);                              // then the head
            });
        });
    });
    while (!b_holds_row) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    a_error = test::error_code_of([&] {
        a_started = true;
        node_a->transact([&](storage::Connection& c) {
            storage::append_audit_event(c, e);                                                // the head first
            c.execute("UPDATE counters SET value = value + 1 WHERE name = 'tsa_serial'");  // then the row
        });
    });
    b.join();
    EXPECT_EQ(a_error, "(no error)");
    EXPECT_EQ(b_error, "(no error)");
}

}  // namespace
