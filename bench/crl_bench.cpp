// CRL generation with 1,000,000 revoked entries: yunqian (database read + build + HSM signature + store) against
// `openssl ca -gencrl` on the same serials with a software key of the same type. Prints both times and the ratio.
//   build/release/crl_bench [--entries N]
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "pki/certificate_authority.hpp"
#include "storage/sql_store.hpp"
#include "support/fixtures.hpp"

using namespace yq;

namespace {

std::int64_t g_entries = 1000000;
double g_ours_seconds = 0, g_openssl_seconds = 0;
std::size_t g_ours_bytes = 0;

struct Setup {
    test::TempDir dir;
    test::SoftHsmToken token;
    std::unique_ptr<test::TestDatabase> database;
    core::Config config = test::test_config(dir.path().string());
    std::unique_ptr<keystore::Keystore> keys;
    std::unique_ptr<storage::SqlStore> store;
    core::SystemClock clock;
    std::unique_ptr<pki::CertificateAuthority> ca;
    std::vector<std::string> serials;

    Setup() {
        database = std::make_unique<test::TestDatabase>(test::DbKind::Sqlite);
        keys = std::make_unique<keystore::Keystore>(token.settings());
        store = std::make_unique<storage::SqlStore>(database->db());
        ca = std::make_unique<pki::CertificateAuthority>(config, *keys, *store, clock);
        ca->initialise_hierarchy("bench");
        std::int64_t now = clock.unix_seconds();
        database->db().transact([&](storage::Connection& c) {
            for (std::int64_t i = 0; i < g_entries; ++i) {
                std::string serial = core::hex_encode(core::random_bytes(20));
                serial[0] = '4';
                c.execute("INSERT INTO certificates (serial, profile, subject, not_before, not_after, der, status, "
                          "revoked_at, reason, created_at) VALUES ($1, 'signer', 'CN=x', $2, $3, $4, 'revoked', $2, $5, $2)",
                          {serial, now, now + 86400 * 365, core::Bytes{0x30, 0x00},
                           std::string(i % 2 ? "keyCompromise" : "superseded")});
                serials.push_back(serial);
            }
        });
    }
};

Setup* g_setup = nullptr;

void BM_YunqianPublishCrl(benchmark::State& state) {
    for (auto _ : state) {
        auto start = std::chrono::steady_clock::now();
        pki::CrlRecord crl = g_setup->ca->publish_crl("bench");
        g_ours_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        g_ours_bytes = crl.der.size();
        state.SetIterationTime(g_ours_seconds);
    }
    state.counters["entries"] = static_cast<double>(g_entries);
    state.counters["crl_MB"] = static_cast<double>(g_ours_bytes) / 1e6;
}

// The CRL build and HSM signature alone, from entries already in memory (no database).
void BM_YunqianBuildCrlInMemory(benchmark::State& state) {
    std::vector<pki::RevokedEntry> entries;
    entries.reserve(g_setup->serials.size());
    std::int64_t now = g_setup->clock.unix_seconds();
    for (std::size_t i = 0; i < g_setup->serials.size(); ++i)
        entries.push_back(pki::RevokedEntry{g_setup->serials[i], now, i % 2 ? "keyCompromise" : "superseded", {}});
    for (auto _ : state) benchmark::DoNotOptimize(g_setup->ca->build_crl(2, entries));
}

void BM_OpenSslCaGencrl(benchmark::State& state) {
    // Same serials, reasons split the same way, software P-256 key (openssl ca cannot use our HSM key).
    const auto& d = g_setup->dir;
    std::ofstream index(d.file("index.txt"));
    for (std::size_t i = 0; i < g_setup->serials.size(); ++i) {
        std::string upper = g_setup->serials[i];
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        index << "R\t361231000000Z\t261125000000Z," << (i % 2 ? "keyCompromise" : "superseded") << "\t" << upper
              << "\tunknown\t/CN=x" << i << "\n";
    }
    index.close();
    test::write_file(d.file("index.txt.attr"), "unique_subject = no\n");
    test::write_file(d.file("crlnumber"), "01\n");
    test::write_file(d.file("ca.cnf"), "[ca]\ndefault_ca = d\n[d]\ndatabase = " + d.file("index.txt") +
                                           "\ncrlnumber = " + d.file("crlnumber") +
                                           "\ndefault_md = sha256\ndefault_crl_days = 1\ncrl_extensions = e\n"
                                           "[e]\nauthorityKeyIdentifier = keyid:always\n");
    test::run_command("openssl req -x509 -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -keyout " + d.file("k.pem") +
                      " -out " + d.file("c.pem") + " -subj /CN=bench-ca -days 2");
    for (auto _ : state) {
        auto start = std::chrono::steady_clock::now();
        auto r = test::run_command("openssl ca -batch -config " + d.file("ca.cnf") + " -gencrl -keyfile " +
                                   d.file("k.pem") + " -cert " + d.file("c.pem") + " -out " + d.file("o.crl"));
        g_openssl_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (r.exit_code != 0) state.SkipWithError(r.output.c_str());
        state.SetIterationTime(g_openssl_seconds);
    }
}

}  // namespace

BENCHMARK(BM_YunqianPublishCrl)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);
BENCHMARK(BM_YunqianBuildCrlInMemory)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK(BM_OpenSslCaGencrl)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);

int main(int argc, char** argv) {
    for (int i = 1; i + 1 < argc; ++i)
        if (std::string(argv[i]) == "--entries") g_entries = std::stoll(argv[i + 1]);
    benchmark::Initialize(&argc, argv);
    std::cerr << "setting up " << g_entries << " revoked certificates…\n";
    Setup setup;
    g_setup = &setup;
    benchmark::RunSpecifiedBenchmarks();
    std::printf("\nCRL with %lld entries: yunqian %.2f s, openssl ca -gencrl %.2f s, ratio openssl/yunqian = %.2fx\n",
                static_cast<long long>(g_entries), g_ours_seconds, g_openssl_seconds,
                g_ours_seconds > 0 ? g_openssl_seconds / g_ours_seconds : 0.0);
    benchmark::Shutdown();
    return 0;
}
