#include "support/fixtures.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <liboath/oath.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "accounts/totp.hpp"
#include "core/bytes.hpp"
#include "core/error.hpp"
#include "keystore/session.hpp"  // keystore-internal: a test reaching under the Keystore on purpose
#include "storage/migrations.hpp"
#include "support/http_client.hpp"

namespace yq::test {

namespace fs = std::filesystem;

TempDir::TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "yq-test-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    m_path = tmpl;
}

TempDir::~TempDir() {
    std::error_code ec;
    if (std::getenv("YQ_KEEP_TEST_DIRS") == nullptr) fs::remove_all(m_path, ec);
}

std::int64_t macau_time(int year, int month, int day, int hour, int minute) {
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    return static_cast<std::int64_t>(timegm(&tm)) - 8 * 3600;
}

std::string error_code_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.code();
    }
    return "(no error)";
}

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') out += "'\\''";
        else out.push_back(c);
    }
    return out + "'";
}

CommandResult run_command(const std::string& command_line) {
    CommandResult r;
    std::string cmd = "(" + command_line + ") 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    if (p == nullptr) return r;
    std::array<char, 4096> buf{};
    std::size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
    int status = pclose(p);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

void write_file(const std::string& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

namespace {
const fs::path& process_token_dir() {
    static const fs::path dir = [] {
        std::string tmpl = (fs::temp_directory_path() / "yq-tokens-XXXXXX").string();
        if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        fs::path d = tmpl;
        fs::create_directories(d / "tokens");
        write_file((d / "softhsm2.conf").string(),
                   "directories.tokendir = " + (d / "tokens").string() + "\nobjectstore.backend = file\nlog.level = ERROR\n");
        setenv("SOFTHSM2_CONF", (d / "softhsm2.conf").c_str(), 1);
        std::atexit([] {
            std::error_code ec;
            if (std::getenv("YQ_KEEP_TEST_DIRS") == nullptr) fs::remove_all(process_token_dir(), ec);
        });
        return d;
    }();
    return dir;
}
}  // namespace

SoftHsmToken::SoftHsmToken(const std::string& label_prefix) : m_label(label_prefix + "-" + core::random_token(6)) {
    process_token_dir();
    m_user_pin = core::random_token(12);
    keystore::initialise_token("/usr/lib/softhsm/libsofthsm2.so", m_label, core::to_secure(core::random_token(12)),
                               core::to_secure(m_user_pin));
}

keystore::HsmSettings SoftHsmToken::settings() const {
    return keystore::HsmSettings{"/usr/lib/softhsm/libsofthsm2.so", m_label, core::to_secure(m_user_pin), 4};
}

void SoftHsmToken::close_all_sessions() const {
    // The Keystore's own module loader and slot lookup: dlopen hands back the library the Keystore loaded, so this is
    // the process's own PKCS#11 instance (initialised already, which the loader accepts).
    keystore::detail::Module module("/usr/lib/softhsm/libsofthsm2.so");
    if (module.f()->C_CloseAllSessions(module.find_token_slot(m_label)) != CKR_OK)
        throw std::runtime_error("C_CloseAllSessions failed");
}

std::vector<DbKind> db_kinds() {
    std::vector<DbKind> kinds{DbKind::Sqlite};
    if (const char* dsn = std::getenv("YQ_PG_DSN"); dsn && *dsn) kinds.push_back(DbKind::Postgres);
    return kinds;
}

std::string db_kind_name(const testing::TestParamInfo<DbKind>& info) {
    return info.param == DbKind::Sqlite ? "Sqlite" : "Postgres";
}

TestDatabase::TestDatabase(DbKind kind) : m_kind(kind) {
    if (kind == DbKind::Sqlite) {
        m_url = "sqlite:" + m_dir.file("test.sqlite3");
        m_db = storage::Database::open(m_url, 10000, 8);
    } else {
        std::string dsn = std::getenv("YQ_PG_DSN");
        m_schema = "yq_t_" + core::hex_encode(core::random_bytes(6));
        auto admin = storage::Database::open(dsn, 10000, 1);
        admin->with_connection([&](storage::Connection& c) { c.execute_script("CREATE SCHEMA " + m_schema); });
        m_url = dsn + " options='-c search_path=" + m_schema + "'";
        m_db = storage::Database::open(m_url, 10000, 8);
    }
    storage::migrate(*m_db);
}

TestDatabase::~TestDatabase() {
    m_db.reset();
    if (m_kind == DbKind::Postgres) {
        try {
            auto admin = storage::Database::open(std::getenv("YQ_PG_DSN"), 10000, 1);
            admin->with_connection(
                [&](storage::Connection& c) { c.execute_script("DROP SCHEMA IF EXISTS " + m_schema + " CASCADE"); });
        } catch (const std::exception&) {
        }
    }
}

void TestDatabase::refuse_inserts_into(const std::string& table) {
    m_db->with_connection([&](storage::Connection& c) {
        if (m_kind == DbKind::Sqlite) {
            c.execute_script("CREATE TRIGGER refuse_" + table + " BEFORE INSERT ON " + table +
                             " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
        } else {
            c.execute_script("CREATE FUNCTION refuse_" + table +
                             "() RETURNS trigger AS $f$ BEGIN RAISE EXCEPTION 'refused by the test'; END $f$ "
                             "LANGUAGE plpgsql");
            c.execute_script("CREATE TRIGGER refuse_" + table + " BEFORE INSERT ON " + table +
                             " FOR EACH ROW EXECUTE FUNCTION refuse_" + table + "()");
        }
    });
}

core::Config test_config(const std::string& home) {
    core::Config c = core::parse_config(home, "");
    c.kdf = core::KdfConfig{1, 64, 1};
    return c;
}

std::string yunqian_binary() {
    const char* b = std::getenv("YQ_BINARY");
    if (b == nullptr) throw std::runtime_error("YQ_BINARY is not set (run the tests through ctest)");
    return b;
}

namespace {
// Starts `yunqian --home HOME serve --listen LISTEN` and reads the port it prints.
int spawn_serve(const std::string& home, int& pid, const std::string& listen = "127.0.0.1:0") {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe failed");
    std::string log_path = home + "/serve.log";
    pid = fork();
    if (pid == 0) {
        int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (log >= 0) dup2(log, STDERR_FILENO);  // everything the server logs, for tests that read it
        dup2(out[1], STDOUT_FILENO);
        close(out[0]);
        close(out[1]);
        std::string bin = yunqian_binary();
        execl(bin.c_str(), bin.c_str(), "--home", home.c_str(), "serve", "--listen", listen.c_str(), nullptr);
        _exit(127);
    }
    close(out[1]);
    int port = 0;
    std::string seen;
    char buf[512];
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        ssize_t n = read(out[0], buf, sizeof buf);
        if (n <= 0) break;
        seen.append(buf, static_cast<std::size_t>(n));
        auto pos = seen.find("serving on ");
        auto eol = pos == std::string::npos ? std::string::npos : seen.find('\n', pos);
        if (eol != std::string::npos) {
            std::string url = seen.substr(pos + 11, eol - pos - 11);
            port = std::stoi(url.substr(url.rfind(':') + 1));
            break;
        }
    }
    // Keep draining stdout (into the log) so the server never blocks on a full pipe.
    std::thread([fd = out[0], log_path, seen] {
        int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (log >= 0 && ::write(log, seen.data(), seen.size()) < 0) {  // what was read while waiting for the port
        }
        char sink[512];
        ssize_t n;
        while ((n = read(fd, sink, sizeof sink)) > 0)  // a log that cannot be written ends the reader, as a
            if (log >= 0 && ::write(log, sink, static_cast<std::size_t>(n)) < 0) break;  // supervisor's pipe can
        if (log >= 0) close(log);
        close(fd);
    }).detach();
    if (port == 0) throw std::runtime_error("yunqian serve did not start: " + seen);
    return port;
}

}  // namespace

// A loopback port nobody listens on right now (for servers whose certificate URLs must point at themselves).
int free_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    close(fd);
    return ntohs(addr.sin_port);
}

void stop_process(int pid) {
    if (pid <= 0) return;
    kill(pid, SIGTERM);
    int status = 0;
    for (int i = 0; i < 50; ++i) {
        if (waitpid(pid, &status, WNOHANG) == pid) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
}

ServerProcess::ServerProcess(const Options& options) {
    nlohmann::json config = nlohmann::json::object();
    if (!options.extra_config.empty()) config = nlohmann::json::parse(options.extra_config);
    if (!config.contains("kdf")) config["kdf"] = {{"time_cost", 1}, {"memory_kib", 64}, {"parallelism", 1}};
    config["ocsp"]["status_poll_ms"] = 100;
    if (options.db == DbKind::Postgres) {
        m_database = std::make_unique<TestDatabase>(DbKind::Postgres);
        config["database"]["url"] = m_database->url();
    }
    std::string listen = "127.0.0.1:0";
    if (options.certificate_urls_reachable) {
        int port = free_port();
        listen = "127.0.0.1:" + std::to_string(port);
        config["ca"]["base_url"] = "http://" + listen;
    }
    write_file(m_home_path + "/yunqian.json", config.dump(2));
    CommandResult init = cli("init");
    m_init_output = init.output;
    if (init.exit_code != 0) throw std::runtime_error("yunqian init failed: " + init.output);

    m_port = spawn_serve(m_home_path, m_pid, listen);
}

ServerProcess::ServerProcess(ExistingHome, const std::string& home) : m_home_path(home) {
    m_port = spawn_serve(m_home_path, m_pid);
}

std::unique_ptr<ServerProcess> ServerProcess::on_existing_home(const std::string& home) {
    return std::unique_ptr<ServerProcess>(new ServerProcess(ExistingHome{}, home));
}

ServerProcess::~ServerProcess() { stop(); }

void ServerProcess::stop() {
    for (int pid : m_other_pids) stop_process(pid);
    m_other_pids.clear();
    stop_process(m_pid);
    m_pid = -1;
}

void ServerProcess::crash() {
    if (m_pid <= 0) return;
    kill(m_pid, SIGKILL);
    int status = 0;
    waitpid(m_pid, &status, 0);
    m_pid = -1;
}

std::string ServerProcess::ended() {
    int status = 0;
    if (m_pid <= 0 || waitpid(m_pid, &status, WNOHANG) != m_pid) return "";
    m_pid = -1;
    return WIFSIGNALED(status) ? "signal " + std::to_string(WTERMSIG(status)) : "exit " + std::to_string(WEXITSTATUS(status));
}

void ServerProcess::restart() {
    if (m_pid > 0) throw std::runtime_error("restart: the node is still running");
    m_port = spawn_serve(m_home_path, m_pid);
}

std::unique_ptr<storage::Database> ServerProcess::open_database() const {
    core::Config c = core::load_config(home());
    return storage::Database::open(c.database_url(), c.database.busy_timeout_ms, 2);
}

int ServerProcess::start_second_node() {
    int pid = -1;
    int port = spawn_serve(m_home_path, pid);
    m_other_pids.push_back(pid);
    return port;
}

std::string ServerProcess::base_url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

CommandResult ServerProcess::cli(const std::string& args) const {
    return run_command(shell_quote(yunqian_binary()) + " --home " + shell_quote(m_home_path) + " " + args);
}

namespace {
std::string fetch_pem(const ServerProcess& s, const std::string& name) {
    std::string path = (fs::path(s.home()) / (name + ".pem")).string();
    if (!fs::exists(path)) {
        auto r = http_request("GET", s.port(), "/repo/" + name + ".crt");
        std::string der = (fs::path(s.home()) / (name + ".der")).string();
        write_file(der, r.body);
        run_command("openssl x509 -inform DER -in " + shell_quote(der) + " -out " + shell_quote(path));
    }
    return path;
}
}  // namespace

std::string ServerProcess::root_pem() const { return fetch_pem(*this, "root"); }
std::string ServerProcess::issuing_pem() const { return fetch_pem(*this, "issuing"); }

std::string totp_now(const std::string& base32_secret, std::int64_t offset) {
    char* raw = nullptr;
    std::size_t len = 0;
    if (oath_base32_decode(base32_secret.c_str(), base32_secret.size(), &raw, &len) != OATH_OK) return "";
    core::SecureBytes secret(raw, raw + len);
    free(raw);
    return accounts::totp_code(secret, static_cast<std::int64_t>(std::time(nullptr)) + offset);
}

std::string otpauth_secret(const std::string& text) {
    auto s = text.find("secret=");
    if (s == std::string::npos) return "";
    auto end = text.find_first_of("&\"\n ", s);
    return text.substr(s + 7, end == std::string::npos ? std::string::npos : end - s - 7);
}

std::string openssl_verify(const TempDir& work, const std::string& cert_b64, const std::string& data,
                           const std::string& sig_b64, const std::string& digest, const std::string& opts) {
    core::Bytes cert = core::base64_decode(cert_b64), sig = core::base64_decode(sig_b64);
    write_file(work.file("c.der"), std::string(cert.begin(), cert.end()));
    write_file(work.file("s.bin"), std::string(sig.begin(), sig.end()));
    write_file(work.file("d.txt"), data);
    run_command("openssl x509 -inform DER -in " + work.file("c.der") + " -pubkey -noout > " + work.file("p.pem"));
    return run_command("openssl dgst -" + digest + " -verify " + work.file("p.pem") + " " + opts + " -signature " +
                       work.file("s.bin") + " " + work.file("d.txt"))
        .output;
}

TestAccount create_account(const ServerProcess& server, const TempDir& work, const std::string& username,
                           const std::string& key) {
    std::string input = work.file(username + ".in");
    write_file(input, "login-password-1\nsigning-password-1\n");
    auto r = server.cli("account create --username " + username + " --name " + shell_quote("陳大文 Chan Tai Man") +
                        " --agency " + shell_quote("Agency X") + " --email " + username + "@x.gov.mo --key " + key +
                        " < " + input);
    if (r.exit_code != 0) throw std::runtime_error("account create failed: " + r.output);
    TestAccount a;
    a.username = username;
    auto cred = r.output.find("credential ");
    a.credential = r.output.substr(cred + 11, r.output.find(',', cred) - cred - 11);
    a.otp_secret_b32 = otpauth_secret(r.output);
    return a;
}

}  // namespace yq::test
