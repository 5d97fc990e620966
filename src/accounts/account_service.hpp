#pragma once
// The signer-account service: creation (key in the HSM, certificate from the signer profile), login, the signing
// check (password + TOTP with lockout), self-service password changes, and the operator actions unlock and re-key.
// #14: nothing here holds a database write transaction across Argon2, HSM key generation or a CA signature: keys and
// certificates are prepared first and stored in one short transaction after, with the orphan certificate revoked when
// that store fails.
// Error style: throws yq::Error ("accounts.*"); a wrong signing password, a wrong one-time password and a replayed one
// are all reported as "accounts.wrong_signing_secrets" after they have been counted.
#include <optional>
#include <string>

#include "accounts/account.hpp"
#include "accounts/totp_enrolment.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "custody/key_custody.hpp"
#include "notices/outbox.hpp"
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
    core::SecureString signing_password;  // empty for an account the office opens (see prepare_office_account)
};

struct CreatedAccount {
    Account account;
    Credential credential;
    std::string otpauth_uri;  // shown once
};

// A new key and its certificate, made outside any transaction and not stored yet: `install_rekey` stores both (joining
// the caller's unit of work; when that fails, nothing of them is stored), `finish_rekey` revokes the certificate it
// replaced once the new one is committed.
struct PreparedKey {
    std::string username;
    Credential fresh;
    pki::IssuedCertificate certificate;  // fresh's, signed; stored by install_rekey() with the credential
    std::optional<Credential> replaced;
    bool replaced_certificate_valid = false;
};

// A successful signing check: K_user for the SAD, and which credential it opened.
struct SigningAuthorisation {
    core::SecureBytes k_user;
    Credential credential;
};

// What the owner sees of one credential (portal, /api/v1/me): its certificate when the CA has it, and whether the
// certificate may be renewed now (pki::CertificateAuthority::renewal_open, the one renewal rule).
struct CredentialStatus {
    Credential credential;
    std::optional<pki::CertificateRecord> certificate;
    bool renewal_open = false;
    std::int64_t days_left = 0;  // whole days until the certificate ends (0 without one, or once it has ended)
};

class AccountService {
public:
    AccountService(const core::Config& config, AccountStore& store, custody::KeyCustody& custody,
                   pki::CertificateAuthority& ca, keystore::Keystore& keys, const core::Clock& clock)
        : m_config(config), m_store(store), m_custody(custody), m_ca(ca), m_keys(keys), m_clock(clock) {}

    static void ensure_hsm_keys(keystore::Keystore& keys);

    CreatedAccount create(const NewAccountRequest& request, const std::string& actor);

    // An account the registration office opens (#14): a one-time login password and no signing key at all — the owner
    // makes the key by choosing the signing password (create_first_key). `prepare_office_account` does the slow part
    // (Argon2 of the login password) outside any transaction; `open_office_account` stores it and joins the caller's
    // unit of work (the application's approval).
    Account prepare_office_account(const NewAccountRequest& request);
    void open_office_account(const Account& prepared, const std::string& actor);

    // The owner's first signing key: the one-time code's step is used up (a wrong one counts toward the lock), the key
    // is made in the HSM under the chosen password and certified, then stored in one short transaction; a key sealed
    // under an office one-time password before #14 is replaced and its certificate revoked as superseded. Throws 409
    // "accounts.signing_key_exists" when the account already has its own key.
    Credential create_first_key(const std::string& account_id, const core::SecureString& signing_password,
                                const std::string& otp, const std::string& actor);

    // The account by id, if it still exists (the portal and the signer's API read their own account).
    std::optional<Account> find_account(const std::string& account_id);
    // Every credential of the account with its certificate's status, oldest first.
    std::vector<CredentialStatus> credential_statuses(const std::string& account_id);

    // Login password check (CSC auth/login, portal). Same error for unknown user and wrong password.
    Account authenticate(const std::string& username, const core::SecureString& login_password);

    // Signing check for one credential: OTP (when required) then signing password; failures count toward the lock.
    SigningAuthorisation authorise_signing(const std::string& account_id, const std::string& credential_id,
                                           const core::SecureString& signing_password, const std::string& otp,
                                           const std::string& actor);

    // Both revoke every other access token of the account in the same transaction; `session_token` is the one that
    // made the change (it stays valid; "" revokes all).
    void change_signing_password(const std::string& account_id, const core::SecureString& old_password,
                                 const std::string& otp, const core::SecureString& new_password, const std::string& actor,
                                 const std::string& session_token);
    // The login password changes only with a fresh code when the account has an authenticator (#14: the login
    // password alone — all a CSC auth/login token proves — must not be enough to lock the owner out). Throws 401
    // "accounts.otp_required" without a code; a wrong or replayed code counts toward the lock.
    void change_login_password(const std::string& account_id, const core::SecureString& old_password,
                               const std::string& otp, const core::SecureString& new_password,
                               const std::string& actor, const std::string& session_token);

