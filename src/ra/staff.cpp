#include "ra/staff.hpp"

#include <regex>

#include "accounts/password_hash.hpp"
#include "accounts/totp.hpp"
#include "core/bytes.hpp"
#include "core/error.hpp"

namespace yq::ra {

namespace {

core::Bytes aad_for(const std::string& username) { return core::to_bytes("staff:" + username); }
core::Bytes enrolment_aad(const std::string& username) { return core::to_bytes("staff:" + username + "|totp-enrolment"); }
core::Bytes approval_part_aad(const std::string& username) {
    return core::to_bytes("staff:" + username + "|approval-part");
}

bool needs_second_administrator(const std::set<Role>& roles, StaffIssuer issuer) {
    if (issuer == StaffIssuer::Console) return false;
    for (Role r : roles)
        if (is_decision_role(r)) return true;
    return false;
}

[[noreturn]] void not_awaiting(const std::string& username) {
    throw_conflict("staff.not_awaiting_approval", "the sign-in '" + username + "' is not waiting for approval");
}

core::Bytes token_hash(const std::string& token) { return core::sha256(token); }

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
    return out;
}

[[noreturn]] void sign_in_failed() {
    throw Error("auth.sign_in_failed", 401, "the username, password or one-time password is not right");
}

}  // namespace

void require_permission(const Principal& who, Action action) {
    if (who.must_enrol)
        throw Error("auth.enrolment_required", 403,
                    "enrol your authenticator app first (POST /api/v1/staff/me/totp), then change your one-time password");
    if (who.must_change_password)
        throw Error("auth.password_change_required", 403, "change your one-time password first (POST /api/v1/staff/me/password)");
    if (!permits(who.roles, action))
        throw Error("auth.forbidden", 403, "your role does not allow " + std::string(action_name(action)));
}

std::set<Role> parse_roles(const std::string& comma_separated) {
    std::set<Role> out;
    std::size_t start = 0;
    while (start < comma_separated.size()) {
        std::size_t comma = comma_separated.find(',', start);
        if (comma == std::string::npos) comma = comma_separated.size();
        std::string name = comma_separated.substr(start, comma - start);
        if (!name.empty()) out.insert(role_from_name(name));
        start = comma + 1;
    }
    return out;
}

NewStaffSecrets StaffDirectory::fresh_secrets(const std::string& username, bool split, std::string& password_hash,
                                              core::Bytes& sealed_part) {
    NewStaffSecrets s;
    s.one_time_password = accounts::generate_password();
    s.awaiting_approval = split;
    if (!split) {
        password_hash = accounts::hash_password(s.one_time_password, m_config.kdf);
        return s;
    }
    // #14: the password is both parts, first then second; the administrator who asks sees only the first, the second
    // waits sealed under the HSM for the approving administrator. Neither alone can sign in as the person.
    core::SecureString second = accounts::generate_password();
    core::SecureString whole = s.one_time_password;
    whole.append(second.data(), second.size());
    password_hash = accounts::hash_password(whole, m_config.kdf);
    core::Bytes plain(second.begin(), second.end());
    struct WipeOnExit {
        core::Bytes& b;
        ~WipeOnExit() { core::secure_wipe(b.data(), b.size()); }
    } wipe{plain};
    sealed_part = m_keys.gcm_encrypt(kStaffTotpSealLabel, plain, approval_part_aad(username));
    return s;
}

NewStaffSecrets StaffDirectory::create(const std::string& username, const std::vector<std::string>& roles,
                                       const std::string& representative_id, const std::string& actor,
                                       StaffIssuer issuer) {
    static const std::regex kName("[a-z][a-z0-9._-]{2,31}");
    if (!std::regex_match(username, kName))
        throw_bad_input("staff.bad_username", "a staff username is 3–32 characters: a–z first, then a–z, 0–9, . _ -");
    if (roles.empty()) throw_bad_input("staff.no_roles", "give the staff user at least one role");
    std::set<Role> parsed = parse_roles(join(roles));
    if (parsed.count(Role::Signer)) throw_bad_input("staff.unknown_role", "signers have accounts, not staff sign-ins");
    if (parsed.count(Role::Representative) != (representative_id.empty() ? 0u : 1u) || (!representative_id.empty() && parsed.size() != 1))
        throw_bad_input("staff.representative_role",
                        "a representative's sign-in has only the role 'representative' and names the representative");
    if (m_store.find_staff(username)) throw_conflict("staff.exists", "a staff user named '" + username + "' exists");
    StaffUser u;
    u.username = username;
    u.roles = join(roles);
    u.representative_id = representative_id;
    u.created_at = m_clock.unix_seconds();
    // Argon2 and the HSM seal before the write transaction (#14: none is held across either)
    NewStaffSecrets s = fresh_secrets(username, needs_second_administrator(parsed, issuer), u.password_hash,
                                      u.approval_part_sealed);
    if (s.awaiting_approval) u.requested_by = actor;
    m_store.create_staff(u, audit::Event{actor, "staff.created", "staff:" + username,
                                         audit::details({{"roles", u.roles},
                                                         {"representative", representative_id},
                                                         {"approval", s.awaiting_approval ? "awaiting" : "not needed"}}),
                                         m_clock.unix_seconds()});
    return s;
}

