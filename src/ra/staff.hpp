#pragma once
// Registration-office staff (officers, supervisors, CA administrators, auditors) and agency representatives who sign
// in to the back office: password + TOTP, lockout after repeated failures, bearer tokens stored only as hashes.
// Error style: throws yq::Error "staff.*" / "auth.*".
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "accounts/totp_enrolment.hpp"
#include "audit/event.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/secure_buffer.hpp"
#include "keystore/keystore.hpp"
#include "ra/permissions.hpp"

namespace yq::ra {

struct StaffUser {
    std::string username;
    std::string password_hash;  // Argon2id PHC string
    std::string roles;          // comma-separated role names (permissions.hpp)
    bool must_change_password = true;
    // AES-GCM under an HSM key, aad = "staff:" + username; empty until the person enrols their authenticator at the
    // first sign-in (#14: the administrator who made the sign-in never sees it)
    core::Bytes totp_secret_sealed;
    std::int64_t totp_last_step = 0;
    int failed_logins = 0;
    std::string status = "active";   // active | locked | disabled
    std::string representative_id;   // set for an agency representative's sign-in
    std::int64_t created_at = 0;
    // #14: set while a decision role's new or reset sign-in waits for a second administrator: the one-time password's
    // second part, sealed under an HSM key (aad = "staff:" + username + "|approval-part"); the sign-in cannot be used.
    core::Bytes approval_part_sealed;
    std::string requested_by;  // the actor who asked ("staff:carla"); empty when nothing waits

    bool awaiting_approval() const { return !approval_part_sealed.empty(); }
};

struct LoginFailure {
    int attempts = 0;
    bool locked = false;
};

class StaffStore {
public:
    virtual ~StaffStore() = default;
    virtual std::optional<StaffUser> find_staff(const std::string& username) = 0;
    virtual std::vector<StaffUser> list_staff() = 0;
    virtual void create_staff(const StaffUser& user, const audit::Event& e) = 0;
    // The person's own change of password; revokes in the same transaction every token of the user but
    // `keep_token_hash` (the session making the change; #14 — a change ends every session a thief may hold).
    virtual void set_staff_password(const std::string& username, const std::string& password_hash,
                                    const core::Bytes& keep_token_hash, const audit::Event& e) = 0;
    // An administrator's reset: new one-time password hash, the authenticator forgotten, lock cleared, every token
    // revoked; `approval_part_sealed` non-empty: the sign-in waits for a second administrator (`requested_by` asked).
    virtual void reset_staff_sign_in(const std::string& username, const std::string& password_hash,
                                     const core::Bytes& approval_part_sealed, const std::string& requested_by,
                                     const audit::Event& e) = 0;
    // Atomic compare-and-set: approves exactly the waiting request whose sealed part was read; audited. False when it
    // is no longer waiting (approved by someone else, cancelled, or reset again).
    virtual bool approve_staff_sign_in(const std::string& username, const core::Bytes& approval_part_sealed,
                                       const audit::Event& e) = 0;
    // Atomic: a waiting request is withdrawn and the sign-in disabled (a later reset makes a new request); audited.
    virtual bool cancel_staff_sign_in(const std::string& username, const audit::Event& e) = 0;
    // Atomic: one more failed sign-in; the threshold-th locks the user.
    virtual LoginFailure record_staff_login_failure(const std::string& username, int threshold, const audit::Event& e) = 0;
    // Atomic: accepts the TOTP step only if later than the last one (RFC 6238 §5.2), resets failures; false on replay.
    virtual bool accept_staff_login(const std::string& username, std::int64_t totp_step) = 0;
    // Atomic: the first sign-in of a fresh or reset sign-in (one-time password, no authenticator yet) resets
    // failures; false when the user is not active, has an authenticator or has already chosen a password.
    virtual bool accept_staff_first_sign_in(const std::string& username) = 0;
    // Atomic: stores the authenticator the person enrolled (and the step of the code that proved it), only if none is
    // enrolled yet; audited. False when one already is.
    virtual bool enrol_staff_totp(const std::string& username, const core::Bytes& totp_secret_sealed, std::int64_t step,
                                  const audit::Event& e) = 0;
    virtual void put_staff_token(const core::Bytes& token_hash, const std::string& username, std::int64_t expires_at,
                                 const audit::Event& e) = 0;
    virtual std::optional<std::string> staff_token_user(const core::Bytes& token_hash, std::int64_t now) = 0;
    virtual void revoke_staff_token(const core::Bytes& token_hash, const audit::Event& e) = 0;
};

// Who is calling, as the registration office sees it.
struct Principal {
    std::string username;
    std::set<Role> roles;
    std::string representative_id;  // for a representative
    bool must_change_password = false;
    bool must_enrol = false;  // no authenticator yet: the session may only enrol one (then change the password)

