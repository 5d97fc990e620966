// #17 Faults under load: PostgreSQL restarted under a serving node; the SQLite home's disk full. In each, requests
// that cannot be served fail with a clear error (a status and a stable code, never a hang or a crash), nothing is
// half-written (audit verify and the table-vs-event evidence check pass afterwards), and the node serves again once
// the fault is gone, without a restart.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/bytes.hpp"
#include "reliability/campaign.hpp"
#include "reliability/evidence_check.hpp"
#include "support/fixtures.hpp"
#include "support/http_client.hpp"
#include "support/office_api.hpp"

using namespace yq;
using namespace yq::test::office;
using json = nlohmann::json;

namespace {

namespace fs = std::filesystem;
using test::reliability::kPgBin;
using test::reliability::report;
using Clock = std::chrono::steady_clock;

// A PostgreSQL 15 cluster of the test's own (initdb + pg_ctl, as the postgres user when run as root), so that it can
// be stopped and started without disturbing the tests beside it.
class PrivatePostgres {
public:
    PrivatePostgres() : m_port(test::free_port()) {
        if (geteuid() == 0) {
            m_as_postgres = "runuser -u postgres -- ";
            test::run_command("chmod 755 " + m_dir.path().string() + " && chown postgres " + m_dir.path().string());
        }
        auto made = test::run_command(m_as_postgres + kPgBin + "initdb -D " + data() + " -A trust -U postgres --no-sync");
        if (made.exit_code != 0) throw std::runtime_error("initdb failed: " + made.output);
        start();
    }
    ~PrivatePostgres() { test::run_command(m_as_postgres + kPgBin + "pg_ctl -D " + data() + " -m immediate stop"); }
    void start() {
        auto r = test::run_command(m_as_postgres + kPgBin + "pg_ctl -D " + data() + " -l " + m_dir.file("log") +
                                   " -w -o \"-k " + m_dir.path().string() + " -p " + std::to_string(m_port) +
                                   " -c listen_addresses='' -c fsync=off\" start");
        if (r.exit_code != 0) throw std::runtime_error("pg_ctl start failed: " + r.output);
    }
    // "fast": every client connection is cut, as when the database host restarts PostgreSQL
    void stop() { test::run_command(m_as_postgres + kPgBin + "pg_ctl -D " + data() + " -m fast -w stop"); }
    std::string log() const { return test::read_file(m_dir.file("log")); }
    std::string url() const {
        return "host=" + m_dir.path().string() + " port=" + std::to_string(m_port) + " user=postgres dbname=postgres";
    }

private:
    std::string data() const { return m_dir.file("data"); }
    test::TempDir m_dir;
    int m_port;
    std::string m_as_postgres;
};

// Signers' traffic (authorize + signHash) and OCSP-free reads from `clients` threads until stopped; every answer is
// tallied by status and error code, with the time of the last failure and of the first success after it.
class SigningLoad {
public:
    SigningLoad(int port, const Signer& s, int clients) {
        for (int i = 0; i < clients; ++i)
            m_threads.emplace_back([this, port, s] {
                while (!m_stop) {
                    std::string hash = core::base64_encode(core::random_bytes(32));
                    auto sad = test::reliability::authorize_hashes(port, s, {hash});
                    tally(sad);
                    if (sad.status != 200) continue;
                    tally(test::reliability::sign_hash(port, s, sad.body["SAD"], hash));
                }
            });
    }
    ~SigningLoad() { stop(); }
    void stop() {
        m_stop = true;
        for (auto& t : m_threads) t.join();
        m_threads.clear();
    }
    // Waits until `n` requests in a row succeeded, the first of them after `since`, or `limit` passed; the time from
    // `since` to that first success.
    std::optional<std::chrono::milliseconds> recovered_after(Clock::time_point since, int n, std::chrono::seconds limit) {
        while (Clock::now() - since < limit) {
            {
                std::lock_guard lock(m_mutex);
                if (m_successes_in_a_row >= n && m_first_success_after_failure > since)
                    return std::chrono::duration_cast<std::chrono::milliseconds>(m_first_success_after_failure - since);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return std::nullopt;
    }
    std::string last_failure() {
        std::lock_guard lock(m_mutex);
        return m_last_failure;
    }
    std::map<std::string, int> failures() {
        std::lock_guard lock(m_mutex);
        return m_failures;
    }
    int successes() {
        std::lock_guard lock(m_mutex);
        return m_successes;
    }

private:
    void tally(const test::office::Reply& r) {
        std::lock_guard lock(m_mutex);
        if (r.status == 200) {
            ++m_successes;
            if (m_successes_in_a_row++ == 0) m_first_success_after_failure = Clock::now();
            return;
        }
        m_successes_in_a_row = 0;
        std::string code = r.body.is_object() ? r.body.value("error", "(no code)") : "(no body)";
        m_last_failure = r.body.dump();
        ++m_failures[std::to_string(r.status) + " " + code];
    }
    std::atomic<bool> m_stop{false};
    std::vector<std::thread> m_threads;
    std::mutex m_mutex;
    std::map<std::string, int> m_failures;
    std::string m_last_failure;
    int m_successes = 0, m_successes_in_a_row = 0;
    Clock::time_point m_first_success_after_failure{};
};

std::string describe(const std::map<std::string, int>& failures) {
    std::string out;
    for (const auto& [what, n] : failures) out += (out.empty() ? "" : ", ") + std::to_string(n) + "× " + what;
    return out.empty() ? "none" : out;
}

void expect_consistent(test::ServerProcess& node) {
    auto verified = node.cli("audit verify");
    EXPECT_EQ(verified.exit_code, 0) << verified.output;
    auto db = node.open_database();
    for (const auto& p : test::reliability::check_evidence(*db).problems) ADD_FAILURE() << p;
}

// Every failure a client saw during a fault is an answer with a status a client acts on (503: try again later) and
// a stable code — no connection reset, no 500 without a code.
void expect_clear_errors(const std::map<std::string, int>& failures) {
    for (const auto& [what, n] : failures)
        EXPECT_EQ(what.rfind("503 temporarily_unavailable", 0), 0u) << n << " answers were '" << what << "'";
}

TEST(Faults, PostgresRestartedUnderLoadFailsClearlyAndTheNodeRecoversWithoutRestart) {
    if (test::db_kinds().size() < 2) GTEST_SKIP() << "needs PostgreSQL (YQ_PG_DSN: ./yq test starts it)";
    test::TempDir work;
    PrivatePostgres pg;
    test::ServerProcess node({test::DbKind::Sqlite,
                              json{{"accounts", {{"otp_required", false}}}, {"database", {{"url", pg.url()}}}}.dump(),
                              false});
    auto a = test::create_account(node, work, "fault.signer");
    Signer s{a.username, csc_login(Api{node.port()}, a.username, "login-password-1"), a.credential, "signing-password-1"};
    SigningLoad load(node.port(), s, 4);
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const int before = load.successes();
    pg.stop();
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const auto back = Clock::now();  // from here until PostgreSQL accepts connections is its own start-up
    pg.start();
    auto recovered = load.recovered_after(back, 50, std::chrono::seconds(30));
    load.stop();
    EXPECT_GT(before, 0);
    ASSERT_TRUE(recovered) << "the node did not serve again within 30 s of PostgreSQL's return; failures: "
                           << describe(load.failures()) << "; the last: " << load.last_failure() << "\nthe node's log ends:\n"
                           << node.server_log().substr(node.server_log().size() > 3000 ? node.server_log().size() - 3000 : 0)
                           << "\nPostgreSQL's log:\n" << pg.log();
    expect_clear_errors(load.failures());
    expect_consistent(node);
    report("PostgreSQL restarted under 4 signing clients | PostgreSQL, 1 node | down 2 s | first success " +
           std::to_string(recovered->count()) + " ms after `pg_ctl start` (which includes PostgreSQL's start-up), then 50 in a row | failures seen: " +
           describe(load.failures()) + " | " + (::testing::Test::HasFailure() ? "FAILED" : "nothing half-written"));
}

// A SQLite home on a small file system of its own (tmpfs), filled up under load and freed again. Needs root (mount).
TEST(Faults, DiskFullUnderTheSqliteHomeFailsClearlyAndLosesNothing) {
    if (geteuid() != 0) GTEST_SKIP() << "mounting a small file system needs root";
    test::TempDir work, mount;
    auto mounted = test::run_command("mount -t tmpfs -o size=48m yq-disk-full " + mount.path().string());
    if (mounted.exit_code != 0) GTEST_SKIP() << "cannot mount a tmpfs here: " << mounted.output;
    struct Unmount {
        std::string path;
        ~Unmount() { test::run_command("umount -l " + path); }
    } unmount{mount.path().string()};
    const std::string home = mount.file("home");
    fs::create_directories(home);
    test::write_file(home + "/yunqian.json", R"({"kdf": {"time_cost": 1, "memory_kib": 64, "parallelism": 1},
                                                "accounts": {"otp_required": false}, "ocsp": {"status_poll_ms": 100}})");
    auto init = test::run_command(test::shell_quote(test::yunqian_binary()) + " --home " + home + " init");
    ASSERT_EQ(init.exit_code, 0) << init.output;
    auto node = test::ServerProcess::on_existing_home(home);
    auto a = test::create_account(*node, work, "full.signer");
    Signer s{a.username, csc_login(Api{node->port()}, a.username, "login-password-1"), a.credential,
             "signing-password-1"};
    SigningLoad load(node->port(), s, 2);
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const int before = load.successes();
    test::run_command("dd if=/dev/zero of=" + mount.file("filler") + " bs=64k 2>/dev/null");  // until ENOSPC
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const int while_full = load.successes();
    const auto freed = Clock::now();
    fs::remove(mount.file("filler"));
    auto recovered = load.recovered_after(freed, 50, std::chrono::seconds(30));
    load.stop();
    EXPECT_GT(before, 0);
    ASSERT_TRUE(recovered) << "the node did not serve again within 30 s of the space coming back (ended: '"
                           << node->ended() << "'); failures: "
                           << describe(load.failures()) << "; the last: " << load.last_failure() << "\nthe node's log ends:\n"
                           << node->server_log().substr(node->server_log().size() > 3000 ? node->server_log().size() - 3000 : 0);
    EXPECT_FALSE(load.failures().empty()) << "the disk never filled under the node";
    expect_clear_errors(load.failures());
    expect_consistent(*node);
    node->stop();
    report("disk full under the SQLite home, 2 signing clients | SQLite, 1 node | full 2 s (" +
           std::to_string(while_full - before) + " requests still answered 200 in that time, written into room the database files already had) | first success " +
           std::to_string(recovered->count()) + " ms after the space came back, then 50 in a row | failures seen: " +
           describe(load.failures()) + " | " + (::testing::Test::HasFailure() ? "FAILED" : "nothing half-written"));
}

}  // namespace
