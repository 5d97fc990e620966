#include "cli/backup_commands.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "audit/head_signer.hpp"
#include "cli/app.hpp"
#include "cli/audit_commands.hpp"
#include "cli/command.hpp"
#include "core/bytes.hpp"
#include "core/error.hpp"
#include "storage/backup.hpp"
#include "storage/copy.hpp"

namespace yq::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kDatabaseFile = "db/yunqian.sqlite3";
constexpr const char* kManifest = "MANIFEST.json";

bool empty_or_missing(const fs::path& dir) { return !fs::exists(dir) || (fs::is_directory(dir) && fs::is_empty(dir)); }

void make_private_directory(const fs::path& dir, const char* code) {
    if (!empty_or_missing(dir)) throw Error(code, 409, dir.string() + " is not empty; give a new or empty directory");
    fs::create_directories(dir);
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace);
}

// SoftHSM's token directory, as the home's SoftHSM configuration names it.
fs::path token_directory(const fs::path& softhsm_conf) {
    std::istringstream in(read_whole_file(softhsm_conf));
    for (std::string line; std::getline(in, line);) {
        auto eq = line.find('=');
        if (line.rfind("directories.tokendir", 0) != 0 || eq == std::string::npos) continue;
        std::string value = line.substr(eq + 1);
        value.erase(0, value.find_first_not_of(" \t"));
        value.erase(value.find_last_not_of(" \t\r") + 1);
        return value;
    }
    throw Error("cli.backup_no_token_store", 400, softhsm_conf.string() + " names no directories.tokendir");
}

bool is_sqlite(const core::Config& c) { return c.sqlite_file().has_value(); }

// Every regular file under `root` except the manifest, by path relative to it, with its SHA-256.
nlohmann::json file_digests(const fs::path& root) {
    nlohmann::json files = nlohmann::json::object();
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file()) continue;
        std::string relative = fs::relative(entry.path(), root).generic_string();
        if (relative == kManifest) continue;
        files[relative] = core::hex_encode(core::sha256(read_whole_file(entry.path())));
    }
    return files;
}

}  // namespace

int backup_home(const std::string& home, const BackupArgs& args) {
    core::Config c = core::load_config(home);
    const fs::path out(args.to);
    make_private_directory(out, "cli.backup_target_not_empty");
    fs::copy_file(fs::path(c.home) / "yunqian.json", out / "yunqian.json");
    fs::create_directories(out / "hsm");
    if (!c.hsm.softhsm2_conf.empty())
        fs::copy(token_directory(c.resolve(c.hsm.softhsm2_conf)), out / "hsm" / "tokens",
                 fs::copy_options::recursive);

    auto app = App::open(c);
    if (is_sqlite(c)) {
        fs::create_directories((out / kDatabaseFile).parent_path());
        storage::snapshot_sqlite(*c.sqlite_file(), (out / kDatabaseFile).string(),
                                 c.database.busy_timeout_ms);
        // the copy's own chain head, signed now: events after the servers' last head signature are covered
        auto copy = storage::Database::open("sqlite:" + (out / kDatabaseFile).string(), c.database.busy_timeout_ms, 1);
        storage::SqlStore store(*copy);
        auto head = audit::sign_head(store, *app->keys, pki::kAuditKeyLabel, app->clock);
        std::cout << "database: SQLite copied"
                  << (head ? ", its audit chain head signed at event " + std::to_string(head->seq) : std::string())
                  << "\n";
    } else {
        audit::sign_head(*app->store, *app->keys, pki::kAuditKeyLabel, app->clock);
        std::cout << "database: PostgreSQL — not in this directory; dump it now with `pg_dump --format=custom` "
                     "(its audit chain head has just been signed)\n";
    }

    if (!args.pins_to.empty()) {
        make_private_directory(args.pins_to, "cli.backup_target_not_empty");
        std::string pins = read_whole_file(c.resolve(c.hsm.pin_file));
        write_private_file(fs::path(args.pins_to) / "pins.json", pins);
        core::secure_wipe(pins.data(), pins.size());
        std::cout << "HSM PIN file: copied to " << args.pins_to << " (keep it apart from the token store)\n";
    } else {
        std::cout << "HSM PIN file: not copied (give --pins-to DIR, kept by another custodian); without it the token "
                     "store cannot be opened\n";
    }
    nlohmann::json manifest{{"made_at", core::to_rfc3339(app->clock.unix_seconds())},
                            {"database", is_sqlite(c) ? "sqlite" : "postgresql"},
                            {"files", file_digests(out)}};
    std::ofstream(out / kManifest) << manifest.dump(2) << "\n";
    std::cout << "backup written to " << out.string() << " (" << manifest["files"].size() << " files, MANIFEST.json)\n";
    return 0;
}

