// Validating a 1 MB B-LT PDF repeatedly (in process, the PDF parsed in the isolated child as in production), next to
// pdfsig (poppler, with an NSS database trusting our root) on the same file, in the same run.
//   build/release/validate_bench [--rounds N]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "signing_home.hpp"
#include "support/fixtures.hpp"
#include "support/pdf_tools.hpp"
#include "validation/pdf_validator.hpp"

using namespace yq;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
    int rounds = 30;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::string(argv[i]) == "--rounds") rounds = std::max(1, std::atoi(argv[i + 1]));
    bench::SigningHome env;
    test::TempDir& work = env.work;
    cli::App* app = env.app.get();
    std::string pdf = env.pades->sign_pdf(test::large_pdf(1), env.request(pades::Level::BLT)).file;
    std::string file = work.file("blt.pdf");
    test::write_file(file, pdf);

    std::vector<core::Bytes> anchors = cli::validation_anchors(app);
    validation::PdfValidator validator(anchors, cli::ca_revocation_source(*app));
    if (validator.validate(pdf).signatures.at(0).indication != validation::kTotalPassed) {
        std::fprintf(stderr, "the benchmark file does not validate\n");
        return 1;
    }
    auto start = Clock::now();
    for (int i = 0; i < rounds; ++i) (void)validator.validate(test::read_file(file));
    double ours = rounds / std::chrono::duration<double>(Clock::now() - start).count();

    core::IsolationLimits in_process;
    in_process.enabled = false;
    validation::PdfValidator unisolated(anchors, cli::ca_revocation_source(*app), in_process);
    start = Clock::now();
    for (int i = 0; i < rounds; ++i) (void)unisolated.validate(test::read_file(file));
    double bare = rounds / std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("in process, without isolation: %.1f files/s\n", bare);
    std::string nss = test::nss_trusting(work, pki::to_pem(pki::certificate_from_der(anchors[0]).get()));
    start = Clock::now();
    for (int i = 0; i < rounds; ++i) (void)test::run_command("pdfsig -nssdir " + nss + " -no-ocsp " + file);
    double theirs = rounds / std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("| validate 1 MB B-LT PDF | yunqian %.1f files/s | pdfsig %.1f files/s | ratio %.2f× |\n", ours, theirs,
                ours / theirs);
    return 0;
}
