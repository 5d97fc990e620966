// signHash over HTTP against the real server, next to the raw PKCS#11 C_Sign rate for the same key type in one process.
//   build/release/signhash_bench [--seconds N] [--clients 32] [--workers 16] [--key ec-p256|rsa-2048]
//                                [--per-call 1|100] [--no-authorize]
// Server: SQLite, SCAL1 SADs with a large count (one authorize per client, then signHash calls of 1 or 100 hashes).
// Anchor: Keystore::sign_digest (C_Sign on a token key) from as many threads as the server has workers (#19: an anchor
// driven by fewer threads than the server is under-driven), for the same duration.
// Also: credentials/authorize per second with the production Argon2id parameters (t=3, 64 MiB).
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "keystore/keystore.hpp"
#include "support/fixtures.hpp"
#include "server_signers.hpp"
#include "support/http_client.hpp"

using namespace yq;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

double g_seconds = 5;
int g_clients = 32;
int g_workers = 16;
std::string g_key_filter, g_per_call_filter;
bool g_authorize = true;

struct HttpResult {
    double rate = 0;              // signatures/s
    double p50_ms = 0, p99_ms = 0;  // per call
};

// signatures/s and per-call latency over HTTP with g_clients clients, each sending `per_call` hashes per signHash
HttpResult http_rate(int port, const bench::ServerSigner& signer, const char* algo, int per_call) {
    const std::string& token = signer.token;
    const std::string& cred = signer.credential;
    std::atomic<long> signatures{0}, failures{0};
    std::vector<std::thread> threads;
    std::vector<std::vector<double>> latencies(static_cast<std::size_t>(g_clients));
    json hashes = json::array();
    for (int i = 0; i < per_call; ++i) hashes.push_back(core::base64_encode(core::sha256(std::to_string(i))));
    std::vector<std::string> sads;
    for (int c = 0; c < g_clients; ++c) sads.push_back(bench::authorize_sad(port, signer, 1000000));
    auto start = Clock::now();
    auto deadline = start + std::chrono::duration<double>(g_seconds);
    for (int c = 0; c < g_clients; ++c) {
        threads.emplace_back([&, c] {
            json body = {{"credentialID", cred}, {"SAD", sads[static_cast<std::size_t>(c)]}, {"hashes", hashes}, {"signAlgo", algo}};
            std::string text = body.dump();
            test::HttpConnection connection(port);  // kept alive, as CSC client libraries do
            auto& mine = latencies[static_cast<std::size_t>(c)];
            for (auto t0 = Clock::now(); t0 < deadline; t0 = Clock::now()) {
                auto r = connection.request("POST", "/csc/v2/signatures/signHash", text, "application/json",
                                            {{"Authorization", "Bearer " + token}});
                if (r.status == 200) signatures += per_call;
                else ++failures;
                mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
            }
        });
    }
    for (auto& t : threads) t.join();
    double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    if (failures > 0) std::cerr << "  (" << failures << " failed calls)\n";
    std::vector<double> all;
    for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
    HttpResult result;
    result.rate = static_cast<double>(signatures) / elapsed;
    result.p50_ms = bench::percentile(all, 0.50);
    result.p99_ms = bench::percentile(all, 0.99);
    return result;
}

