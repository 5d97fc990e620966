#pragma once
// Numbered migrations (V001__init.sql …), one folder per backend, embedded at build time. A released migration is
// never edited; changes come as the next number.
#include <string>
#include <vector>

namespace yq::storage {

class Database;

struct Migration {
    const char* backend;  // "sqlite" | "postgres"
    const char* name;     // "V001__init"
    const char* sql;
};

const std::vector<Migration>& embedded_migrations();

// Applies every migration not yet recorded in schema_migrations, each in its own transaction (PostgreSQL: under an
// advisory lock, so several nodes may start at once). Returns the names applied.
std::vector<std::string> migrate(Database& db);

}  // namespace yq::storage
