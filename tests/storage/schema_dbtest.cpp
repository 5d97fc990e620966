// #15: the two migration trees (storage/migrations/sqlite and …/postgres) describe one schema. After every migration
// both databases have the same tables, the same columns with the same NOT NULL rules, and the same named indexes — so
// a migration written for one backend only, or a column forgotten in one tree, fails here. Needs PostgreSQL
// (YQ_PG_DSN, which ./yq test sets).
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "support/fixtures.hpp"

using namespace yq;

namespace {

struct Schema {
    std::map<std::string, std::map<std::string, bool>> columns;  // table → column → NOT NULL
    std::set<std::string> indexes;                               // named indexes (not those behind keys)
};

Schema sqlite_schema(storage::Database& db) {
    Schema out;
    db.with_connection([&](storage::Connection& c) {
        for (const auto& t : c.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")) {
            const std::string table = t.text(0);
            for (const auto& col : c.query("SELECT name, \"notnull\", pk FROM pragma_table_info($1)", {table}))
                out.columns[table][col.text(0)] = col.integer(1) != 0 || col.integer(2) != 0;  // a key is never NULL
        }
        for (const auto& i : c.query("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"))
            out.indexes.insert(i.text(0));
    });
    return out;
}

Schema postgres_schema(storage::Database& db) {
    Schema out;
    db.with_connection([&](storage::Connection& c) {
        for (const auto& col : c.query("SELECT table_name::text, column_name::text, is_nullable::text "
                                       "FROM information_schema.columns WHERE table_schema = current_schema()"))
            out.columns[col.text(0)][col.text(1)] = col.text(2) == "NO";
        // indexes PostgreSQL makes for primary keys and UNIQUE constraints have no CREATE INDEX of ours
        for (const auto& i : c.query("SELECT i.indexname::text FROM pg_indexes i WHERE i.schemaname = current_schema() "
                                     "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)"))
            out.indexes.insert(i.text(0));
    });
    return out;
}

}  // namespace

TEST(SchemaTest, TheSqliteAndPostgresMigrationTreesEndInTheSameSchema) {
    if (std::getenv("YQ_PG_DSN") == nullptr) GTEST_SKIP() << "needs PostgreSQL (YQ_PG_DSN)";
    test::TestDatabase sqlite(test::DbKind::Sqlite), postgres(test::DbKind::Postgres);
    Schema a = sqlite_schema(sqlite.db()), b = postgres_schema(postgres.db());
    ASSERT_GT(a.columns.size(), 20u) << "the SQLite schema was not read";

    std::set<std::string> tables;
    for (const auto& [t, _] : a.columns) tables.insert(t);
    for (const auto& [t, _] : b.columns) tables.insert(t);
    for (const auto& t : tables) {
        if (!a.columns.count(t) || !b.columns.count(t)) {
            ADD_FAILURE() << "table " << t << " is only in " << (a.columns.count(t) ? "SQLite" : "PostgreSQL");
            continue;
        }
        std::set<std::string> columns;
        for (const auto& [c, _] : a.columns[t]) columns.insert(c);
        for (const auto& [c, _] : b.columns[t]) columns.insert(c);
        for (const auto& c : columns) {
            auto in_a = a.columns[t].find(c), in_b = b.columns[t].find(c);
            if (in_a == a.columns[t].end() || in_b == b.columns[t].end()) {
                ADD_FAILURE() << t << "." << c << " is only in " << (in_a != a.columns[t].end() ? "SQLite" : "PostgreSQL");
                continue;
            }
            EXPECT_EQ(in_a->second, in_b->second) << t << "." << c << ": NOT NULL differs (SQLite "
                                                  << in_a->second << ", PostgreSQL " << in_b->second << ")";
        }
    }
    for (const auto& i : a.indexes) EXPECT_TRUE(b.indexes.count(i)) << "index " << i << " is only in SQLite";
    for (const auto& i : b.indexes) EXPECT_TRUE(a.indexes.count(i)) << "index " << i << " is only in PostgreSQL";
}