// Raw C_Sign on a token key in this process, from `threads` threads.
double raw_rate(keystore::Keystore& keys, const std::string& label, keystore::SignScheme scheme, int threads) {
    std::atomic<long> n{0};
    core::Bytes digest = core::sha256(std::string_view("raw"));
    auto deadline = Clock::now() + std::chrono::duration<double>(g_seconds);
    auto start = Clock::now();
    std::vector<std::thread> ts;
    for (int i = 0; i < threads; ++i)
        ts.emplace_back([&] {
            while (Clock::now() < deadline) {
                keys.sign_digest(label, scheme, digest);
                ++n;
            }
        });
    for (auto& t : ts) t.join();
    return static_cast<double>(n) / std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--no-authorize") g_authorize = false;
        if (i + 1 >= argc) continue;
        if (a == "--seconds") g_seconds = std::stod(argv[i + 1]);
        if (a == "--clients") g_clients = std::stoi(argv[i + 1]);
        if (a == "--workers") g_workers = std::stoi(argv[i + 1]);
        if (a == "--key") g_key_filter = argv[i + 1];
        if (a == "--per-call") g_per_call_filter = argv[i + 1];
    }
    if (!std::getenv("YQ_BINARY")) {
        std::string self = std::filesystem::canonical("/proc/self/exe").parent_path() / "yunqian";
        setenv("YQ_BINARY", self.c_str(), 1);
    }
    test::TempDir work;
    std::printf("signHash over HTTP (%d clients, server with %d workers, %.0f s per point) vs raw C_Sign (%d threads, "
                "same duration)\n",
                g_clients, g_workers, g_seconds, g_workers);
    std::printf("| key | hashes/call | signHash signatures/s | p50 / p99 per call | raw C_Sign/s | ratio |\n"
                "|---|---:|---:|---:|---:|---:|\n");
    {
        test::ServerProcess server(test::ServerProcess::Options{
            test::DbKind::Sqlite,
            R"({"accounts": {"otp_required": false}, "csc": {"scal": 1, "multisign": 1000000},
                "server": {"worker_threads": )" + std::to_string(g_workers) + R"(}, "log": {"level": "warn"}})"});
        test::SoftHsmToken token("yq-bench-raw");
        keystore::Keystore keys(token.settings());
        struct Case {
            const char* key;
            keystore::KeyType type;
            const char* algo;
            keystore::SignScheme scheme;
        };
        for (const Case& c : {Case{"ec-p256", keystore::KeyType::EcP256, "1.2.840.10045.4.3.2",
                                   {keystore::SignScheme::Kind::Ecdsa, keystore::HashAlg::Sha256}},
                              Case{"rsa-2048", keystore::KeyType::Rsa2048, "1.2.840.113549.1.1.11",
                                   {keystore::SignScheme::Kind::RsaPkcs1v15, keystore::HashAlg::Sha256}}}) {
            if (!g_key_filter.empty() && g_key_filter != c.key) continue;
            bench::ServerSigner a = bench::make_server_signer(
                server, work, std::string("bench-") + (c.type == keystore::KeyType::EcP256 ? "ec" : "rsa"), c.key);
            keys.generate_key_pair(std::string("raw-") + c.key, c.type);
            double raw = raw_rate(keys, std::string("raw-") + c.key, c.scheme, g_workers);
            for (int per_call : {1, 100}) {
                if (!g_per_call_filter.empty() && g_per_call_filter != std::to_string(per_call)) continue;
                HttpResult h = http_rate(server.port(), a, c.algo, per_call);
                std::printf("| %s | %d | %.0f | %.2f / %.2f ms | %.0f | %.0f %% |\n", c.key, per_call, h.rate, h.p50_ms,
                            h.p99_ms, raw, 100.0 * h.rate / raw);
                std::fflush(stdout);
            }
        }
    }
    if (g_authorize) {
        // authorize/s with the production Argon2id parameters (the config default: t=3, 64 MiB, p=1)
        test::ServerProcess server(test::ServerProcess::Options{
            test::DbKind::Sqlite,
            R"({"accounts": {"otp_required": false}, "kdf": {"time_cost": 3, "memory_kib": 65536, "parallelism": 1},
                "csc": {"scal": 1}, "log": {"level": "warn"}})"});
        bench::ServerSigner a = bench::make_server_signer(server, work, "bench-auth");
        std::atomic<long> n{0};
        auto start = Clock::now();
        auto deadline = start + std::chrono::duration<double>(g_seconds);
        std::vector<std::thread> ts;
        for (int i = 0; i < 4; ++i)
            ts.emplace_back([&] {
                while (Clock::now() < deadline) {
                    bench::authorize_sad(server.port(), a, 1);
                    ++n;
                }
            });
        for (auto& t : ts) t.join();
        double rate = static_cast<double>(n) / std::chrono::duration<double>(Clock::now() - start).count();
        std::printf("\ncredentials/authorize with Argon2id t=3 m=64MiB p=1 (4 clients): %.1f/s\n", rate);
    }
    return 0;
}
