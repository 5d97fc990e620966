#pragma once
// The signing services of an opened home (time-stamping, CSC, PAdES), for the commands that sign or print reports.
#include "cli/app.hpp"
#include "pades/pades_service.hpp"
#include "pki/time_stamp_authority.hpp"
#include "signing/csc_service.hpp"

namespace yq::cli {

struct SigningServices {
    pki::TimeStampAuthority tsa;
    signing::CscService csc;
    pades::PadesService pades;
    explicit SigningServices(App& app)
        : tsa(*app.ca),
          csc(app.config, *app.accounts, *app.store, *app.store, *app.store, *app.custody, *app.ca, tsa, *app.keys,
              *app.log, app.clock),
          pades(app.config, csc, *app.store, tsa, *app.store, app.clock, *app.store) {}
};

}  // namespace yq::cli
