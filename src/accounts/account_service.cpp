#include "accounts/account_service.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include <spdlog/spdlog.h>

#include <regex>

#include "accounts/password_hash.hpp"
#include "accounts/totp.hpp"
#include "core/error.hpp"

namespace yq::accounts {

namespace {

std::string new_id(const char* prefix) { return prefix + core::random_token(12); }

// Access tokens are stored as their SHA-256 (signing/ makes them); "" stands for no session to keep.
core::Bytes session_hash(const std::string& token) { return token.empty() ? core::Bytes() : core::sha256(token); }
}  // namespace

void AccountService::ensure_hsm_keys(keystore::Keystore& keys) {
    custody::KeyCustody::ensure_hsm_keys(keys);
    if (!keys.has_key(kTotpSealLabel)) keys.generate_secret_key(kTotpSealLabel, keystore::SecretKeyKind::AesGcm);
}

void AccountService::check_password_rules(const core::SecureString& password, const std::string& username,
                                          const char* which) const {
    if (password.size() < m_config.accounts.password_min_length)
        throw_bad_input("accounts.password_too_short", std::string("the ") + which + " must have at least " +
                                                           std::to_string(m_config.accounts.password_min_length) +
                                                           " characters");
    if (password.size() > 256) throw_bad_input("accounts.password_too_long", std::string("the ") + which + " is too long");
    if (core::constant_time_equal(std::string_view(password.data(), password.size()), username))
        throw_bad_input("accounts.password_is_username", std::string("the ") + which + " must not be the username");
}

core::SecureBytes AccountService::totp_secret(const Account& a) {
    return m_keys.gcm_decrypt(kTotpSealLabel, a.totp_secret_sealed, core::to_bytes(a.id));
}

AccountService::NewCredential AccountService::new_credential(const Account& a, keystore::KeyType type,
                                                             const core::SecureString& signing_password,
                                                             const std::string& actor) {
    Credential c;
    c.id = new_id("cred_");
    c.account_id = a.id;
    c.created_at = m_clock.unix_seconds();
    custody::NewKey key = m_custody.create_key(c.id, type, signing_password);
    c.key = key.sealed;
    pki::SubjectFields subject{{"O", a.agency}};
    if (!a.department.empty()) subject.emplace_back("OU", a.department);
    if (!a.title.empty()) subject.emplace_back("title", a.title);
    subject.emplace_back("CN", a.display_name);
    subject.emplace_back("serialNumber", a.username);  // the immutable username is the subscriber reference
    if (!a.email.empty()) subject.emplace_back("emailAddress", a.email);
    auto issued = m_ca.sign_for_public_key(key.public_key_der, subject, "signer", actor);
    c.certificate_serial = issued.record.serial;
    return {std::move(c), std::move(issued)};
}

void AccountService::check_new_account(const NewAccountRequest& r) const {
    static const std::regex kUsername("^[a-z0-9][a-z0-9._-]{2,31}$");
    if (!std::regex_match(r.username, kUsername))
        throw_bad_input("accounts.bad_username",
                        "usernames have 3–32 characters: lower-case letters, digits, '.', '_' or '-', starting with a "
                        "letter or digit");
    if (r.display_name.empty() || r.display_name.size() > 128)
        throw_bad_input("accounts.bad_name", "the name must have 1–128 characters");
    if (r.agency.empty() || r.agency.size() > 128) throw_bad_input("accounts.bad_agency", "the agency must have 1–128 characters");
    check_password_rules(r.login_password, r.username, "login password");
}

// The account row's fields (the login password hashed here: Argon2, outside any transaction).
Account AccountService::new_account(const NewAccountRequest& r) {
    Account a;
    a.id = new_id("acc_");
    a.username = r.username;
    a.display_name = r.display_name;
    a.agency = r.agency;
    a.email = r.email;
    a.department = r.department;
    a.title = r.title;
    a.key_type = keystore::key_type_name(r.key_type);
    a.login_password_hash = hash_password(r.login_password, m_config.kdf);
    a.created_at = m_clock.unix_seconds();
    return a;
}

CreatedAccount AccountService::create(const NewAccountRequest& r, const std::string& actor) {
    check_new_account(r);
    check_password_rules(r.signing_password, r.username, "signing password");
    if (core::constant_time_equal(std::string_view(r.login_password.data(), r.login_password.size()),
                                  std::string_view(r.signing_password.data(), r.signing_password.size())))
        throw_bad_input("accounts.passwords_equal", "the signing password must differ from the login password");
    if (m_store.account_by_username(r.username))
        throw_conflict("accounts.username_taken", "the username '" + r.username + "' is already taken");

    Account a = new_account(r);
    core::Bytes secret = core::random_bytes(kTotpSecretBytes);
    a.totp_secret_sealed = m_keys.gcm_encrypt(kTotpSealLabel, secret, core::to_bytes(a.id));
    core::SecureBytes secret_copy(secret.begin(), secret.end());
    core::secure_wipe(secret.data(), secret.size());
    a.totp_enrolled_at = a.created_at;  // given to the person at creation (the operator's CLI)

    NewCredential made = new_credential(a, r.key_type, r.signing_password, actor);
    const Credential& c = made.credential;  // not a structured binding: clang 14 (the fuzz build) cannot capture one
    const pki::IssuedCertificate& certificate = made.certificate;
    // #17: the certificate's row with the account and its credential, in one transaction
    m_store.atomically([&] {
        m_ca.store_issued(certificate, actor);
        m_store.create_account(a, c,
                               audit::Event{actor, "account.created", "account:" + a.username,
                                            audit::details({{"account_id", a.id},
                                                            {"credential_id", c.id},
                                                            {"certificate", c.certificate_serial},
                                                            {"key", a.key_type}}),
                                            m_clock.unix_seconds()});
    });
    m_ca.presign_status(certificate);
    return CreatedAccount{a, c, otpauth_uri(secret_copy, m_config.accounts.totp_issuer, a.username)};
}

Account AccountService::prepare_office_account(const NewAccountRequest& r) {
    check_new_account(r);
    if (!r.signing_password.empty())
        throw Error("accounts.internal", 500, "the office never chooses a signing password for the user");
    Account a = new_account(r);
    // No second factor and no key yet: the owner enrols the authenticator at the first sign-in and makes the key by
    // choosing the signing password; until then the sealed TOTP field holds a random secret nobody is shown.
    core::Bytes secret = core::random_bytes(kTotpSecretBytes);
    a.totp_secret_sealed = m_keys.gcm_encrypt(kTotpSealLabel, secret, core::to_bytes(a.id));
    core::secure_wipe(secret.data(), secret.size());
    a.totp_enrolled_at = 0;
    a.awaiting_signing_key = true;
    return a;
}

void AccountService::open_office_account(const Account& a, const std::string& actor) {
    if (m_store.account_by_username(a.username))
        throw_conflict("accounts.username_taken", "the username '" + a.username + "' is already taken");
    m_store.create_account(a, std::nullopt,
                           audit::Event{actor, "account.created", "account:" + a.username,
                                        audit::details({{"account_id", a.id}, {"key", a.key_type}, {"signing_key", "awaiting"}}),
                                        m_clock.unix_seconds()});
}

Credential AccountService::create_first_key(const std::string& account_id, const core::SecureString& signing_password,
                                            const std::string& otp, const std::string& actor) {
    auto a = m_store.account_by_id(account_id);
    if (!a) throw Error("accounts.unknown_account", 401, "the account no longer exists");
    if (!a->awaiting_signing_key)
        throw_conflict("accounts.signing_key_exists",
                       "the signing key of this account already exists; change the signing password instead");
    if (a->status == "locked")
        throw Error("accounts.locked", 403, "the account is locked; book an unlock appointment at the registration office");
    if (a->status != "active") throw Error("accounts.disabled", 403, "the account is suspended or closed");
    check_password_rules(signing_password, a->username, "signing password");
    use_one_time_code(*a, otp, actor);
    if (verify_password(signing_password, a->login_password_hash))
        throw_bad_input("accounts.passwords_equal", "the signing password must differ from the login password");
    std::vector<std::string> replaced;  // a key from before #14, sealed under the office's one-time password
    for (const Credential& c : m_store.credentials_of(a->id))
        if (c.status == "active") replaced.push_back(c.id);

    // Evidence around the HSM: this event is committed before the key is made; "account.signing_key_created" after.
    m_store.record_event(audit::Event{actor, "account.signing_key_generating", "account:" + a->username,
                                      audit::details({{"key", a->key_type}}), m_clock.unix_seconds()});
    keystore::KeyType type = keystore::parse_key_type(a->key_type.empty() ? m_config.accounts.default_key : a->key_type);
    NewCredential made = new_credential(*a, type, signing_password, actor);
    const Credential& c = made.credential;
    const pki::IssuedCertificate& certificate = made.certificate;
    // #17: the certificate's row with the credential that holds its key, in one transaction (a concurrent first key
    // makes this one fail whole: its certificate is never stored)
    m_store.atomically([&] {
        m_ca.store_issued(certificate, actor);
        m_store.add_first_credential(c, replaced,
                                     audit::Event{actor, "account.signing_key_created", "account:" + a->username,
                                                  audit::details({{"credential_id", c.id},
                                                                  {"certificate", c.certificate_serial},
                                                                  {"key", keystore::key_type_name(type)}}),
                                                  m_clock.unix_seconds()});
    });
    m_ca.presign_status(certificate);
    for (const std::string& id : replaced)
        if (auto old = m_store.credential(id)) {
            auto cert = m_ca.find_certificate(old->certificate_serial);
            if (cert && cert->status == "valid") m_ca.revoke(old->certificate_serial, "superseded", std::nullopt, actor);
        }
    return c;
}

namespace {
core::Bytes enrolment_aad(const std::string& account_id) { return core::to_bytes(account_id + "|totp-enrolment"); }
}  // namespace

TotpEnrolment AccountService::start_totp_enrolment(const std::string& account_id) {
    auto a = m_store.account_by_id(account_id);
    if (!a) throw Error("accounts.unknown_account", 401, "the account no longer exists");
    if (a->totp_enrolled_at != 0)
        throw_conflict("accounts.totp_already_enrolled", "an authenticator is already enrolled for this account");
    return new_totp_enrolment(m_keys, kTotpSealLabel, enrolment_aad(a->id), m_config.accounts.totp_issuer, a->username);
}

void AccountService::finish_totp_enrolment(const std::string& account_id, const std::string& sealed_candidate_hex,
                                           const std::string& otp, const std::string& actor) {
    auto a = m_store.account_by_id(account_id);
    if (!a) throw Error("accounts.unknown_account", 401, "the account no longer exists");
    if (a->totp_enrolled_at != 0)
        throw_conflict("accounts.totp_already_enrolled", "an authenticator is already enrolled for this account");
    std::int64_t now = m_clock.unix_seconds();
    ProvenTotp proven = prove_totp_candidate(m_keys, kTotpSealLabel, sealed_candidate_hex, enrolment_aad(a->id),
                                             core::to_bytes(a->id), otp, now, "accounts");
    m_store.enrol_totp(a->id, proven.sealed_secret, now, proven.step,
                       audit::Event{actor, "account.totp_enrolled", "account:" + a->username, "{}", now});
}

Account AccountService::authenticate(const std::string& username, const core::SecureString& login_password) {
    auto a = m_store.account_by_username(username);
    if (!a) {
        verify_password(login_password, dummy_password_hash(m_config.kdf));  // #14: at the configured cost
        throw Error("accounts.authentication_failed", 401, "unknown username or wrong password");
    }
    if (!verify_password(login_password, a->login_password_hash))
        throw Error("accounts.authentication_failed", 401, "unknown username or wrong password");
    if (a->status == "revoked") throw Error("accounts.disabled", 403, "this account has been closed");
    return *a;
}

bool AccountService::use_sign_in_code(const Account& a, const std::string& otp) {
    if (!m_config.accounts.otp_required || a.totp_enrolled_at == 0) return true;
    auto step = totp_step_for(totp_secret(a), otp, m_clock.unix_seconds());
    return step && m_store.accept_totp_step(a.id, *step);  // RFC 6238 §5.2: accepted once
}

// One answer for a wrong code, a replayed code and a wrong password (#14): which secret failed is written to the audit
// trail for the auditor and never told to the caller, so a replayed code is no oracle for password guesses.
void AccountService::signing_secret_failed(const Account& a, const char* reason, const std::string& credential_id,
                                           const std::string& actor) {
    const std::int64_t now = m_clock.unix_seconds();
    const int threshold = m_config.accounts.lockout_threshold;
    // #16: the owner and the agency's contact person are told of the lock
    audit::Event locked{actor, "account.locked", "account:" + a.username,
                        audit::details({{"failed_attempts", std::to_string(threshold)}}), now};
    locked.notices = audit::to_each({a.email.empty() ? "" : audit::account_audience(a.id), audit::account_agency_audience(a.id)},
                                    "account.locked",
                                    nlohmann::json{{"username", a.username}, {"attempts", threshold}, {"at", now}}.dump());
    FailureResult f = m_store.record_signing_failure(
        a.id, threshold,
        audit::Event{actor, "account.signing_auth_failed", "account:" + a.username,
                     audit::details({{"reason", reason}, {"credential_id", credential_id}}), now},
        locked);
    // (a re-key completed at the office's approval may come from a locked account: its wrong codes are not "locked")
    if (f.locked && a.status != "locked")
        throw Error("accounts.locked", 403, "the account is locked; book an unlock appointment at the registration office");
    throw Error("accounts.wrong_signing_secrets", 400, "the signing password or the one-time password is wrong");
}

void AccountService::set_signing_notices(const std::string& account_id, const std::string& mode, const std::string& actor) {
    if (mode != "each" && mode != "daily")
        throw Error("accounts.bad_notice_mode", 400, "choose a mail for each signing (each) or a daily digest (daily)");
    m_store.set_signing_notices(account_id, mode,
                                audit::Event{actor, "account.signing_notices_set", "account:" + account_id,
                                             audit::details({{"mode", mode}}), m_clock.unix_seconds()});
}

int AccountService::queue_expiry_warnings(notices::Outbox& outbox) {
    const std::int64_t now = m_clock.unix_seconds();
    std::vector<int> days = m_config.mail.expiry_warning_days;
    std::sort(days.begin(), days.end());  // the nearest threshold a certificate is inside is the one it is warned for
    int warned = 0;
    for (const ExpiringCredential& c : m_store.credentials_expiring(now, now + std::int64_t{days.empty() ? 0 : days.back()} * 86400)) {
        const std::int64_t left = (c.not_after - now) / 86400;
        auto threshold = std::find_if(days.begin(), days.end(), [&](int d) { return left < d; });
        if (threshold == days.end()) continue;
        const std::string key = "expiry:" + c.certificate_serial + ":" + std::to_string(*threshold);
        if (outbox.queued_once(key)) continue;
        audit::Event e{"system:notices", "certificate.expiry_warned", "certificate:" + c.certificate_serial,
                       audit::details({{"days_left", std::to_string(left)}, {"threshold", std::to_string(*threshold)}}), now};
        e.notices = audit::to_each({audit::account_audience(c.account_id), audit::account_agency_audience(c.account_id)},
                                   "certificate.expiring",
                                   nlohmann::json{{"username", c.username},
                                                  {"serial", c.certificate_serial},
                                                  {"not_after", c.not_after},
                                                  {"days", left},
                                                  {"at", now}}
                                       .dump());
        // both notices share the key's threshold; the second audience gets its own key
        for (std::size_t i = 0; i < e.notices.size(); ++i) e.notices[i].dedupe_key = key + (i ? ":agency" : "");
        m_store.record_event(e);
        ++warned;
    }
    return warned;
}

void AccountService::use_one_time_code(const std::string& account_id, const std::string& otp, const std::string& actor) {
    if (!m_config.accounts.otp_required) return;
    auto a = m_store.account_by_id(account_id);
    if (!a) throw Error("accounts.unknown_account", 401, "the account no longer exists");
    use_one_time_code(*a, otp, actor);
}

void AccountService::use_one_time_code(const Account& account, const std::string& otp, const std::string& actor) {
    if (!m_config.accounts.otp_required) return;
    const Account* a = &account;
    if (a->totp_enrolled_at == 0)
        throw Error("accounts.totp_not_enrolled", 403, "enrol an authenticator app in the signer portal first");
    auto step = totp_step_for(totp_secret(*a), otp, m_clock.unix_seconds());
    if (!step) signing_secret_failed(*a, "one-time password", "", actor);
    if (!m_store.accept_totp_step(a->id, *step)) signing_secret_failed(*a, "one-time password replayed", "", actor);
}

SigningAuthorisation AccountService::authorise_signing(const std::string& account_id, const std::string& credential_id,
                                                       const core::SecureString& signing_password,
                                                       const std::string& otp, const std::string& actor) {
    auto a = m_store.account_by_id(account_id);
    if (!a) throw Error("accounts.unknown_account", 401, "the account no longer exists");
    auto c = m_store.credential(credential_id);
    if (!c || c->account_id != a->id) throw_bad_input("accounts.unknown_credential", "unknown credential");
    if (a->status == "locked")
        throw Error("accounts.locked", 403, "the account is locked; book an unlock appointment at the registration office");
    if (a->status != "active") throw Error("accounts.disabled", 403, "the account is suspended or closed");
    if (c->status != "active") throw_bad_input("accounts.credential_disabled", "the credential is disabled");
    if (a->awaiting_signing_key)
        throw Error("accounts.signing_key_not_created", 403,
                    "choose your signing password on the self-service page first: your signing key is made then");

    // RFC 6238 §5.2: a code is accepted once. Its step is used up before the password is tried, so one observed code
    // tests at most one password, and concurrent requests with the same code cannot all reach Argon2.
    use_one_time_code(*a, otp, actor);
    auto k_user = m_custody.unlock(c->key, signing_password);
    if (!k_user) signing_secret_failed(*a, "signing password", c->id, actor);
    if (!m_store.record_signing_success(a->id))
        throw Error("accounts.locked", 403, "the account is locked; book an unlock appointment at the registration office");
    return SigningAuthorisation{std::move(*k_user), *c};
}

void AccountService::change_signing_password(const std::string& account_id, const core::SecureString& old_password,
                                             const std::string& otp, const core::SecureString& new_password,
                                             const std::string& actor, const std::string& session_token) {
    auto a = m_store.account_by_id(account_id);
    if (!a) throw Error("accounts.unknown_account", 401, "the account no longer exists");
    if (a->awaiting_signing_key)
        throw Error("accounts.signing_key_not_created", 403,
                    "choose your signing password on the self-service page first: your signing key is made then");
    check_password_rules(new_password, a->username, "signing password");
    std::vector<Credential> before;
    for (const Credential& c : m_store.credentials_of(account_id))
        if (c.status == "active") before.push_back(c);
    if (before.empty()) throw_bad_input("accounts.no_credential", "the account has no active credential");
    // The same checks (and lockout) as signing, on the first credential; the others must open with the same K_user path.
    SigningAuthorisation auth = authorise_signing(account_id, before.front().id, old_password, otp, actor);
    std::vector<custody::SealedKey> after;
    for (const Credential& c : before) {
        auto k = &c == &before.front() ? std::optional<core::SecureBytes>(auth.k_user) : m_custody.unlock(c.key, old_password);
        if (!k) throw Error("accounts.seal_mismatch", 500, "a credential of this account is sealed under another password");
        after.push_back(m_custody.reseal(c.key, *k, new_password));
    }
    m_store.reseal_credentials(before, after, session_hash(session_token),
                               audit::Event{actor, "account.signing_password_changed", "account:" + a->username,
                                            audit::details({{"credentials", std::to_string(before.size())}}),
                                            m_clock.unix_seconds()});
}

void AccountService::change_login_password(const std::string& account_id, const core::SecureString& old_password,
                                           const std::string& otp, const core::SecureString& new_password,
                                           const std::string& actor, const std::string& session_token) {
    auto a = m_store.account_by_id(account_id);
    if (!a) throw Error("accounts.unknown_account", 401, "the account no longer exists");
    if (m_config.accounts.otp_required && a->totp_enrolled_at != 0) {
        if (otp.empty())
            throw Error("accounts.otp_required", 401, "give the current code of your authenticator app to change the login password");
        use_one_time_code(*a, otp, actor);  // the step is used up before the password is tried
    }
    if (!verify_password(old_password, a->login_password_hash))
        throw Error("accounts.authentication_failed", 401, "the current login password is wrong");
    check_password_rules(new_password, a->username, "login password");
    m_store.set_login_password(a->id, hash_password(new_password, m_config.kdf), session_hash(session_token),
                               audit::Event{actor, "account.login_password_changed", "account:" + a->username, "{}",
                                            m_clock.unix_seconds()});
}

std::string AccountService::hash_login_password(const core::SecureString& password) const {
    return hash_password(password, m_config.kdf);
}

void AccountService::reset_sign_in(const std::string& username, const std::string& login_password_hash,
                                   const std::string& actor) {
    auto a = m_store.account_by_username(username);
    if (!a) throw_not_found("accounts.unknown_username", "no account named '" + username + "'");
    if (a->status == "revoked") throw_conflict("accounts.disabled", "the account '" + username + "' is closed");
    m_store.reset_sign_in(a->id, login_password_hash,
                          audit::Event{actor, "account.sign_in_reset", "account:" + username,
                                       audit::details({{"authenticator", "to be enrolled again"}}), m_clock.unix_seconds()});
}

void AccountService::unlock(const std::string& username, const std::string& actor) {
    auto a = m_store.account_by_username(username);
    if (!a) throw_not_found("accounts.unknown_username", "no account named '" + username + "'");
    if (a->status != "locked") throw_conflict("accounts.not_locked", "the account '" + username + "' is not locked");
    m_store.set_status(a->id, "locked", "active",
                       audit::Event{actor, "account.unlocked", "account:" + username, "{}", m_clock.unix_seconds()});
}

PreparedKey AccountService::prepare_rekey(const std::string& username, const core::SecureString& new_signing_password,
                                         const std::string& actor) {
    auto a = m_store.account_by_username(username);
    if (!a) throw_not_found("accounts.unknown_username", "no account named '" + username + "'");
    if (a->status != "active" && a->status != "locked")
        throw_conflict("accounts.disabled", "the account '" + username + "' is suspended or closed");
    check_password_rules(new_signing_password, a->username, "signing password");
    PreparedKey p;
    p.username = username;
    for (const Credential& c : m_store.credentials_of(a->id))
        if (c.status == "active") p.replaced = c;
    if (!p.replaced) throw_conflict("accounts.no_credential", "the account has no active credential to replace");
    auto old_cert = m_ca.find_certificate(p.replaced->certificate_serial);
    if (!old_cert) throw Error("accounts.certificate_missing", 500, "the credential's certificate is not in the CA");
    p.replaced_certificate_valid = old_cert->status == "valid";
    pki::X509Ptr cert = pki::certificate_from_der(old_cert->der);
    // Same subject as before (the username stays the subscriber reference); OU/title come along in the subject.
    p.fresh.id = new_id("cred_");
    p.fresh.account_id = a->id;
    p.fresh.created_at = m_clock.unix_seconds();
    m_store.record_event(audit::Event{actor, "account.signing_key_generating", "account:" + username,
                                      audit::details({{"replaces", p.replaced->id}}), m_clock.unix_seconds()});
    custody::NewKey key = m_custody.create_key(p.fresh.id, p.replaced->key.key_type, new_signing_password);
    p.fresh.key = key.sealed;
    p.certificate = m_ca.sign_for_public_key(key.public_key_der, pki::subject_fields(X509_get_subject_name(cert.get())),
                                             "signer", actor);
    p.fresh.certificate_serial = p.certificate.record.serial;
    return p;
}

void AccountService::install_rekey(const PreparedKey& p, const std::string& actor) {
    m_store.atomically([&] {  // joins the caller's transaction when there is one (the office's request completion)
        m_ca.store_issued(p.certificate, actor);
        m_store.replace_credential(p.replaced->id, p.fresh,
                                   audit::Event{actor, "account.rekeyed", "account:" + p.username,
                                                audit::details({{"old_credential", p.replaced->id},
                                                                {"new_credential", p.fresh.id},
                                                                {"new_certificate", p.fresh.certificate_serial}}),
                                                m_clock.unix_seconds()});
    });
}

void AccountService::finish_rekey(const PreparedKey& p, const std::string& actor) {
    m_ca.presign_status(p.certificate);
    if (p.replaced && p.replaced_certificate_valid)
        m_ca.revoke(p.replaced->certificate_serial, "superseded", std::nullopt, actor);
}

Credential AccountService::rekey(const std::string& username, const core::SecureString& new_signing_password,
                                 const std::string& actor) {
    PreparedKey p = prepare_rekey(username, new_signing_password, actor);
    install_rekey(p, actor);
    finish_rekey(p, actor);
    return p.fresh;
}

std::optional<Account> AccountService::find_account(const std::string& account_id) {
    return m_store.account_by_id(account_id);
}

std::vector<CredentialStatus> AccountService::credential_statuses(const std::string& account_id) {
    std::vector<CredentialStatus> out;
    for (auto& c : m_store.credentials_of(account_id)) {
        CredentialStatus status{std::move(c), std::nullopt, false, 0};
        status.certificate = m_ca.find_certificate(status.credential.certificate_serial);
        if (status.certificate) {
            status.renewal_open = m_ca.renewal_open(*status.certificate);
            status.days_left = m_ca.days_left(status.certificate->not_after);
        }
        out.push_back(std::move(status));
    }
    return out;
}

}  // namespace yq::accounts