std::optional<NewStaffSecrets> StaffDirectory::create_initial_admin(const std::string& actor) {
    if (m_store.find_staff(kInitialAdmin)) return std::nullopt;
    return create(kInitialAdmin, {"ca_admin"}, "", actor, StaffIssuer::Console);
}

NewStaffSecrets StaffDirectory::reset(const std::string& username, const std::string& actor, StaffIssuer issuer) {
    auto u = m_store.find_staff(username);
    if (!u) throw_not_found("staff.unknown", "no staff user named '" + username + "'");
    std::string hash;
    core::Bytes sealed_part;
    NewStaffSecrets s = fresh_secrets(username, needs_second_administrator(parse_roles(u->roles), issuer), hash, sealed_part);
    // the authenticator is forgotten: the person enrols one again at the next sign-in
    m_store.reset_staff_sign_in(username, hash, sealed_part, actor,
                                audit::Event{actor, "staff.password_reset", "staff:" + username,
                                             audit::details({{"approval", s.awaiting_approval ? "awaiting" : "not needed"}}),
                                             m_clock.unix_seconds()});
    return s;
}

core::SecureString StaffDirectory::approve(const std::string& username, const std::optional<Principal>& approver,
                                           const std::string& actor) {
    auto u = m_store.find_staff(username);
    if (!u) throw_not_found("staff.unknown", "no staff user named '" + username + "'");
    if (!u->awaiting_approval()) not_awaiting(username);
    if (approver && (approver->actor() == u->requested_by || approver->username == username))
        throw Error("staff.second_administrator_required", 403,
                    "another CA administrator approves this sign-in: not the one who asked for it, nor its holder");
    core::SecureBytes part = m_keys.gcm_decrypt(kStaffTotpSealLabel, u->approval_part_sealed, approval_part_aad(username));
    if (!m_store.approve_staff_sign_in(username, u->approval_part_sealed,
                                       audit::Event{actor, "staff.approved", "staff:" + username,
                                                    audit::details({{"requested_by", u->requested_by}}),
                                                    m_clock.unix_seconds()}))
        not_awaiting(username);  // another administrator approved (or someone cancelled) in between
    return core::SecureString(part.begin(), part.end());
}

void StaffDirectory::cancel(const std::string& username, const std::string& actor) {
    if (!m_store.cancel_staff_sign_in(username, audit::Event{actor, "staff.request_cancelled", "staff:" + username, "{}",
                                                             m_clock.unix_seconds()}))
        not_awaiting(username);
}

core::SecureBytes StaffDirectory::totp_secret(const StaffUser& u) {
    return m_keys.gcm_decrypt(kStaffTotpSealLabel, u.totp_secret_sealed, aad_for(u.username));
}

Principal StaffDirectory::principal_of(const StaffUser& u) const {
    return Principal{u.username, parse_roles(u.roles), u.representative_id, u.must_change_password,
                     u.totp_secret_sealed.empty()};
}

