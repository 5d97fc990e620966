#pragma once
// The signer-account service: creation (key in the HSM, certificate from the signer profile), login, the signing
// check (password + TOTP with lockout), self-service password changes, and the operator actions unlock and re-key.
// Error style: throws yq::Error ("accounts.*"); a wrong signing password is reported as "accounts.wrong_signing_password"
// after it has been counted.
#include <optional>
#include <string>

#include "accounts/account.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "custody/key_custody.hpp"
#include "pki/certificate_authority.hpp"

namespace yq::accounts {

inline constexpr const char* kTotpSealLabel = "yq-totp-seal";

struct NewAccountRequest {
    std::string username;
    std::string display_name;  // as on the ID, e.g. "陳大文 Chan Tai Man"
    std::string agency;
    std::string email;
    std::string department;  // OU, optional
    std::string title;       // optional
    keystore::KeyType key_type = keystore::KeyType::EcP256;
    core::SecureString login_password;
    core::SecureString signing_password;
};

struct CreatedAccount {
    Account account;
    Credential credential;
    std::string otpauth_uri;  // shown once
};

// A successful signing check: K_user for the SAD, and which credential it opened.
struct SigningAuthorisation {
    core::SecureBytes k_user;
    Credential credential;
};

class AccountService {
public:
    AccountService(const core::Config& config, AccountStore& store, custody::KeyCustody& custody,
                   pki::CertificateAuthority& ca, keystore::Keystore& keys, const core::Clock& clock)
        : m_config(config), m_store(store), m_custody(custody), m_ca(ca), m_keys(keys), m_clock(clock) {}

    static void ensure_hsm_keys(keystore::Keystore& keys);

    CreatedAccount create(const NewAccountRequest& request, const std::string& actor);

    // Login password check (CSC auth/login, portal). Same error for unknown user and wrong password.
    Account authenticate(const std::string& username, const core::SecureString& login_password);

    // Signing check for one credential: OTP (when required) then signing password; failures count toward the lock.
    SigningAuthorisation authorise_signing(const std::string& account_id, const std::string& credential_id,
                                           const core::SecureString& signing_password, const std::string& otp,
                                           const std::string& actor);

    void change_signing_password(const std::string& account_id, const core::SecureString& old_password,
                                 const std::string& otp, const core::SecureString& new_password, const std::string& actor);
    void change_login_password(const std::string& account_id, const core::SecureString& old_password,
                               const core::SecureString& new_password, const std::string& actor);

    // Operator actions after an in-person appointment (the RA flow will call these).
    void unlock(const std::string& username, const std::string& actor);
    // Forgotten signing password: new key + certificate under a new password; the old certificate is revoked as
    // superseded and the old credential disabled. Returns the new credential.
    Credential rekey(const std::string& username, const core::SecureString& new_signing_password, const std::string& actor);

    // For tests and the enrolment page.
    core::SecureBytes totp_secret(const Account& a);

private:
    void check_password_rules(const core::SecureString& password, const std::string& username, const char* which) const;
    bool otp_ok(const Account& a, const std::string& otp);
    Credential new_credential(const Account& a, const std::string& department, const std::string& title,
                              keystore::KeyType type, const core::SecureString& signing_password, const std::string& actor);

    const core::Config& m_config;
    AccountStore& m_store;
    custody::KeyCustody& m_custody;
    pki::CertificateAuthority& m_ca;
    keystore::Keystore& m_keys;
    const core::Clock& m_clock;
};

}  // namespace yq::accounts
