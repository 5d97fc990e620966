#pragma once
// The signer's own JSON API (/api/v1/me…), behind the same bearer tokens as the CSC API (auth/login): the account
// and its credentials, password changes, the first signing key, notice choices, completing what the office approved
// (re-key, renewal), signing a PDF, and the signer's own entries in the signing transparency log (#18).
// Errors: {"error": code, "message": text}.
#include "accounts/account_service.hpp"
#include "core/config.hpp"
#include "pades/pades_service.hpp"
#include "ra/registration_office.hpp"
#include "signing/csc_service.hpp"
#include "transparency/signing_log.hpp"
#include "web/router.hpp"

namespace yq::web {

// What the signer's API uses; the routes keep a reference to it, so it lives as long as the server.
struct AccountApiServices {
    const core::Config& config;
    accounts::AccountService& accounts;
    signing::CscService& csc;
    pades::PadesService& pades;
    ra::RegistrationOffice& office;  // re-key and renewal the office approved, completed by the signer
    transparency::SigningLog& log;
};

void register_account_api_routes(Router& router, const AccountApiServices& s);

}  // namespace yq::web
