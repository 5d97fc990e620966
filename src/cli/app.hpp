#pragma once
// Composition root for the CLI and the server: loads the config of a home directory and opens the database, the HSM
// and the CA in the right order.
#include <functional>
#include <filesystem>
#include <memory>
#include <string>

#include "accounts/account_service.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "keystore/keystore.hpp"
#include "pki/certificate_authority.hpp"
#include "ra/staff.hpp"
#include "validation/pdf_validator.hpp"
#include "storage/database.hpp"
#include "storage/sql_store.hpp"
#include "storage/transparency_log_store.hpp"
#include "transparency/signing_log.hpp"

namespace yq::cli {

// --home flag, else $YQ_HOME, else ./var
std::string resolve_home(const std::string& flag);

// SOFTHSM2_CONF must be set before the module is loaded (SoftHSM reads it in C_Initialize).
void export_hsm_environment(const core::Config& config);
core::SecureString read_pin(const core::Config& config, const std::string& field);

struct App {
    core::Config config;
    core::SystemClock clock;
    std::unique_ptr<storage::Database> db;
    std::unique_ptr<storage::SqlStore> store;
    std::unique_ptr<keystore::Keystore> keys;
    std::unique_ptr<pki::CertificateAuthority> ca;
    std::unique_ptr<custody::KeyCustody> custody;
    std::unique_ptr<accounts::AccountService> accounts;
    std::unique_ptr<ra::StaffDirectory> staff;
    std::unique_ptr<storage::TransparencyLogStore> log_store;
    std::unique_ptr<transparency::SigningLog> log;  // #18

    // Opens an initialised home; applies pending migrations.
    static std::unique_ptr<App> open(const std::string& home);
    static std::unique_ptr<App> open(core::Config config);
};

// `yunqian init`: creates the home layout, HSM token (random PINs in a 0600 file), database and CA hierarchy, and the
// first admin. Idempotent. Returns the admin's one-time password and TOTP enrolment when it was created now.
// `listen` ("HOST:PORT", may be empty) goes into a newly written config: listener and the base URL put into
// certificates (CRL DP, AIA). An existing config is never rewritten.
std::optional<ra::NewStaffSecrets> initialise_home(const std::string& home, const std::string& listen = "");

// A file named on the command line or in the configuration, whole; throws 400 "cli.file_unreadable".
std::string read_whole_file(const std::filesystem::path& path);

// A new file readable by its owner only (0600, never there before); throws 500 "init.write_failed".
void write_private_file(const std::filesystem::path& path, const std::string& content);

// The SoftHSM configuration of a home's own token store: `tokens/` beside `conf` (an absolute path, which SoftHSM needs;
// a restored home gets its own, #17).
void write_softhsm_conf(const std::filesystem::path& conf);

// The revocation status of our own certificates, for the validator (from the CA's records).
validation::RevocationSource ca_revocation_source(App& app);
// The validation service's trust anchors: our root (when `app` is given), the config's validation.trust_files and
// `extra_pem_files`. Throws 400 "cli.file_unreadable" for a file that cannot be read.
std::vector<core::Bytes> validation_anchors(App* app, const std::vector<std::string>& extra_pem_files = {});

// A certificate file as the repository publishes it (PEM, or DER like /repo/root.crt); throws 400
// "cli.file_unreadable".
core::Bytes certificate_from_file(const std::string& path);

// "HOST:PORT" → host and port; throws Error "cli.bad_listen".
std::pair<std::string, int> parse_listen(const std::string& listen);

}  // namespace yq::cli
