// Four-eyes approval latency while 32 signers sign (#14 "Evidence": no write transaction across Argon2, HSM key
// generation or a CA signature), over HTTP against the real server on SQLite with the production Argon2id cost.
//   build/test/approval_bench [--seconds N] [--clients 32] [--approvals 12]
// Anchor, in the same run: the signers' signHash latency with no approval running. Printed: approval p50/p99, and the
// signers' p50/p99 without and during approvals, with the ratio of the p99s (1.0 = approvals do not slow signers).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "support/fixtures.hpp"
#include "support/http_client.hpp"
#include "server_signers.hpp"
#include "support/office_api.hpp"

using namespace yq;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

double g_seconds = 6;
int g_clients = 32;
int g_approvals = 12;

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

// A signer with a SAD good for many signatures.
struct Signer {
    std::string token, credential, sad;
};

Signer make_signer(const test::ServerProcess& server, const test::TempDir& work, const std::string& user) {
    bench::ServerSigner s = bench::make_server_signer(server, work, user);
    return Signer{s.token, s.credential, bench::authorize_sad(server.port(), s, 1000000)};
}

// Signers sign one hash per call until told to stop; each call's latency goes to the current phase's list.
class SigningLoad {
public:
    SigningLoad(int port, const std::vector<Signer>& signers) {
        for (int c = 0; c < g_clients; ++c)
            m_threads.emplace_back([this, port, s = signers[static_cast<std::size_t>(c) % signers.size()], c] {
                std::string body = json{{"credentialID", s.credential},
                                        {"SAD", s.sad},
                                        {"hashes", {core::base64_encode(core::sha256("h" + std::to_string(c)))}},
                                        {"signAlgo", "1.2.840.10045.4.3.2"}}
                                       .dump();
                test::HttpConnection connection(port);
                while (!m_stop) {
                    auto start = Clock::now();
                    auto r = connection.request("POST", "/csc/v2/signatures/signHash", body, "application/json",
                                                {{"Authorization", "Bearer " + s.token}});
                    double ms = ms_since(start);
                    std::lock_guard lock(m_mutex);
                    (r.status == 200 ? m_latencies[m_phase] : m_failures[m_phase]).push_back(ms);
                }
            });
    }
    ~SigningLoad() { stop(); }
    void phase(int p) {
        std::lock_guard lock(m_mutex);
        m_phase = p;
    }
    void stop() {
        m_stop = true;
        for (auto& t : m_threads)
            if (t.joinable()) t.join();
    }
    std::vector<double> latencies(int p) {
        std::lock_guard lock(m_mutex);
        return m_latencies[p];
    }
    std::size_t failures(int p) {
        std::lock_guard lock(m_mutex);
        return m_failures[p].size();
    }

private:
    std::atomic<bool> m_stop{false};
    std::mutex m_mutex;
    int m_phase = 0;  // 0 warm-up, 1 no approvals, 2 during approvals
    std::vector<double> m_latencies[3], m_failures[3];
    std::vector<std::thread> m_threads;
};

}  // namespace

int main(int argc, char** argv) {
    for (int i = 1; i + 1 < argc; ++i) {
        std::string a = argv[i];
        if (a == "--seconds") g_seconds = std::stod(argv[i + 1]);
        if (a == "--clients") g_clients = std::stoi(argv[i + 1]);
        if (a == "--approvals") g_approvals = std::stoi(argv[i + 1]);
    }
    if (!std::getenv("YQ_BINARY")) {
        std::string self = std::filesystem::canonical("/proc/self/exe").parent_path() / "yunqian";
        setenv("YQ_BINARY", self.c_str(), 1);
    }
    test::TempDir work;
    // the production Argon2id cost (config defaults), SCAL1 SADs for the load, no OTP for the bench's signers
    test::ServerProcess server(test::ServerProcess::Options{
        test::DbKind::Sqlite,
        test::office::office_config(R"(, "accounts": {"otp_required": false}, "csc": {"scal": 1, "multisign": 1000000},
                                        "kdf": {"time_cost": 3, "memory_kib": 65536, "parallelism": 1},
                                        "log": {"level": "warn"})")});
    test::office::Api api{server.port()};
    auto officer = test::office::sign_in_staff(server, api, "olivia", "officer");
    auto supervisor = test::office::sign_in_staff(server, api, "samuel", "supervisor");
    auto agency = test::office::register_agency(api, officer, supervisor);
    std::vector<std::string> ready;
    for (int i = 0; i < g_approvals; ++i)
        ready.push_back(test::office::ready_application(api, officer, agency, "applicant" + std::to_string(i),
                                                        std::to_string(5100000 + i) + "(3)"));
    std::vector<Signer> signers;
    for (int i = 0; i < 4; ++i) signers.push_back(make_signer(server, work, "bench-signer-" + std::to_string(i)));

    SigningLoad load(server.port(), signers);
    std::this_thread::sleep_for(std::chrono::seconds(1));
    load.phase(1);
    std::this_thread::sleep_for(std::chrono::duration<double>(g_seconds));
    load.phase(2);
    std::vector<double> approval_ms;
    int refused = 0;
    auto during = Clock::now();
    for (const std::string& id : ready) {
        auto start = Clock::now();
        auto r = api.call("POST", "/api/v1/applications/" + id + "/approve", supervisor.token);
        approval_ms.push_back(ms_since(start));
        if (r.status != 200) ++refused;
    }
    load.phase(0);  // only the calls made while approvals ran count as "during"
    double during_seconds = ms_since(during) / 1000;
    load.stop();

    auto base = load.latencies(1), busy = load.latencies(2);
    std::printf("Four-eyes approval while %d clients signHash (1 hash/call, SQLite, Argon2id t=3 m=64MiB)\n", g_clients);
    std::printf("| measure | p50 ms | p99 ms | samples |\n|---|---:|---:|---:|\n");
    std::printf("| approval (POST /api/v1/applications/{id}/approve) | %.1f | %.1f | %zu (%d refused) |\n",
                bench::percentile(approval_ms, 0.5), bench::percentile(approval_ms, 0.99), approval_ms.size(), refused);
    std::printf("| signHash, no approval running (anchor) | %.1f | %.1f | %zu (%zu failed) |\n", bench::percentile(base, 0.5),
                bench::percentile(base, 0.99), base.size(), load.failures(1));
    std::printf("| signHash, during approvals | %.1f | %.1f | %zu (%zu failed) |\n", bench::percentile(busy, 0.5),
                bench::percentile(busy, 0.99), busy.size(), load.failures(2));
    std::printf("approvals ran for %.1f s; signers' p99 during approvals / without: %.2f\n", during_seconds,
                bench::percentile(busy, 0.99) / std::max(bench::percentile(base, 0.99), 1e-9));
    return refused == 0 ? 0 : 1;
}
