#pragma once
// #17: a consistent copy of a live SQLite database for `yunqian backup` (PostgreSQL is backed up with pg_dump).
// Error style: throws yq::Error "db.*".
#include <string>

namespace yq::storage {

// Copies the database at `source_path` into a new file `target_path` with SQLite's online backup API
// (https://www.sqlite.org/backup.html): the copy is the database as of one moment, even while servers write to it.
void snapshot_sqlite(const std::string& source_path, const std::string& target_path, int busy_timeout_ms);

}  // namespace yq::storage
