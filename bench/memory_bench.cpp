// Memory of the real server under 64 concurrent mixed clients (#19): resident set size sampled every 100 ms from
// /proc/PID/status while clients sign (CSC signHash, 1 hash), ask OCSP, read credential info, fetch the CRL and, one
// call in 64, authorise anew (credentials/authorize with the production Argon2id cost, 64 MiB), without pause.
// Anchor in the same run: the same server's RSS at rest after start-up; the budget is 256 MB.
// #17's soak is the same load for 30 minutes on PostgreSQL, with a row per interval (RSS, open file descriptors,
// the database connections PostgreSQL reports in pg_stat_activity) and the RSS trend after the first interval:
//   build/release/memory_bench [--seconds 30] [--clients 64] [--database sqlite|postgres] [--interval SECONDS]
// (--database postgres needs YQ_PG_DSN, as the tests do).
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/fixtures.hpp"
#include "server_signers.hpp"
#include "support/http_client.hpp"

using namespace yq;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

long rss_kib(int pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    return -1;
}

int open_fds(int pid) {
    int n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) ++n;
    return n;
}

using Signer = bench::ServerSigner;

// Client connections PostgreSQL has open (not counting the one asking); -1 without PostgreSQL.
int postgres_connections() {
    const char* dsn = std::getenv("YQ_PG_DSN");
    if (dsn == nullptr || *dsn == 0) return -1;
    auto r = test::run_command("psql " + test::shell_quote(dsn) +
                               " -Atc \"select count(*) from pg_stat_activity where backend_type = 'client backend' and "
                               "pid <> pg_backend_pid()\"");
    try {
        return r.exit_code == 0 ? std::stoi(r.output) : -1;
    } catch (const std::exception&) {
        return -1;
    }
}

// Least-squares slope of (t, rss) in MB per hour.
double slope_mb_per_hour(const std::vector<std::pair<double, long>>& points) {
    double n = static_cast<double>(points.size()), st = 0, sr = 0, stt = 0, str = 0;
    for (const auto& [t, r] : points) {
        double mb = static_cast<double>(r) / 1024.0;
        st += t, sr += mb, stt += t * t, str += t * mb;
    }
    double d = n * stt - st * st;
    return d == 0 ? 0 : (n * str - st * sr) / d * 3600.0;
}

}  // namespace

