#pragma once
// One fixture per real component (conventions: "one fixture that makes a fresh SoftHSM token, one that makes a fresh
// database, one that starts the real server on a free port"), plus a helper to run outside verifiers.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "keystore/keystore.hpp"
#include "storage/database.hpp"

namespace yq::test {

class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }
    std::string file(const std::string& name) const { return (m_path / name).string(); }

private:
    std::filesystem::path m_path;
};

// Unix seconds of a wall-clock time in Macau (UTC+8 all year), computed with timegm for the office-hours tests.
std::int64_t macau_time(int year, int month, int day, int hour, int minute);

// The yq::Error code `f` throws, "(no error)" when it returns, for asserting stable error codes.
std::string error_code_of(const std::function<void()>& f);

struct CommandResult {
    int exit_code = -1;
    std::string output;  // stdout and stderr together
};
// Runs a shell command line; the caller quotes arguments with shell_quote.
CommandResult run_command(const std::string& command_line);
std::string shell_quote(const std::string& s);
void write_file(const std::string& path, const std::string& content);
std::string read_file(const std::string& path);

// A fresh SoftHSM2 token. SoftHSM reads SOFTHSM2_CONF once per process (the module stays initialised for the process,
// see keystore::detail::Module), so every token of a test process lives in one per-process directory, removed at exit,
// each under its own unique label. The OpenSSL PKCS#11 engine binds to the first token a process signs with, so tests
// that sign through the engine (CA, accounts) need a process of their own: run test binaries through ctest, which
// starts one process per test.
// The current TOTP code of a base32 secret (as in an otpauth URI), `offset` seconds from now.
std::string totp_now(const std::string& base32_secret, std::int64_t offset = 0);
// The base32 secret of the first otpauth URI in `text` (CLI output, API body).
std::string otpauth_secret(const std::string& text);
// openssl's verdict ("Verified OK" …) on a signature over `data` with the certificate given as base64 DER.
std::string openssl_verify(const TempDir& work, const std::string& cert_b64, const std::string& data,
                           const std::string& sig_b64, const std::string& digest = "sha256", const std::string& opts = "");

class SoftHsmToken {
public:
    explicit SoftHsmToken(const std::string& label_prefix = "yq-test");
    keystore::HsmSettings settings() const;
    // What an HSM does when it restarts or a network HSM's link drops: every session this process holds on the token
    // is closed (PKCS#11 C_CloseAllSessions, from outside the Keystore), and the login with them.
    void close_all_sessions() const;

private:
    std::string m_label;
    std::string m_user_pin;
};

enum class DbKind { Sqlite, Postgres };
// SQLite always; PostgreSQL too when YQ_PG_DSN is set (./yq test starts a throwaway cluster and sets it).
std::vector<DbKind> db_kinds();
std::string db_kind_name(const testing::TestParamInfo<DbKind>& info);

// A fresh, migrated database: a SQLite file in a temp dir, or a new schema in the test PostgreSQL.
class TestDatabase {
public:
    explicit TestDatabase(DbKind kind);
    ~TestDatabase();
    const std::string& url() const { return m_url; }  // as database.url in a config
    storage::Database& db() { return *m_db; }
    DbKind kind() const { return m_kind; }
    // A database fault on demand: every INSERT into `table` fails from now on (a trigger raises), as a full disk or a
    // lost connection would make the write after an HSM operation fail.
    void refuse_inserts_into(const std::string& table);

private:
    DbKind m_kind;
    TempDir m_dir;
    std::string m_schema;
    std::string m_url;
    std::unique_ptr<storage::Database> m_db;
};

// Config for in-process tests: cheap Argon2, everything else default.
core::Config test_config(const std::string& home);

// A loopback port nobody listens on right now.
int free_port();
// SIGTERM, then SIGKILL after 5 s; reaps the child.
void stop_process(int pid);

// The real `yunqian` binary (path from $YQ_BINARY, set by CTest).
std::string yunqian_binary();

// `yunqian init` in a fresh home, then `yunqian serve` on a free loopback port; stopped on destruction.
class ServerProcess {
public:
    struct Options {
        DbKind db = DbKind::Sqlite;
        std::string extra_config;  // JSON members merged into yunqian.json (e.g. a listener block)
        // Listen on a fixed free port and put it into the certificates' CRL/OCSP URLs (pdfsig checks OCSP online).
        bool certificate_urls_reachable = false;
    };
    ServerProcess() : ServerProcess(Options{}) {}
    explicit ServerProcess(const Options& options);
    // `yunqian serve` on a home made elsewhere (a restored backup, #17); the home is left in place.
    static std::unique_ptr<ServerProcess> on_existing_home(const std::string& home);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    int port() const { return m_port; }
    int pid() const { return m_pid; }
    std::string base_url() const;
    const std::string& home() const { return m_home_path; }
    const std::string& init_output() const { return m_init_output; }
    std::string database_url() const { return m_database ? m_database->url() : ""; }
    // `yunqian --home HOME ARGS…`
    CommandResult cli(const std::string& args) const;
    // Another `yunqian serve` on the same home (same database and HSM token): a second node. Returns its port; it is
    // stopped with this object.
    int start_second_node();
    // Stops every node as an operator would (SIGTERM, graceful); the home stays for the CLI.
    void stop();
    // A crash (#17): SIGKILL to the first node, reaped; nothing of the process gets to run.
    void crash();
    // The first node started again on the same home after stop() or crash(); port() is its new port.
    void restart();
    // How the first node ended if it is no longer running ("exit N" / "signal N"); empty while it runs.
    std::string ended();
    // The server's own database, opened as its configuration names it (for tests that tamper with it as a rogue
    // database administrator would).
    std::unique_ptr<storage::Database> open_database() const;
    // What the server processes wrote to stdout and stderr so far.
    std::string server_log() const { return read_file(m_home_path + "/serve.log"); }
    // Repository files downloaded once: root.pem, issuing.pem in the home.
    std::string root_pem() const;
    std::string issuing_pem() const;

private:
    struct ExistingHome {};
    ServerProcess(ExistingHome, const std::string& home);
    TempDir m_home;
    std::string m_home_path = m_home.path().string();
    std::unique_ptr<TestDatabase> m_database;
    int m_pid = -1;
    int m_port = 0;
    std::vector<int> m_other_pids;
    std::string m_init_output;
};

struct TestAccount {
    std::string username, credential, otp_secret_b32;
};
// `yunqian account create` through the CLI (login password "login-password-1", signing password
// "signing-password-1" on standard input).
TestAccount create_account(const ServerProcess& server, const TempDir& work, const std::string& username,
                           const std::string& key = "ec-p256");

}  // namespace yq::test