int restore_home(const std::string& home, const RestoreArgs& args) {
    const fs::path from(args.from), to(home);
    nlohmann::json manifest = nlohmann::json::parse(read_whole_file(from / kManifest), nullptr, false);
    if (!manifest.is_object() || !manifest.contains("files"))
        throw Error("cli.backup_corrupt", 400, (from / kManifest).string() + " is not a backup manifest");
    nlohmann::json found = file_digests(from);
    for (const auto& [file, digest] : manifest["files"].items())
        if (!found.contains(file) || found[file] != digest)
            throw Error("cli.backup_corrupt", 400, "the backup's " + file + " is missing or altered (SHA-256 differs)");
    if (args.pins_from.empty())
        throw Error("cli.restore_needs_pins", 400, "give --pins-from DIR: the HSM PIN file the backup kept apart");

    make_private_directory(to, "cli.restore_home_not_empty");
    fs::copy_file(from / "yunqian.json", to / "yunqian.json");
    core::Config c = core::load_config(home);
    const fs::path tokens = c.hsm.softhsm2_conf.empty() ? to / "hsm" / "tokens"
                                                        : fs::path(c.resolve(c.hsm.softhsm2_conf)).parent_path() / "tokens";
    for (const auto& [file, digest] : manifest["files"].items()) {
        if (file == "yunqian.json") continue;
        fs::path target = file.rfind("hsm/tokens/", 0) == 0 ? tokens / file.substr(11) : to / file;
        fs::create_directories(target.parent_path());
        fs::copy_file(from / file, target);
    }
    // The restored database: the copy in the backup (SQLite), or the one pg_restore filled.
    std::string url = args.database_url.empty() ? (is_sqlite(c) ? std::string("sqlite:") + kDatabaseFile : c.database.url)
                                                : args.database_url;
    if (url != c.database.url) {
        nlohmann::json config = nlohmann::json::parse(read_whole_file(to / "yunqian.json"), nullptr, true, true);
        config["database"]["url"] = url;
        std::ofstream(to / "yunqian.json", std::ios::trunc) << config.dump(2) << "\n";
        std::cout << "database.url set to the restored database (yunqian.json rewritten, comments dropped)\n";
        c = core::load_config(home);
    }
    std::string pins = read_whole_file(fs::path(args.pins_from) / "pins.json");
    fs::create_directories(fs::path(c.resolve(c.hsm.pin_file)).parent_path());
    write_private_file(c.resolve(c.hsm.pin_file), pins);
    core::secure_wipe(pins.data(), pins.size());
    if (!c.hsm.softhsm2_conf.empty()) write_softhsm_conf(c.resolve(c.hsm.softhsm2_conf));  // this home's tokens

    auto app = App::open(c);
    std::cout << "restored onto " << c.home << " from a backup made " << manifest.value("made_at", "?")
              << "; checking the audit chain against this token's root key:\n";
    return audit_verify(*app, AuditVerifyArgs{});
}

void add_backup_commands(CLI::App& cli, Commands& commands) {
    auto b = std::make_shared<BackupArgs>();
    auto* backup = cli.add_subcommand("backup", "copy the home while it serves: configuration, database (SQLite), "
                                                "HSM token store; the PIN file apart (docs/reliability.md)");
    backup->add_option("--to", b->to, "a new or empty directory for the backup")->required();
    backup->add_option("--pins-to", b->pins_to, "a new or empty directory for the HSM PIN file (another custodian's medium)");
    commands.push_back({backup, [b](const std::string& home) { return backup_home(home, *b); }});

    auto r = std::make_shared<RestoreArgs>();
    auto* restore = cli.add_subcommand("restore", "restore a backup onto a new or empty --home and verify it");
    restore->add_option("--from", r->from, "the directory `backup --to` wrote")->required();
    restore->add_option("--pins-from", r->pins_from, "the directory `backup --pins-to` wrote")->required();
    restore->add_option("--database-url", r->database_url,
                        "PostgreSQL: the database pg_restore filled (default: the configuration's)");
    commands.push_back({restore, [r](const std::string& home) { return restore_home(home, *r); }});

    auto* db = cli.add_subcommand("db", "database operations");
    db->require_subcommand(1);
    auto to = std::make_shared<std::string>();
    auto* copy = db->add_subcommand("copy", "copy every table into a new database (e.g. SQLite → PostgreSQL)");
    copy->add_option("--to", *to, "target database URL (postgresql://… or sqlite:PATH)")->required();
    commands.push_back({copy, [to](const std::string& home) {
                            auto app = App::open(home);
                            auto target = storage::Database::open(*to, app->config.database.busy_timeout_ms, 2);
                            for (const auto& [table, n] : storage::copy_database(*app->db, *target))
                                std::cout << "copied " << n << " rows of " << table << "\n";
                            std::cout << "point database.url at the target, start the server and run `yunqian audit "
                                         "verify` there\n";
                            return 0;
                        }});
}

}  // namespace yq::cli