    // Operator actions after an in-person appointment (the RA flow will call these).
    void unlock(const std::string& username, const std::string& actor);
    // Signer recovery (forgotten login password, lost authenticator), approved by the office: the hash of the new
    // one-time login password is made first (Argon2, no transaction open; `hash_login_password`), then
    // `reset_sign_in` stores it, forgets the authenticator and revokes every session — joining the caller's unit of
    // work. The signing key stays sealed under the signing password only its owner knows.
    std::string hash_login_password(const core::SecureString& password) const;
    void reset_sign_in(const std::string& username, const std::string& login_password_hash, const std::string& actor);
    // Forgotten signing password: new key + certificate under a new password; the old certificate is revoked as
    // superseded and the old credential disabled. Returns the new credential. The same in three phases for callers that
    // store more in the same unit of work (the registration office's request): prepare (no transaction), install
    // (joins the caller's), then finish_rekey after the commit.
    Credential rekey(const std::string& username, const core::SecureString& new_signing_password, const std::string& actor);
    PreparedKey prepare_rekey(const std::string& username, const core::SecureString& new_signing_password,
                              const std::string& actor);
    // Stores the new certificate and replaces the credential; inside the caller's transaction.
    void install_rekey(const PreparedKey& prepared, const std::string& actor);
    // After the commit: the new certificate's OCSP response pre-signed, the replaced certificate revoked (superseded).
    void finish_rekey(const PreparedKey& prepared, const std::string& actor);

    // The second factor of an act that is not a signature (re-key completion): the code's step is used up, and a wrong
    // or replayed code counts toward the lock like a wrong signing password. No-op when OTP is not required.
    void use_one_time_code(const std::string& account_id, const std::string& otp, const std::string& actor);

    // #16: how the owner is told of signings with their key: "each" or "daily" (400 "accounts.bad_notice_mode").
    void set_signing_notices(const std::string& account_id, const std::string& mode, const std::string& actor);
    // #16: queues the expiry warnings now due — one per certificate and threshold of mail.expiry_warning_days, to the
    // owner and the agency's contact person — and returns how many certificates were warned. Safe to run on every
    // node at any time: a warning already queued is not queued again.
    int queue_expiry_warnings(notices::Outbox& outbox);

    // For tests and the enrolment page.
    core::SecureBytes totp_secret(const Account& a);
    // The second factor of a portal sign-in (RFC 6238, the account's TOTP secret): the code's step is used up, so an
    // observed code signs in once (#14). True when OTP is not required or no authenticator is enrolled yet (the first
    // sign-in, which can only lead to the enrolment). Signing after it needs the next code.
    bool use_sign_in_code(const Account& a, const std::string& otp);

    // First sign-in: a new TOTP secret that only the account's owner sees (the office never does). Throws 409
    // "accounts.totp_already_enrolled" (a new authenticator is an office matter, like an unlock).
    TotpEnrolment start_totp_enrolment(const std::string& account_id);
    // The owner proves the authenticator with a code; the secret is stored and the code's step used up. Throws 400
    // "accounts.wrong_otp" (try again with the next code) or "accounts.bad_enrolment".
    void finish_totp_enrolment(const std::string& account_id, const std::string& sealed_candidate_hex,
                               const std::string& otp, const std::string& actor);

private:
    void check_password_rules(const core::SecureString& password, const std::string& username, const char* which) const;
    // A key made in the HSM and sealed, with its certificate signed but not stored (stored with the credential).
    struct NewCredential {
        Credential credential;
        pki::IssuedCertificate certificate;
    };
    NewCredential new_credential(const Account& a, keystore::KeyType type, const core::SecureString& signing_password,
                                 const std::string& actor);
    void check_new_account(const NewAccountRequest& r) const;
    Account new_account(const NewAccountRequest& r);
    // Counts a failed secret toward the lock (audited with `reason`) and throws the one answer for all of them.
    void use_one_time_code(const Account& a, const std::string& otp, const std::string& actor);
    [[noreturn]] void signing_secret_failed(const Account& a, const char* reason, const std::string& credential_id,
                                            const std::string& actor);

    const core::Config& m_config;
    AccountStore& m_store;
    custody::KeyCustody& m_custody;
    pki::CertificateAuthority& m_ca;
    keystore::Keystore& m_keys;
    const core::Clock& m_clock;
};

}  // namespace yq::accounts
