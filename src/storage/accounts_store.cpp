// storage's implementation of accounts::AccountStore and signing::SessionStore (part of SqlStore).
#include "core/error.hpp"
#include "storage/audit_append.hpp"
#include "storage/sql/accounts_sql.hpp"
#include "storage/sql_store.hpp"

namespace yq::storage {

namespace {

accounts::Account account_from_row(const Row& r) {
    accounts::Account a;
    a.id = r.text(0);
    a.username = r.text(1);
    a.display_name = r.text(2);
    a.agency = r.text(3);
    a.email = r.text(4);
    a.status = r.text(5);
    a.login_password_hash = r.text(6);
    a.totp_secret_sealed = r.blob(7);
    a.totp_last_step = r.integer(8);
    a.failed_attempts = static_cast<int>(r.integer(9));
    a.created_at = r.integer(10);
    a.awaiting_signing_key = r.integer(11) != 0;
    a.totp_enrolled_at = r.integer(12);
    a.department = r.text(13);
    a.title = r.text(14);
    a.key_type = r.text(15);
    a.signing_notices = r.text(16);
    return a;
}

accounts::Credential credential_from_row(const Row& r) {
    accounts::Credential c;
    c.id = r.text(0);
    c.account_id = r.text(1);
    c.key.credential_id = c.id;
    c.key.key_type = keystore::parse_key_type(r.text(2));
    c.status = r.text(3);
    c.certificate_serial = r.text(4);
    c.key.sealed = r.blob(5);
    c.key.salt = r.blob(6);
    c.key.kdf_params = r.text(7);
    c.key.seal_version = static_cast<int>(r.integer(8));
    c.created_at = r.integer(9);
    return c;
}

std::vector<Value> credential_values(const accounts::Credential& c) {
    return {c.id, c.account_id, keystore::key_type_name(c.key.key_type), c.status, c.certificate_serial,
            c.key.sealed, c.key.salt, c.key.kdf_params, std::int64_t{c.key.seal_version}, c.created_at};
}

signing::SadRecord sad_from_row(const Row& r) {
    signing::SadRecord s;
    s.id = r.text(0);
    s.credential_id = r.text(1);
    s.account_id = r.text(2);
    s.remaining = static_cast<int>(r.integer(3));
    s.expires_at = r.integer(4);
    s.authorised_until = r.integer(5);
    s.hash_alg = r.text(6);
    s.hashes = r.blob(7);
    s.signed_mask = r.blob(8);
    s.row_share = r.blob(9);
    s.sealed_key = r.blob(10);
    s.version = r.integer(11);
    return s;
}

std::vector<Value> sad_values(const signing::SadRecord& s) {
    return {s.id,       s.credential_id, s.account_id,  std::int64_t{s.remaining}, s.expires_at, s.authorised_until,
            s.hash_alg, s.hashes,        s.signed_mask, s.row_share,               s.sealed_key, s.version};
}

}  // namespace

void SqlStore::create_account(const accounts::Account& a, const std::optional<accounts::Credential>& c,
                              const audit::Event& e) {
    m_db.transact([&](Connection& conn) {
        conn.execute(sql::kInsertAccount,
                     {a.id, a.username, a.display_name, a.agency, a.email, a.status, a.login_password_hash,
                      a.totp_secret_sealed, a.created_at, std::int64_t{a.awaiting_signing_key ? 1 : 0}, a.totp_enrolled_at,
                      a.department, a.title, a.key_type});
        if (c) conn.execute(sql::kInsertCredential, credential_values(*c));
        append_audit_event(conn, e);
    });
}

void SqlStore::add_first_credential(const accounts::Credential& c, const std::vector<std::string>& replaced_ids,
                                    const audit::Event& e) {
    m_db.transact([&](Connection& conn) {
        if (conn.execute(sql::kTakeFirstKeyFlag, {c.account_id}) != 1)
            throw_conflict("accounts.signing_key_exists",
                           "the signing key of this account already exists; change the signing password instead");
        for (const auto& id : replaced_ids) conn.execute(sql::kDisableCredential, {id});
        conn.execute(sql::kInsertCredential, credential_values(c));
        append_audit_event(conn, e);
    });
}

std::optional<accounts::Account> SqlStore::account_by_username(const std::string& username) {
    std::optional<accounts::Account> out;
    m_db.with_connection([&](Connection& c) {
        if (auto r = c.query_one(std::string(sql::kAccountColumns) + "WHERE username = $1", {username}))
            out = account_from_row(*r);
    });
    return out;
}

std::optional<accounts::Account> SqlStore::account_by_id(const std::string& id) {
    std::optional<accounts::Account> out;
    m_db.with_connection([&](Connection& c) {
        if (auto r = c.query_one(std::string(sql::kAccountColumns) + "WHERE id = $1", {id})) out = account_from_row(*r);
    });
    return out;
}

std::vector<accounts::Credential> SqlStore::credentials_of(const std::string& account_id) {
    std::vector<accounts::Credential> out;
    m_db.with_connection([&](Connection& c) {
        for (const Row& r : c.query(std::string(sql::kCredentialColumns) + "WHERE account_id = $1 ORDER BY created_at, id",
                                    {account_id}))
            out.push_back(credential_from_row(r));
    });
    return out;
}

std::optional<accounts::Credential> SqlStore::credential(const std::string& id) {
    std::optional<accounts::Credential> out;
    m_db.with_connection([&](Connection& c) {
        if (auto r = c.query_one(std::string(sql::kCredentialColumns) + "WHERE id = $1", {id})) out = credential_from_row(*r);
    });
    return out;
}

accounts::FailureResult SqlStore::record_signing_failure(const std::string& account_id, int threshold,
                                                         const audit::Event& e, const audit::Event& locked) {
    accounts::FailureResult out;
    m_db.transact([&](Connection& c) {
        auto r = c.query_one(sql::kRecordFailure, {account_id, std::int64_t{threshold}});
        if (!r) {  // not active: already locked (or suspended) — nothing counted
            out.locked = true;
            return;
        }
        out.attempts = static_cast<int>(r->integer(0));
        out.locked = r->text(1) == "locked";
        append_audit_event(c, e);
        if (out.locked) append_audit_event(c, locked);
    });
    return out;
}

void SqlStore::set_signing_notices(const std::string& account_id, const std::string& mode, const audit::Event& e) {
    m_db.transact([&](Connection& c) {
        if (c.execute(sql::kSetSigningNotices, {account_id, mode}) != 1)
            throw Error("accounts.unknown_account", 404, "the account no longer exists");
        append_audit_event(c, e);
    });
}

std::vector<accounts::ExpiringCredential> SqlStore::credentials_expiring(std::int64_t from, std::int64_t to) {
    std::vector<accounts::ExpiringCredential> out;
    m_db.with_connection([&](Connection& c) {
        for (const Row& r : c.query(sql::kCredentialsExpiring, {from, to}))
            out.push_back(accounts::ExpiringCredential{r.text(0), r.text(1), r.text(2), r.text(3), r.integer(4)});
    });
    return out;
}

bool SqlStore::record_signing_success(const std::string& account_id) {
    bool ok = false;
    m_db.transact([&](Connection& c) { ok = c.execute(sql::kRecordSuccess, {account_id}) == 1; });
    return ok;
}

void SqlStore::enrol_totp(const std::string& account_id, const core::Bytes& sealed_secret, std::int64_t enrolled_at,
                          std::int64_t step, const audit::Event& e) {
    m_db.transact([&](Connection& c) {
        if (c.execute(sql::kEnrolTotp, {account_id, sealed_secret, enrolled_at, step}) != 1)
            throw_conflict("accounts.totp_already_enrolled", "an authenticator is already enrolled for this account");
        append_audit_event(c, e);
    });
}

bool SqlStore::accept_totp_step(const std::string& account_id, std::int64_t step) {
    bool ok = false;
    m_db.transact([&](Connection& c) { ok = c.execute(sql::kAcceptTotpStep, {account_id, step}) == 1; });
    return ok;
}

void SqlStore::set_status(const std::string& account_id, const std::string& expected, const std::string& status,
                          const audit::Event& e) {
    m_db.transact([&](Connection& c) {
        if (c.execute(sql::kSetStatus, {account_id, expected, status}) != 1)
            throw_conflict("accounts.status_changed", "the account is no longer " + expected);
        append_audit_event(c, e);
    });
}

void SqlStore::set_login_password(const std::string& account_id, const std::string& hash,
                                  const core::Bytes& keep_token_hash, const audit::Event& e) {
    m_db.transact([&](Connection& c) {
        if (c.execute(sql::kSetLoginPassword, {account_id, hash}) != 1)
            throw_not_found("accounts.unknown_account", "the account no longer exists");
        c.execute(sql::kRevokeAccountTokens, {account_id, keep_token_hash});
        append_audit_event(c, e);
    });
}

void SqlStore::reset_sign_in(const std::string& account_id, const std::string& login_password_hash,
                             const audit::Event& e) {
    m_db.transact([&](Connection& c) {
        if (c.execute(sql::kResetSignIn, {account_id, login_password_hash}) != 1)
            throw_not_found("accounts.unknown_account", "the account no longer exists");
        c.execute(sql::kRevokeAccountTokens, {account_id, core::Bytes()});
        append_audit_event(c, e);
    });
}

void SqlStore::reseal_credentials(const std::vector<accounts::Credential>& before,
                                  const std::vector<custody::SealedKey>& after, const core::Bytes& keep_token_hash,
                                  const audit::Event& e) {
    m_db.transact([&](Connection& c) {
        for (std::size_t i = 0; i < before.size(); ++i) {
            const custody::SealedKey& k = after.at(i);
            if (c.execute(sql::kReseal, {before[i].id, k.sealed, k.salt, k.kdf_params, std::int64_t{k.seal_version},
                                         before[i].key.sealed}) != 1)
                throw_conflict("accounts.concurrent_change",
                               "the signing password was changed at the same time; nothing was changed, try again");
        }
        if (!before.empty()) c.execute(sql::kRevokeAccountTokens, {before.front().account_id, keep_token_hash});
        append_audit_event(c, e);
    });
}

void SqlStore::replace_credential(const std::string& old_credential_id, const accounts::Credential& replacement,
                                  const audit::Event& e) {
    m_db.transact([&](Connection& c) {
        if (c.execute(sql::kDisableCredential, {old_credential_id}) != 1)
            throw_conflict("accounts.concurrent_change", "the credential was already replaced");
        c.execute(sql::kInsertCredential, credential_values(replacement));
        c.execute(sql::kReactivateAccount, {replacement.account_id});
        c.execute(sql::kSigningKeyMade, {replacement.account_id});
        append_audit_event(c, e);
    });
}

void SqlStore::put_token(const core::Bytes& token_hash, const std::string& account_id, std::int64_t expires_at,
                         bool second_factor, const audit::Event& e) {
    m_db.transact([&](Connection& c) {
        c.execute(sql::kDeleteExpiredTokens, {e.time - 86400});  // housekeeping: tokens dead for a day
        c.execute(sql::kInsertToken, {token_hash, account_id, expires_at, std::int64_t{second_factor ? 1 : 0}});
        append_audit_event(c, e);
    });
}

std::optional<signing::TokenSession> SqlStore::token_session(const core::Bytes& token_hash, std::int64_t now) {
    std::optional<signing::TokenSession> out;
    m_db.with_connection([&](Connection& c) {
        if (auto r = c.query_one(sql::kSelectToken, {token_hash, now})) out = signing::TokenSession{r->text(0), r->integer(1) != 0};
    });
    return out;
}

void SqlStore::confirm_second_factor(const core::Bytes& token_hash, const audit::Event& e) {
    m_db.transact([&](Connection& c) {
        if (c.execute(sql::kConfirmTokenSecondFactor, {token_hash}) == 1) append_audit_event(c, e);
    });
}

void SqlStore::revoke_token(const core::Bytes& token_hash, const audit::Event& e) {
    m_db.transact([&](Connection& c) {
        if (c.execute(sql::kRevokeToken, {token_hash}) == 1) append_audit_event(c, e);
    });
}

void SqlStore::put_sad(const signing::SadRecord& s, const audit::Event& e) {
    m_db.transact([&](Connection& c) {
        c.execute(sql::kDeleteExpiredSads, {e.time});  // a dead SAD's row (its key share) does not outlive it
        c.execute(sql::kInsertSad, sad_values(s));
        append_audit_event(c, e);
    });
}

std::optional<signing::SadRecord> SqlStore::sad(const std::string& id, std::int64_t now) {
    std::optional<signing::SadRecord> out;
    bool expired = false;
    m_db.with_connection([&](Connection& c) {
        if (auto r = c.query_one(sql::kSelectSad, {id})) {
            out = sad_from_row(*r);
            if (out->expires_at <= now) {
                expired = true;
                out.reset();
            }
        }
    });
    if (expired) m_db.transact([&](Connection& c) { c.execute(sql::kDeleteSad, {id}); });
    return out;
}

bool SqlStore::update_sad(const signing::SadRecord& next, std::int64_t now, const audit::Event& e) {
    bool ok = false;
    m_db.transact([&](Connection& c) {
        ok = c.execute(sql::kUpdateSad, {next.id, std::int64_t{next.remaining}, next.signed_mask, next.version, now}) == 1;
        if (ok) append_audit_event(c, e);
    });
    return ok;
}

bool SqlStore::delete_sad(const std::string& id, std::int64_t version, std::int64_t now, const audit::Event& e) {
    bool ok = false;
    m_db.transact([&](Connection& c) {
        ok = c.execute(sql::kDeleteLiveSad, {id, version, now}) == 1;
        if (ok) append_audit_event(c, e);
    });
    return ok;
}

bool SqlStore::replace_sad(const std::string& old_id, std::int64_t old_version, const signing::SadRecord& s,
                           std::int64_t now, const audit::Event& e) {
    bool ok = false;
    m_db.transact([&](Connection& c) {
        ok = c.execute(sql::kDeleteLiveSad, {old_id, old_version, now}) == 1;
        if (!ok) return;
        c.execute(sql::kInsertSad, sad_values(s));
        append_audit_event(c, e);
    });
    return ok;
}

int SqlStore::delete_expired_sads(std::int64_t now) {
    std::int64_t n = 0;
    m_db.transact([&](Connection& c) { n = c.execute(sql::kDeleteExpiredSads, {now}); });
    return static_cast<int>(n);
}

}  // namespace yq::storage
