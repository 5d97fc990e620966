// SQLite online backup (https://www.sqlite.org/c3ref/backup_finish.html): the whole database in one step, so that no
// writer's change can restart it half-way; the source is only read-locked for that step.
#include <sqlite3.h>

#include <filesystem>

#include "core/error.hpp"
#include "storage/backup.hpp"

namespace yq::storage {

namespace {

struct Handle {
    sqlite3* db = nullptr;
    ~Handle() { sqlite3_close_v2(db); }
};

void open_database(Handle& h, const std::string& path, int flags, int busy_timeout_ms) {
    if (sqlite3_open_v2(path.c_str(), &h.db, flags, nullptr) != SQLITE_OK)
        throw Error("db.unavailable", 503,
                    "cannot open SQLite database " + path + ": " + (h.db ? sqlite3_errmsg(h.db) : "out of memory"));
    sqlite3_busy_timeout(h.db, busy_timeout_ms);
}

}  // namespace

void snapshot_sqlite(const std::string& source_path, const std::string& target_path, int busy_timeout_ms) {
    if (std::filesystem::exists(target_path))
        throw Error("db.backup_target_exists", 409, "the backup file " + target_path + " exists already");
    Handle source, target;
    open_database(source, source_path, SQLITE_OPEN_READONLY, busy_timeout_ms);
    open_database(target, target_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, busy_timeout_ms);
    sqlite3_backup* backup = sqlite3_backup_init(target.db, "main", source.db, "main");
    if (backup == nullptr) throw Error("db.backup_failed", 500, std::string("backup: ") + sqlite3_errmsg(target.db));
    int rc = SQLITE_OK;
    for (int attempt = 0; attempt < 100; ++attempt) {
        rc = sqlite3_backup_step(backup, -1);  // -1: every page in one step
        if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
        sqlite3_sleep(busy_timeout_ms / 100 + 1);
    }
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) {
        std::string message = sqlite3_errstr(rc);
        std::filesystem::remove(target_path);
        throw Error(rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? "db.busy" : "db.backup_failed",
                    rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? 503 : 500,
                    "the database could not be copied (" + message + "); try again");
    }
}

}  // namespace yq::storage
