#pragma once
// A real installation for fuzz targets, built once per process with the same code as `yunqian init` (a SoftHSM token
// and a SQLite database in a temp directory). The targets then feed inputs to the code paths the server uses.
#include <memory>

#include "cli/app.hpp"
#include "pki/ocsp_responder.hpp"
#include "pki/time_stamp_authority.hpp"

namespace yq::fuzz {

struct Environment {
    std::unique_ptr<cli::App> app;
    std::unique_ptr<pki::OcspResponder> ocsp;
    std::unique_ptr<pki::TimeStampAuthority> tsa;
};

Environment& environment();

}  // namespace yq::fuzz
