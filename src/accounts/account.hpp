#pragma once
// Signer accounts and their credentials, and the persistence the accounts service needs (declared here, implemented in
// storage/). Every mutating call writes its audit event in the same transaction.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/event.hpp"
#include "custody/key_custody.hpp"

namespace yq::accounts {

struct Account {
    std::string id;
    std::string username;  // immutable once created (enforced by a database trigger too)
    std::string display_name;
    std::string agency;
    std::string email;
    std::string status = "active";  // active | locked | suspended | revoked
    std::string login_password_hash;
    core::Bytes totp_secret_sealed;  // AES-GCM under an HSM key, aad = account id
    std::int64_t totp_last_step = 0;
    std::int64_t totp_enrolled_at = 0;  // 0: the owner has not enrolled an authenticator yet (first sign-in)
    int failed_attempts = 0;
    std::int64_t created_at = 0;
    // Opened by the registration office: no signing key exists until the owner chooses the signing password in the
    // portal, which makes the key and its certificate (#14: the PIN letter carries no signing secret at all).
    bool awaiting_signing_key = false;
    // What the key's certificate needs when it is made later (subject OU and title; the key type applied for).
    std::string department;
    std::string title;
    std::string key_type;
    // #16: how the owner is told of each signing made with their key: "each" (a mail per signing) or "daily" (one
    // digest a day)
    std::string signing_notices = "each";
};

// #16: a signing certificate nearing its end (expiry warnings).
struct ExpiringCredential {
    std::string account_id;
    std::string username;
    std::string credential_id;
    std::string certificate_serial;
    std::int64_t not_after = 0;
};

struct Credential {
    std::string id;
    std::string account_id;
    std::string status = "active";  // active | disabled
    std::string certificate_serial;
    custody::SealedKey key;
    std::int64_t created_at = 0;
};

struct FailureResult {
    int attempts = 0;
    bool locked = false;  // the account is locked now (this failure locked it, or it already was)
};

class AccountStore : public virtual audit::EventRecorder {
public:
    virtual ~AccountStore() = default;
    // Runs fn in one transaction with every store call inside it (and the CA's certificate row, #17).
    virtual void atomically(const std::function<void()>& fn) = 0;
    // The account and, when it is given, its first credential (an account the office opens has none yet).
    virtual void create_account(const Account& a, const std::optional<Credential>& c, const audit::Event& e) = 0;
    // The owner's first signing key: takes the account's "awaiting signing key" flag (only once: a second, concurrent
    // call throws 409 "accounts.signing_key_exists"), disables `replaced_ids` (a key from before #14 sealed under the
    // office's one-time password) and stores `c`, audited, in one transaction.
    virtual void add_first_credential(const Credential& c, const std::vector<std::string>& replaced_ids,
                                      const audit::Event& e) = 0;
    virtual std::optional<Account> account_by_username(const std::string& username) = 0;
    virtual std::optional<Account> account_by_id(const std::string& id) = 0;
    virtual std::vector<Credential> credentials_of(const std::string& account_id) = 0;
    virtual std::optional<Credential> credential(const std::string& id) = 0;

    // Atomic: one more failure (`e`); the threshold-th failure locks the account and writes `locked` (with its
    // notices) too. Never counts past the lock.
    virtual FailureResult record_signing_failure(const std::string& account_id, int threshold, const audit::Event& e,
                                                 const audit::Event& locked) = 0;
    virtual void set_signing_notices(const std::string& account_id, const std::string& mode, const audit::Event& e) = 0;
    // Active credentials of active or locked accounts whose valid certificate expires in [from, to), soonest first.
    virtual std::vector<ExpiringCredential> credentials_expiring(std::int64_t from, std::int64_t to) = 0;
    // Atomic: resets the counter if and only if the account is still active; false otherwise.
    virtual bool record_signing_success(const std::string& account_id) = 0;
    // Atomic: accepts a TOTP time step only if it is later than the last accepted one (RFC 6238 §5.2 replay).
    virtual bool accept_totp_step(const std::string& account_id, std::int64_t step) = 0;
    // Stores the enrolled secret (sealed) with its first accepted step and the audit event, in one transaction; only
    // while none is enrolled (409 "accounts.totp_already_enrolled").
    virtual void enrol_totp(const std::string& account_id, const core::Bytes& sealed_secret, std::int64_t enrolled_at,
                            std::int64_t step, const audit::Event& e) = 0;

    virtual void set_status(const std::string& account_id, const std::string& expected, const std::string& status,
                            const audit::Event& e) = 0;
    // Password changes revoke, in the same transaction, every access token of the account except `keep_token_hash`
    // (the SHA-256 of the session that proved the old password; empty keeps none) — #14: a stolen session dies when
    // its owner changes a password.
    virtual void set_login_password(const std::string& account_id, const std::string& hash,
                                    const core::Bytes& keep_token_hash, const audit::Event& e) = 0;
    // Replaces the seals of the account's active credentials; fails with "accounts.concurrent_change" if any seal
    // changed since it was read (so two password changes cannot interleave).
    virtual void reseal_credentials(const std::vector<Credential>& before, const std::vector<custody::SealedKey>& after,
                                    const core::Bytes& keep_token_hash, const audit::Event& e) = 0;
    // Signer recovery at an appointment (#14): a new login password hash, the authenticator forgotten (the owner enrols
    // a new one at the next sign-in) and every access token revoked, in one transaction. The signing key is untouched.
    virtual void reset_sign_in(const std::string& account_id, const std::string& login_password_hash,
                               const audit::Event& e) = 0;
    // Disables `old_credential_id`, adds `replacement` and makes a locked account active again (re-key is the recovery
    // path after an in-person appointment).
    virtual void replace_credential(const std::string& old_credential_id, const Credential& replacement,
                                    const audit::Event& e) = 0;
};

}  // namespace yq::accounts