StaffSession StaffDirectory::login(const std::string& username, const core::SecureString& password,
                                   const std::string& otp) {
    auto u = m_store.find_staff(username);
    // #14: unknown, locked and wrong answer alike and cost alike: one password check at the configured cost on every
    // path, one error. A locked sign-in is reset by a CA administrator (the sign-in page says so for every failure).
    bool ok = accounts::verify_password(password, u ? u->password_hash : accounts::dummy_password_hash(m_config.kdf));
    // a sign-in waiting for a second administrator (#14) cannot be used, nor locked by someone trying it
    if (!u || u->status != "active" || u->awaiting_approval()) sign_in_failed();
    bool accepted = false;
    if (ok && u->totp_secret_sealed.empty()) {
        // a fresh or reset sign-in: the one-time password alone, into a session that can only enrol the authenticator
        accepted = u->must_change_password && m_store.accept_staff_first_sign_in(username);
    } else if (ok) {
        auto step = accounts::totp_step_for(totp_secret(*u), otp, m_clock.unix_seconds());
        accepted = step && m_store.accept_staff_login(username, *step);
    }
    if (!accepted) {
        m_store.record_staff_login_failure(
            username, m_config.ra.staff_login_lockout,
            audit::Event{"staff:" + username, "staff.sign_in_failed", "staff:" + username, "{}", m_clock.unix_seconds()});
        sign_in_failed();
    }
    std::string token = core::random_token(32);
    std::int64_t expires = m_clock.unix_seconds() + m_config.ra.staff_token_seconds;
    m_store.put_staff_token(token_hash(token), username, expires,
                            audit::Event{"staff:" + username, "staff.signed_in", "staff:" + username, "{}",
                                         m_clock.unix_seconds()});
    return StaffSession{token, m_config.ra.staff_token_seconds, principal_of(*u)};
}

Principal StaffDirectory::principal_for_token(const std::string& access_token) {
    auto user = m_store.staff_token_user(token_hash(access_token), m_clock.unix_seconds());
    std::optional<StaffUser> u;
    if (user) u = m_store.find_staff(*user);
    if (!u || u->status != "active" || u->awaiting_approval())
        throw Error("auth.invalid_token", 401, "the access token is not valid any more; sign in again");
    return principal_of(*u);
}

void StaffDirectory::logout(const std::string& access_token, const std::string& actor) {
    m_store.revoke_staff_token(token_hash(access_token),
                               audit::Event{actor, "staff.signed_out", actor, "{}", m_clock.unix_seconds()});
}

accounts::TotpEnrolment StaffDirectory::start_enrolment(const Principal& who) {
    auto u = m_store.find_staff(who.username);
    if (!u) throw Error("auth.invalid_token", 401, "the access token is not valid any more; sign in again");
    if (!u->totp_secret_sealed.empty())
        throw_conflict("staff.totp_already_enrolled", "an authenticator is already enrolled; a CA administrator resets it");
    return accounts::new_totp_enrolment(m_keys, kStaffTotpSealLabel, enrolment_aad(who.username),
                                        m_config.accounts.totp_issuer + " staff", who.username);
}

void StaffDirectory::finish_enrolment(const Principal& who, const std::string& sealed_candidate_hex,
                                      const std::string& otp) {
    auto u = m_store.find_staff(who.username);
    if (!u) throw Error("auth.invalid_token", 401, "the access token is not valid any more; sign in again");
    if (!u->totp_secret_sealed.empty())
        throw_conflict("staff.totp_already_enrolled", "an authenticator is already enrolled; a CA administrator resets it");
    std::int64_t now = m_clock.unix_seconds();
    accounts::ProvenTotp proven = accounts::prove_totp_candidate(
        m_keys, kStaffTotpSealLabel, sealed_candidate_hex, enrolment_aad(who.username), aad_for(who.username), otp, now,
        "staff");
    if (!m_store.enrol_staff_totp(who.username, proven.sealed_secret, proven.step,
                                  audit::Event{who.actor(), "staff.totp_enrolled", "staff:" + who.username, "{}", now}))
        throw_conflict("staff.totp_already_enrolled", "an authenticator is already enrolled; a CA administrator resets it");
}

void StaffDirectory::change_password(const Principal& who, const core::SecureString& old_password,
                                     const core::SecureString& new_password, const std::string& session_token) {
    if (who.must_enrol)
        throw Error("auth.enrolment_required", 403, "enrol your authenticator app first (POST /api/v1/staff/me/totp)");
    auto u = m_store.find_staff(who.username);
    if (!u || !accounts::verify_password(old_password, u->password_hash))
        throw Error("auth.wrong_password", 403, "the current password is not right");
    if (new_password.size() < m_config.accounts.password_min_length)
        throw_bad_input("staff.password_too_short", "the new password needs at least " +
                                                        std::to_string(m_config.accounts.password_min_length) + " characters");
    if (core::constant_time_equal(std::string_view(old_password.data(), old_password.size()),
                                  std::string_view(new_password.data(), new_password.size())))
        throw_bad_input("staff.password_unchanged", "choose a password different from the current one");
    m_store.set_staff_password(who.username, accounts::hash_password(new_password, m_config.kdf),
                               session_token.empty() ? core::Bytes() : token_hash(session_token),
                               audit::Event{who.actor(), "staff.password_changed", "staff:" + who.username, "{}",
                                            m_clock.unix_seconds()});
}

}  // namespace yq::ra
