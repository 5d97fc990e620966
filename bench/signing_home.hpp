#pragma once
// The in-process signing set-up the benchmarks share: a fresh home (cheap Argon2id so the numbers show the document
// work), one signer "bench.user" with password "signing-password-1", a published CRL, and the services.
#include <filesystem>
#include <fstream>
#include <memory>

#include "cli/app.hpp"
#include "pades/pades_service.hpp"
#include "pki/time_stamp_authority.hpp"
#include "signing/csc_service.hpp"
#include "support/fixtures.hpp"

namespace yq::bench {

struct SigningHome {
    test::TempDir work;
    std::unique_ptr<cli::App> app;
    std::string account_id;
    std::unique_ptr<pki::TimeStampAuthority> tsa;
    std::unique_ptr<signing::CscService> csc;
    std::unique_ptr<pades::PadesService> pades;

    SigningHome() {
        std::string home = work.file("home");
        std::filesystem::create_directories(home);
        std::ofstream(home + "/yunqian.json") << R"({"kdf": {"time_cost": 1, "memory_kib": 64},
                                                    "accounts": {"otp_required": false}, "log": {"level": "off"}})";
        (void)cli::initialise_home(home);
        app = cli::App::open(home);
        accounts::NewAccountRequest a;
        a.username = "bench.user";
        a.display_name = "陳大文 Chan Tai Man";
        a.agency = "法務局";
        a.login_password = core::to_secure("login-password-1");
        a.signing_password = core::to_secure("signing-password-1");
        account_id = app->accounts->create(a, "bench").account.id;
        app->ca->publish_crl("bench");
        tsa = std::make_unique<pki::TimeStampAuthority>(*app->ca);
        csc = std::make_unique<signing::CscService>(app->config, *app->accounts, *app->store, *app->store, *app->store,
                                                    *app->custody, *app->ca, *tsa, *app->keys, *app->log,
                                                    app->clock);
        pades = std::make_unique<pades::PadesService>(app->config, *csc, *app->store, *tsa, *app->store, app->clock,
                                                      *app->store);
    }

    // A visible signature request for the bench signer at `level`.
    pades::SignPdfRequest request(pades::Level level) const {
        pades::SignPdfRequest r;
        r.account_id = account_id;
        r.level = level;
        r.signing_password = core::to_secure("signing-password-1");
        r.placement.kind = pades::Placement::Kind::Rectangle;
        r.placement.x1 = 300, r.placement.y1 = 60, r.placement.x2 = 560, r.placement.y2 = 160;
        return r;
    }
};

}  // namespace yq::bench
