#include "storage/migrations.hpp"

#include <ctime>

#include "storage/database.hpp"
#include "storage/sql/audit_sql.hpp"

namespace yq::storage {

namespace {
constexpr std::int64_t kMigrationLockId = 0x79710001;  // "yq" + 1
}

std::vector<std::string> migrate(Database& db) {
    const char* backend = db.backend() == Backend::Sqlite ? "sqlite" : "postgres";
    std::vector<std::string> applied;
    db.transact([&](Connection& c) {
        if (c.backend() == Backend::Postgres) c.query("SELECT pg_advisory_xact_lock($1)", {kMigrationLockId});
        c.execute_script("CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)");
        for (const Migration& m : embedded_migrations()) {
            if (std::string(m.backend) != backend) continue;
            if (c.query_one("SELECT version FROM schema_migrations WHERE version = $1", {std::string(m.name)})) continue;
            c.execute_script(m.sql);
            c.execute("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                      {std::string(m.name), static_cast<std::int64_t>(std::time(nullptr))});
            applied.push_back(m.name);
        }
    });
    // #17: a group commit's lock order is its units' orders one after the other, so one node's group could hold the
    // audit head and wait for a row another node's transaction holds while waiting for the head (PostgreSQL: "deadlock
    // detected"). Every transaction takes the head first instead; they nearly all write an audit event anyway, and
    // SQLite's writer lock serialises them already.
    if (db.backend() == Backend::Postgres) db.lock_first_in_every_transaction(sql::kLockAuditHeadFirst);
    return applied;
}

}  // namespace yq::storage