    std::string actor() const { return "staff:" + username; }
    bool has(Role r) const { return roles.count(r) != 0; }
};

// Throws 403 "auth.forbidden" unless one of the principal's roles permits the action (and 403
// "auth.enrolment_required" before the authenticator is enrolled, "auth.password_change_required" while a one-time
// password is still in use).
void require_permission(const Principal& who, Action action);

// What the administrator hands over: a one-time password only. The person enrols their own authenticator at the
// first sign-in, so nobody else ever sees its secret (#14). For a decision role made or reset by an administrator
// (not at the console) this is only the password's first part: a second administrator's approval shows the second
// part, and the person types both, first then second, as one password.
struct NewStaffSecrets {
    core::SecureString one_time_password;
    bool awaiting_approval = false;  // one_time_password is the first part only
};

// Who asks for a staff sign-in: an administrator in the back office (four eyes for decision roles), or the operator
// at the server's console (`yunqian admin …`: the bootstrap and key-ceremony path, which already holds the HSM PIN).
enum class StaffIssuer { Administrator, Console };

struct StaffSession {
    std::string access_token;
    std::int64_t expires_in = 0;
    Principal principal;
};

inline constexpr const char* kInitialAdmin = "admin";
inline constexpr const char* kStaffTotpSealLabel = "yq-totp-seal";  // the same HSM key seals signer TOTP secrets

class StaffDirectory {
public:
    StaffDirectory(const core::Config& config, StaffStore& store, keystore::Keystore& keys, const core::Clock& clock)
        : m_config(config), m_store(store), m_keys(keys), m_clock(clock) {}

    // Creates a staff user (or a representative's sign-in) with a one-time password and no authenticator. A decision
    // role asked for by an administrator waits for a second administrator (is_decision_role, permissions.hpp).
    NewStaffSecrets create(const std::string& username, const std::vector<std::string>& roles,
                           const std::string& representative_id, const std::string& actor,
                           StaffIssuer issuer = StaffIssuer::Administrator);
    // "admin" with role ca_admin, if it does not exist yet; nothing when it does.
    std::optional<NewStaffSecrets> create_initial_admin(const std::string& actor);
    // Operator recovery: new one-time password, the authenticator forgotten (re-enrolled at the next sign-in), lock
    // cleared, every session revoked.
    NewStaffSecrets reset(const std::string& username, const std::string& actor,
                          StaffIssuer issuer = StaffIssuer::Administrator);
    // #14 four eyes: another administrator (never the one who asked, never the person) approves a waiting sign-in and
    // receives the one-time password's second part, once. Throws 403 "staff.second_administrator_required", 409
    // "staff.not_awaiting_approval", 404 "staff.unknown". `approver` empty: the operator at the console.
    core::SecureString approve(const std::string& username, const std::optional<Principal>& approver,
                               const std::string& actor);
    // Withdraws a waiting sign-in (the sign-in is disabled; a reset asks again). Throws 409 "staff.not_awaiting_approval".
    void cancel(const std::string& username, const std::string& actor);

    // Password + TOTP. The same error for unknown user, wrong password and wrong OTP; failures lock the sign-in. A
    // fresh or reset sign-in (no authenticator yet) signs in with the one-time password alone, into a session that
    // can only enrol the authenticator and then change the password.
    StaffSession login(const std::string& username, const core::SecureString& password, const std::string& otp);
    // The first sign-in's enrolment: a new secret sealed for the form (never stored until proven), then the code
    // that proves it. Throws 409 "staff.totp_already_enrolled", 400 "staff.wrong_otp" | "staff.bad_enrolment".
    accounts::TotpEnrolment start_enrolment(const Principal& who);
    void finish_enrolment(const Principal& who, const std::string& sealed_candidate_hex, const std::string& otp);
    Principal principal_for_token(const std::string& access_token);  // throws 401 "auth.invalid_token"
    void logout(const std::string& access_token, const std::string& actor);
    // Revokes the user's other tokens in the same transaction; `session_token` (the one making the change) stays.
    void change_password(const Principal& who, const core::SecureString& old_password,
                         const core::SecureString& new_password, const std::string& session_token);
    std::vector<StaffUser> list() { return m_store.list_staff(); }

    // For tests and operator tooling only.
    core::SecureBytes totp_secret(const StaffUser& u);

private:
    // A new one-time password and its hash; split in two parts when `split` (the second sealed into `sealed_part`).
    NewStaffSecrets fresh_secrets(const std::string& username, bool split, std::string& password_hash,
                                  core::Bytes& sealed_part);
    Principal principal_of(const StaffUser& u) const;
    const core::Config& m_config;
    StaffStore& m_store;
    keystore::Keystore& m_keys;
    const core::Clock& m_clock;
};

std::set<Role> parse_roles(const std::string& comma_separated);

}  // namespace yq::ra
