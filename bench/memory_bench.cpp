// Memory of the real server under 64 concurrent mixed clients (#19): resident set size sampled every 100 ms from
// /proc/PID/status while clients sign (CSC signHash, 1 hash), ask OCSP, read credential info, fetch the CRL and, one
// call in 64, authorise anew (credentials/authorize with the production Argon2id cost, 64 MiB), without pause.
// Anchor in the same run: the same server's RSS at rest after start-up; the budget is 256 MB.
//   build/release/memory_bench [--seconds 30] [--clients 64]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
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

}  // namespace

int main(int argc, char** argv) {
    double seconds = 30;
    int clients = 64;
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::string(argv[i]) == "--seconds") seconds = std::stod(argv[i + 1]);
        if (std::string(argv[i]) == "--clients") clients = std::stoi(argv[i + 1]);
    }
    if (!std::getenv("YQ_BINARY")) {
        std::string self = std::filesystem::canonical("/proc/self/exe").parent_path() / "yunqian";
        setenv("YQ_BINARY", self.c_str(), 1);
    }
    test::TempDir work;
    // production defaults (Argon2id t=3, 64 MiB, kdf.max_concurrent 2, 16 workers); SCAL1 so a SAD serves many calls
    test::ServerProcess server(test::ServerProcess::Options{
        test::DbKind::Sqlite, R"({"accounts": {"otp_required": false}, "csc": {"scal": 1, "multisign": 1000000},
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

    std::atomic<bool> stop{false};
    std::atomic<long> calls{0}, failures{0};
    std::vector<long> samples;
    long peak = 0;
    int peak_fds = 0;
    std::thread sampler([&] {
        while (!stop) {
            long r = rss_kib(server.pid());
            samples.push_back(r);
            peak = std::max(peak, r);
            peak_fds = std::max(peak_fds, open_fds(server.pid()));
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
                    status = authorize(conn, s).empty() ? 500 : 200;
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
                if (status != 200) ++failures;
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
    std::printf("| at rest (anchor) | peak under load | peak ÷ at rest | budget | mean, middle third → last third | "
                "2 s after | fds at rest / peak |\n|---:|---:|---:|---:|---:|---:|---:|\n");
    std::printf("| %.0f MB | %.0f MB | %.2f× | 256 MB (%s) | %.0f → %.0f MB | %.0f MB | %d / %d |\n", idle / 1024.0,
                peak / 1024.0, static_cast<double>(peak) / static_cast<double>(idle),
                peak <= 256 * 1024 ? "met" : "NOT met", middle / 1024.0, last / 1024.0, after / 1024.0, idle_fds,
                peak_fds);
    return 0;
}
