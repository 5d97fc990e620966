// Validating a 1 MB B-LT PDF repeatedly (in process, the PDF parsed in the isolated child as in production), next to
// pdfsig (poppler, with an NSS database trusting our root) on the same file, in the same run.
//   build/release/validate_bench [--rounds N]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cli/app.hpp"
#include "pades/pades_service.hpp"
#include "pki/time_stamp_authority.hpp"
#include "signing/csc_service.hpp"
#include "support/fixtures.hpp"
#include "support/pdf_tools.hpp"
#include "validation/pdf_validator.hpp"

using namespace yq;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
    int rounds = 30;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::string(argv[i]) == "--rounds") rounds = std::max(1, std::atoi(argv[i + 1]));
    test::TempDir work;
    std::string home = work.file("home");
    std::filesystem::create_directories(home);
    std::ofstream(home + "/yunqian.json") << R"({"kdf": {"time_cost": 1, "memory_kib": 64},
                                                "accounts": {"otp_required": false}, "log": {"level": "off"}})";
    (void)cli::initialise_home(home);
    auto app = cli::App::open(home);
    accounts::NewAccountRequest a;
    a.username = "bench.user";
    a.display_name = "陳大文 Chan Tai Man";
    a.agency = "法務局";
    a.login_password = core::to_secure("login-password-1");
    a.signing_password = core::to_secure("signing-password-1");
    auto created = app->accounts->create(a, "bench");
    app->ca->publish_crl("bench");
    pki::TimeStampAuthority tsa(*app->ca);
    signing::CscService csc(app->config, *app->accounts, *app->store, *app->store, *app->custody, *app->ca, tsa,
                            *app->keys, app->clock);
    pades::PadesService service(app->config, csc, *app->store, tsa, *app->store, app->clock, *app->store);
    pades::SignPdfRequest r;
    r.account_id = created.account.id;
    r.level = pades::Level::BLT;
    r.signing_password = core::to_secure("signing-password-1");
    r.placement.kind = pades::Placement::Kind::Rectangle;
    r.placement.x1 = 300, r.placement.y1 = 60, r.placement.x2 = 560, r.placement.y2 = 160;
    std::string pdf = service.sign_pdf(test::large_pdf(1), r).file;
    std::string file = work.file("blt.pdf");
    test::write_file(file, pdf);

    std::vector<core::Bytes> anchors{app->store->ca_material("root")->certificate_der};
    validation::PdfValidator validator(anchors, cli::ca_revocation_source(*app));
    if (validator.validate(pdf).signatures.at(0).indication != "PASSED") {
        std::fprintf(stderr, "the benchmark file does not validate\n");
        return 1;
    }
    auto start = Clock::now();
    for (int i = 0; i < rounds; ++i) (void)validator.validate(test::read_file(file));
    double ours = rounds / std::chrono::duration<double>(Clock::now() - start).count();

    std::string nss = test::nss_trusting(work, pki::to_pem(pki::certificate_from_der(anchors[0]).get()));
    start = Clock::now();
    for (int i = 0; i < rounds; ++i) (void)test::run_command("pdfsig -nssdir " + nss + " -no-ocsp " + file);
    double theirs = rounds / std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("| validate 1 MB B-LT PDF | yunqian %.1f files/s | pdfsig %.1f files/s | ratio %.2f× |\n", ours, theirs,
                ours / theirs);
    return 0;
}
