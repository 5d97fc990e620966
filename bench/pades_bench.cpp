// PAdES signing of 1 MB and 20 MB PDFs at B-B, B-T and B-LT, in process, through the real CSC path (SoftHSM key,
// SQLite, SAD per document), next to the floor for the same file: read it, SHA-256 it, write it.
//   build/release/pades_bench [--rounds N]
// The Argon2id cost of the signing password is set low here (t=1, 64 KiB) so the numbers show the document work;
// authorize with production parameters is measured in signhash_bench.
#include <openssl/evp.h>
#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "signing_home.hpp"
#include "support/fixtures.hpp"
#include "support/pdf_tools.hpp"

using namespace yq;
using Clock = std::chrono::steady_clock;

namespace {

int g_rounds = 5;

// One read of the whole file into a buffer of its size (#19: an istreambuf_iterator copy, char by char, had been a
// quarter of the floor and of each signing alike, which flattered the ratio).
std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    std::string data(static_cast<std::size_t>(in.tellg()), '\0');
    in.seekg(0);
    in.read(data.data(), static_cast<std::streamsize>(data.size()));
    return data;
}

void write_all(const std::string& path, const std::string& data) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
}

// Median seconds of g_rounds runs.
template <class F>
double median_seconds(F f) {
    std::vector<double> t;
    for (int i = 0; i < g_rounds; ++i) {
        auto start = Clock::now();
        f();
        t.push_back(std::chrono::duration<double>(Clock::now() - start).count());
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    for (int i = 1; i + 1 < argc; ++i)
        if (std::string(argv[i]) == "--rounds") g_rounds = std::max(1, std::atoi(argv[i + 1]));
    bench::SigningHome env;
    test::TempDir& work = env.work;
    std::printf("| file | level | sign (median of %d) | floor: read + SHA-256 + write | ratio |\n|---|---|---|---|---|\n",
                g_rounds);
    for (int mb : {1, 20}) {
        std::string in = work.file(std::to_string(mb) + "mb.pdf"), out = work.file("out.pdf");
        write_all(in, test::large_pdf(mb));
        double floor = median_seconds([&] {
            std::string data = read_all(in);
            core::Bytes h = core::sha256(data);
            write_all(out, data);
        });
        for (pades::Level level : {pades::Level::BB, pades::Level::BT, pades::Level::BLT}) {
            double t = median_seconds([&] {
                std::string data = read_all(in);
                write_all(out, env.pades->sign_pdf(data, env.request(level)).file);
            });
            std::printf("| %d MB | %s | %.1f ms | %.1f ms | %.2f× |\n", mb, pades::level_name(level).c_str(), t * 1000,
                        floor * 1000, t / floor);
        }
    }
    return 0;
}
