#pragma once
// One fixture for in-process tests of the signer services: a fresh SoftHSM token, a fresh database (SQLite, or
// PostgreSQL when YQ_PG_DSN is set — the test parameter), a fixed clock, the CA hierarchy and the account service.
// The services keep references to `config`, so a test may change it in its body or SetUp.
#include <gtest/gtest.h>

#include "accounts/account_service.hpp"
#include "pki/time_stamp_authority.hpp"
#include "signing/csc_service.hpp"
#include "storage/sql_store.hpp"
#include "storage/transparency_log_store.hpp"
#include "transparency/signing_log.hpp"
#include "support/fixtures.hpp"

namespace yq::test {

class SignerServicesTest : public ::testing::TestWithParam<DbKind> {
protected:
    TempDir dir;
    SoftHsmToken token;
    TestDatabase database{GetParam()};
    core::Config config = make_config();
    keystore::Keystore keys{token.settings()};
    storage::SqlStore store{database.db()};
    core::FixedClock clock{1764064800};
    pki::CertificateAuthority ca{config, keys, store, clock};
    custody::KeyCustody custody{keys, custody::KdfParams::from(config.kdf)};
    accounts::AccountService service{config, store, custody, ca, keys, clock};
    storage::TransparencyLogStore log_store{database.db()};
    transparency::SigningLog log{log_store, store, keys, clock};

    core::Config make_config() {
        core::Config c = test_config(dir.path().string());
        c.accounts.otp_required = false;  // OTP rules have tests of their own; lockout tests need many tries per 30 s
        return c;
    }

    void SetUp() override {
        ca.initialise_hierarchy("test");
        accounts::AccountService::ensure_hsm_keys(keys);
    }

    // A signer made as the CLI makes one: login-password-1 / signing-password-1.
    accounts::CreatedAccount create(const std::string& username) {
        accounts::NewAccountRequest r;
        r.username = username;
        r.display_name = "陳大文 Chan Tai Man";
        r.agency = "Direcção dos Serviços X";
        r.email = username + "@x.gov.mo";
        r.login_password = core::to_secure("login-password-1");
        r.signing_password = core::to_secure("signing-password-1");
        return service.create(r, "test");
    }
};

inline constexpr const char* kSha256Oid = "2.16.840.1.101.3.4.2.1";
inline constexpr const char* kEcdsaSha256 = "1.2.840.10045.4.3.2";
inline core::Bytes digest_of(const std::string& text) { return core::sha256(std::string_view(text)); }

// The CSC service over the signer services, with one signer (alice.signer) whose credential signs up to 100 hashes
// under one SAD.
class CscServicesTest : public SignerServicesTest {
protected:
    pki::TimeStampAuthority tsa{ca};
    signing::CscService csc{config, service, store, store, store, custody, ca, tsa, keys, log, clock};
    accounts::CreatedAccount alice;

    void SetUp() override {
        SignerServicesTest::SetUp();
        config.csc.sad_seconds = 300;
        config.csc.multisign = 100;
        alice = create("alice.signer");
    }
};

}  // namespace yq::test
