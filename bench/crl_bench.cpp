// CRL generation with 1,000,000 revoked entries, each side as its own process so that time and peak memory are the
// CRL's alone: `yunqian ca crl` on an initialised home (database read, build, HSM signature, store — what an operator
// or the schedule runs) against `openssl ca -gencrl` on the same serials and reasons with a software key of the same
// type. Prints wall time and maximum RSS (wait4's ru_maxrss) of both and the ratios (#19).
//   build/release/crl_bench [--entries N] [--runs 3]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/app.hpp"
#include "support/fixtures.hpp"

using namespace yq;

namespace {

struct Measured {
    double seconds = 0;
    long max_rss_kib = 0;
    int exit_code = -1;
};

// Runs `argv` as a child process; its own wall time and peak resident set size.
Measured measure(const std::vector<std::string>& argv, const std::string& log_file) {
    auto start = std::chrono::steady_clock::now();
    pid_t pid = fork();
    if (pid == 0) {
        FILE* log = std::fopen(log_file.c_str(), "w");
        if (log) {
            dup2(fileno(log), 1);
            dup2(fileno(log), 2);
        }
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execvp(args[0], args.data());
        _exit(127);
    }
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    Measured m;
    m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    m.max_rss_kib = usage.ru_maxrss;
    m.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return m;
}

std::string reason_of(std::int64_t i) { return i % 2 ? "keyCompromise" : "superseded"; }

}  // namespace

int main(int argc, char** argv) {
    std::int64_t entries = 1000000;
    int runs = 3;
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::string(argv[i]) == "--entries") entries = std::stoll(argv[i + 1]);
        if (std::string(argv[i]) == "--runs") runs = std::stoi(argv[i + 1]);
    }
    std::string yunqian = std::getenv("YQ_BINARY")
                              ? std::getenv("YQ_BINARY")
                              : (std::filesystem::canonical("/proc/self/exe").parent_path() / "yunqian").string();
    test::TempDir dir;
    const std::string home = dir.file("home");
    std::filesystem::create_directories(home);
    std::ofstream(home + "/yunqian.json") << R"({"kdf": {"time_cost": 1, "memory_kib": 64}, "log": {"level": "warn"}})";
    std::cerr << "initialising a home and " << entries << " revoked certificates…\n";
    (void)cli::initialise_home(home);
    std::vector<std::string> serials;
    {
        auto app = cli::App::open(home);
        std::int64_t now = app->clock.unix_seconds();
        app->db->transact([&](storage::Connection& c) {
            for (std::int64_t i = 0; i < entries; ++i) {
                std::string serial = core::hex_encode(core::random_bytes(20));
                serial[0] = '4';
                c.execute("INSERT INTO certificates (serial, profile, subject, not_before, not_after, der, status, "
                          "revoked_at, reason, created_at) VALUES ($1, 'signer', 'CN=x', $2, $3, $4, 'revoked', $2, $5, $2)",
                          {serial, now, now + 86400 * 365, core::Bytes{0x30, 0x00}, reason_of(i)});
                serials.push_back(serial);
            }
        });
    }
    // openssl ca's own database: the same serials and reasons, a software P-256 key (it cannot use our HSM key)
    {
        std::ofstream index(dir.file("index.txt"));
        for (std::size_t i = 0; i < serials.size(); ++i) {
            std::string upper = serials[i];
            for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
            index << "R\t361231000000Z\t261125000000Z," << reason_of(static_cast<std::int64_t>(i)) << "\t" << upper
                  << "\tunknown\t/CN=x" << i << "\n";
        }
    }
    serials.clear();
    serials.shrink_to_fit();
    test::write_file(dir.file("index.txt.attr"), "unique_subject = no\n");
    test::write_file(dir.file("ca.cnf"), "[ca]\ndefault_ca = d\n[d]\ndatabase = " + dir.file("index.txt") +
                                             "\ncrlnumber = " + dir.file("crlnumber") +
                                             "\ndefault_md = sha256\ndefault_crl_days = 1\ncrl_extensions = e\n"
                                             "[e]\nauthorityKeyIdentifier = keyid:always\n");
    test::run_command("openssl req -x509 -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -keyout " + dir.file("k.pem") +
                      " -out " + dir.file("c.pem") + " -subj /CN=bench-ca -days 2");

    std::printf("CRL with %lld revoked entries, each side its own process (wall time, peak RSS)\n",
                static_cast<long long>(entries));
    std::printf("| run | yunqian ca crl | peak RSS | openssl ca -gencrl | peak RSS | time ratio openssl/yunqian | "
                "RSS ratio yunqian/openssl |\n|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int run = 1; run <= runs; ++run) {
        Measured ours = measure({yunqian, "--home", home, "ca", "crl", "--out", dir.file("ours.crl")}, dir.file("ours.log"));
        test::write_file(dir.file("crlnumber"), "01\n");
        Measured theirs = measure({"openssl", "ca", "-batch", "-config", dir.file("ca.cnf"), "-gencrl", "-keyfile",
                                   dir.file("k.pem"), "-cert", dir.file("c.pem"), "-out", dir.file("o.crl")},
                                  dir.file("openssl.log"));
        if (ours.exit_code != 0 || theirs.exit_code != 0) {
            std::cerr << "failed: yunqian " << ours.exit_code << " " << test::read_file(dir.file("ours.log"))
                      << "\nopenssl " << theirs.exit_code << " " << test::read_file(dir.file("openssl.log")) << "\n";
            return 1;
        }
        std::printf("| %d | %.2f s | %.0f MB | %.2f s | %.0f MB | %.2f× | %.2f |\n", run, ours.seconds,
                    static_cast<double>(ours.max_rss_kib) / 1024.0, theirs.seconds,
                    static_cast<double>(theirs.max_rss_kib) / 1024.0, theirs.seconds / ours.seconds,
                    static_cast<double>(ours.max_rss_kib) / static_cast<double>(theirs.max_rss_kib));
        std::fflush(stdout);
    }
    // both CRLs list every entry: check ours with openssl before trusting the figures
    auto check = test::run_command("openssl crl -inform DER -in " + dir.file("ours.crl") + " -noout -text | grep -c 'Serial Number'");
    std::printf("\nentries in yunqian's CRL according to openssl crl: %s", check.output.c_str());
    return 0;
}