int main(int argc, char** argv) {
    double seconds = 30, interval = 0;
    int clients = 64;
    test::DbKind database = test::DbKind::Sqlite;
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::string(argv[i]) == "--seconds") seconds = std::stod(argv[i + 1]);
        if (std::string(argv[i]) == "--clients") clients = std::stoi(argv[i + 1]);
        if (std::string(argv[i]) == "--interval") interval = std::stod(argv[i + 1]);
        if (std::string(argv[i]) == "--database" && std::string(argv[i + 1]) == "postgres") database = test::DbKind::Postgres;
    }
    if (database == test::DbKind::Postgres && postgres_connections() < 0) {
        std::fprintf(stderr, "--database postgres needs YQ_PG_DSN and psql\n");
        return 2;
    }
    if (interval <= 0) interval = seconds;
    if (!std::getenv("YQ_BINARY")) {
        std::string self = std::filesystem::canonical("/proc/self/exe").parent_path() / "yunqian";
        setenv("YQ_BINARY", self.c_str(), 1);
    }
    test::TempDir work;
    // production defaults (Argon2id t=3, 64 MiB, kdf.max_concurrent 2, 16 workers); SCAL1 so a SAD serves many calls
    test::ServerProcess server(test::ServerProcess::Options{
        database, R"({"accounts": {"otp_required": false}, "csc": {"scal": 1, "multisign": 1000000},
                                  "kdf": {"time_cost": 3, "memory_kib": 65536, "parallelism": 1},
                                  "log": {"level": "warn"}})"});
    const int port = server.port();
    std::vector<Signer> signers;
    for (int i = 0; i < 8; ++i) signers.push_back(bench::make_server_signer(server, work, "mem-" + std::to_string(i)));
    auto post = [&](test::HttpConnection& conn, const Signer& s, const std::string& method, const json& body) {
        return conn.request("POST", "/csc/v2/" + method, body.dump(), "application/json",
                            {{"Authorization", "Bearer " + s.token}});
    };
    auto authorize = [&](test::HttpConnection& conn, const Signer& s) -> std::string {
        auto r = post(conn, s, "credentials/authorize", bench::authorize_body(s, 1000000));
        return r.status == 200 ? json::parse(r.body)["SAD"].get<std::string>() : "";
    };
    // an OCSP request for one signer's certificate, made by openssl from the published certificates
    std::string cert_pem = work.file("signer.pem"), issuing = work.file("issuing.pem");
    {
        test::HttpConnection conn(port);
        auto info = post(conn, signers[0], "credentials/info", {{"credentialID", signers[0].credential}, {"certificates", "chain"}});
        auto chain = json::parse(info.body)["cert"]["certificates"];
        auto pem = [](const std::string& b64) {
            std::string out = "-----BEGIN CERTIFICATE-----\n";
            for (std::size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
            return out + "-----END CERTIFICATE-----\n";
        };
        test::write_file(cert_pem, pem(chain[0]));
        test::write_file(issuing, pem(chain[1]));
    }
    test::run_command("openssl ocsp -issuer " + issuing + " -cert " + cert_pem + " -no_nonce -reqout " + work.file("ocsp.der"));
    std::string ocsp_request = test::read_file(work.file("ocsp.der"));

    std::this_thread::sleep_for(std::chrono::seconds(1));
    const long idle = rss_kib(server.pid());
    const int idle_fds = open_fds(server.pid());
    const int idle_connections = postgres_connections();

    std::atomic<bool> stop{false};
    std::atomic<long> calls{0}, failures{0};
    std::mutex failure_mutex;
    std::map<std::string, long> failure_kinds;  // "status call-kind" (0–1 OCSP, 2 info, 3 CRL, 4 signHash)
    std::vector<long> samples;
    std::vector<std::pair<double, long>> timed_samples;  // seconds since the load began, RSS
    long peak = 0;
    int peak_fds = 0, peak_connections = idle_connections;
    const auto began = Clock::now();
    // one row per interval: RSS mean and peak, fds peak, PostgreSQL connections peak, calls and failures
    struct Row {
        double rss_sum = 0;
        long rss_peak = 0, samples = 0, calls = 0, failures = 0;
        int fds_peak = 0, connections_peak = -1;
    };
    std::vector<Row> rows(static_cast<std::size_t>(std::ceil(seconds / interval)) + 1);
    long calls_before = 0, failures_before = 0;
    std::thread sampler([&] {
        auto next_connection_sample = Clock::now();
        while (!stop) {
            double t = std::chrono::duration<double>(Clock::now() - began).count();
            Row& row = rows[std::min(rows.size() - 1, static_cast<std::size_t>(t / interval))];
            long r = rss_kib(server.pid());
            int fds = open_fds(server.pid());
            samples.push_back(r);
            timed_samples.emplace_back(t, r);
            peak = std::max(peak, r);
            peak_fds = std::max(peak_fds, fds);
            row.rss_sum += static_cast<double>(r), row.rss_peak = std::max(row.rss_peak, r), ++row.samples;
            row.fds_peak = std::max(row.fds_peak, fds);
            row.calls = calls - calls_before, row.failures = failures - failures_before;
            if (Clock::now() >= next_connection_sample && idle_connections >= 0) {
                int c = postgres_connections();
                row.connections_peak = std::max(row.connections_peak, c);
                peak_connections = std::max(peak_connections, c);
                next_connection_sample = Clock::now() + std::chrono::seconds(5);
            }
            if (static_cast<std::size_t>((t + 0.1) / interval) != static_cast<std::size_t>(t / interval))
                calls_before = calls, failures_before = failures;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
    auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
        threads.emplace_back([&, c] {
            const Signer& s = signers[static_cast<std::size_t>(c) % signers.size()];
            test::HttpConnection conn(port);
            std::string sad = authorize(conn, s);
            json sign = {{"credentialID", s.credential}, {"SAD", sad},
                         {"hashes", json::array({core::base64_encode(core::sha256(std::to_string(c)))})},
                         {"signAlgo", "1.2.840.10045.4.3.2"}};
            for (long i = 0; Clock::now() < deadline; ++i) {
                int status = 0;
                if (i % 64 == 63) {  // now and then a fresh authorisation: Argon2id, 64 MiB
                    std::string fresh = authorize(conn, s);
                    status = fresh.empty() ? 500 : 200;
                    if (!fresh.empty()) sign["SAD"] = fresh;  // a SAD lives csc.sad_seconds (5 minutes): a soak outlives it
                } else {
                    switch ((c + i) % 8) {
                        case 0:
                        case 1:
                            status = conn.request("POST", "/ocsp", ocsp_request, "application/ocsp-request", {}).status;
                            break;
                        case 2:
                            status = post(conn, s, "credentials/info", {{"credentialID", s.credential}}).status;
                            break;
                        case 3:
                            status = conn.request("GET", "/repo/issuing.crl", "", "", {}).status;
                            break;
                        default:
                            status = post(conn, s, "signatures/signHash", sign).status;
                    }
                }
                ++calls;
                if (status != 200) {
                    ++failures;
                    std::lock_guard lock(failure_mutex);
                    ++failure_kinds[std::to_string(status) + " " + std::to_string((c + i) % 8 >= 4 ? 4 : (c + i) % 8)];
                }
            }
        });
    }
    for (auto& t : threads) t.join();
    stop = true;
    sampler.join();
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const long after = rss_kib(server.pid());

    // trend: the mean of the last third of the samples against the mean of the middle third
    auto mean = [&](std::size_t from, std::size_t to) {
        double sum = 0;
        for (std::size_t i = from; i < to; ++i) sum += static_cast<double>(samples[i]);
        return to > from ? sum / static_cast<double>(to - from) : 0.0;
    };
    std::size_t n = samples.size();
    double middle = mean(n / 3, 2 * n / 3), last = mean(2 * n / 3, n);
    std::printf("Server RSS under %d concurrent mixed clients for %.0f s (%ld calls, %ld not 200)\n", clients, seconds,
                calls.load(), failures.load());
    for (const auto& [kind, n] : failure_kinds) std::printf("  not 200: status and call kind %s: %ld\n", kind.c_str(), n);
    std::printf("| at rest (anchor) | peak under load | peak ÷ at rest | budget | mean, middle third → last third | "
                "2 s after | fds at rest / peak |\n|---:|---:|---:|---:|---:|---:|---:|\n");
    if (rows.size() > 2) {  // the soak's table: one row per interval
        std::printf("\n| from minute | RSS mean | RSS peak | fds peak | PostgreSQL connections peak | calls | not 200 |\n"
                    "|---:|---:|---:|---:|---:|---:|---:|\n");
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const Row& r = rows[i];
            if (r.samples == 0) continue;
            std::printf("| %.0f | %.0f MB | %.0f MB | %d | %s | %ld | %ld |\n", static_cast<double>(i) * interval / 60.0,
                        r.rss_sum / static_cast<double>(r.samples) / 1024.0, static_cast<double>(r.rss_peak) / 1024.0,
                        r.fds_peak, r.connections_peak < 0 ? "–" : std::to_string(r.connections_peak).c_str(), r.calls,
                        r.failures);
        }
        std::vector<std::pair<double, long>> after_warm_up;
        for (const auto& p : timed_samples)
            if (p.first >= interval) after_warm_up.push_back(p);
        std::printf("\nRSS trend after the first interval (least squares): %+.1f MB per hour\n",
                    slope_mb_per_hour(after_warm_up));
        if (idle_connections >= 0)
            std::printf("PostgreSQL client connections: %d at rest, %d at most under load\n", idle_connections,
                        peak_connections);
        std::printf("\n");
    }
    std::printf("| %.0f MB | %.0f MB | %.2f× | 256 MB (%s) | %.0f → %.0f MB | %.0f MB | %d / %d |\n", idle / 1024.0,
                peak / 1024.0, static_cast<double>(peak) / static_cast<double>(idle),
                peak <= 256 * 1024 ? "met" : "NOT met", middle / 1024.0, last / 1024.0, after / 1024.0, idle_fds,
                peak_fds);
    return 0;
}
