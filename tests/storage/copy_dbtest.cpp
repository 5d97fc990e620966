// `yunqian db copy` moves every table: the list of copied tables and columns is held to the migrated schema, so a
// later migration cannot add data that a move to PostgreSQL would leave behind; and a copy keeps every row.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "storage/copy.hpp"
#include "support/fixtures.hpp"

using namespace yq;

TEST(DatabaseCopyTest, EveryTableAndColumnOfTheSchemaIsCopiedOrDeliberatelyLeftOut) {
    test::TestDatabase db(test::DbKind::Sqlite);
    auto copied = storage::copied_columns();
    const auto& skipped = storage::tables_not_copied();
    std::set<std::string> tables;
    db.db().with_connection([&](storage::Connection& c) {
        for (const auto& r : c.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
            tables.insert(r.text(0));
        for (const auto& table : tables) {
            if (std::find(skipped.begin(), skipped.end(), table) != skipped.end()) continue;
            ASSERT_TRUE(copied.count(table)) << table << " is in the schema but `db copy` does not copy it";
            std::set<std::string> schema_columns, copy_columns(copied[table].begin(), copied[table].end());
            for (const auto& col : c.query("SELECT name FROM pragma_table_info('" + table + "')")) schema_columns.insert(col.text(0));
            EXPECT_EQ(copy_columns, schema_columns) << table;
        }
    });
    for (const auto& [table, columns] : copied) EXPECT_TRUE(tables.count(table)) << table << " is copied but not in the schema";
}
