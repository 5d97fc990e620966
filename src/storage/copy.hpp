#pragma once
// Copies every yunqian table from one database to another (e.g. SQLite → PostgreSQL when an installation grows to
// several nodes). The target must be freshly migrated and hold no certificates or audit events; everything is written
// in one target transaction, so a failed copy leaves the target as it was.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace yq::storage {

// Table → the columns copied (for the test that holds this list to the schema).
std::map<std::string, std::vector<std::string>> copied_columns();
// Sessions that are deliberately not copied.
inline const std::vector<std::string>& tables_not_copied() {
    static const std::vector<std::string> k{"schema_migrations", "access_tokens", "sads", "staff_tokens"};
    return k;
}

// Returns rows copied per table. Throws Error "db.copy_target_not_empty" / "db.copy_schema_mismatch".
std::map<std::string, std::int64_t> copy_database(Database& source, Database& target);

}  // namespace yq::storage
