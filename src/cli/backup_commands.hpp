#pragma once
// `yunqian backup | restore` (#17): the documented backup of a home — configuration, database (SQLite; PostgreSQL is
// dumped with pg_dump), the HSM token store and, kept apart under another custodian, the PIN file — and its restore
// onto a fresh home that serves the same CA.
#include <string>

namespace yq::cli {

struct BackupArgs {
    std::string to;       // a new or empty directory
    std::string pins_to;  // a new or empty directory for the PIN file; empty: the PIN file is not copied
};

// Copies the home while servers keep running: SQLite through the online backup API, with the copy's audit chain
// head signed by the HSM audit key in the copy (so the restored chain has no unsigned tail); the token store; the
// configuration; MANIFEST.json with every file's SHA-256. Returns 0.
int backup_home(const std::string& home, const BackupArgs& args);

struct RestoreArgs {
    std::string from;          // what `backup --to` wrote
    std::string pins_from;     // what `backup --pins-to` wrote
    std::string database_url;  // PostgreSQL: the database pg_restore filled; empty keeps the configuration's
};

// Restores onto `home` (new or empty): checks every file against the manifest, copies them, points the SoftHSM
// configuration at the new home's token store, then runs `audit verify` there (which anchors the chain to the HSM's
// root key: the token and the database must belong to the same CA). Returns audit verify's exit code.
int restore_home(const std::string& home, const RestoreArgs& args);

}  // namespace yq::cli
