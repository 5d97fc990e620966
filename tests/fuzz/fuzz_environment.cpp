#include "fuzz/fuzz_environment.hpp"

#include <stdlib.h>

#include <fstream>

namespace yq::fuzz {

Environment& environment() {
    static Environment* env = [] {
        auto* e = new Environment();
        char tmpl[] = "/tmp/yq-fuzz-XXXXXX";
        std::string home = mkdtemp(tmpl);
        // cheap KDF and no OTP: fuzzing is about parsing, not about Argon2's cost
        std::ofstream(home + "/yunqian.json") << R"({"kdf": {"time_cost": 1, "memory_kib": 64},
                                                    "accounts": {"otp_required": false}, "log": {"level": "off"}})";
        (void)cli::initialise_home(home);
        e->app = cli::App::open(home);
        e->ocsp = std::make_unique<pki::OcspResponder>(*e->app->ca);
        e->tsa = std::make_unique<pki::TimeStampAuthority>(*e->app->ca);
        return e;
    }();
    return *env;
}

}  // namespace yq::fuzz
