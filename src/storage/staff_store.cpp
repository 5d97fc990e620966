// storage's implementation of ra::StaffStore (part of SqlStore).
#include "core/error.hpp"
#include "storage/audit_append.hpp"
#include "storage/sql/staff_sql.hpp"
#include "storage/sql_store.hpp"

namespace yq::storage {

namespace {
ra::StaffUser staff_from_row(const Row& r) {
    ra::StaffUser u;
    u.username = r.text(0);
    u.password_hash = r.text(1);
    u.roles = r.text(2);
    u.must_change_password = r.integer(3) != 0;
    u.totp_secret_sealed = r.blob(4);
    u.totp_last_step = r.integer(5);
    u.failed_logins = static_cast<int>(r.integer(6));
    u.status = r.text(7);
    u.representative_id = r.text(8);
    u.created_at = r.integer(9);
    u.approval_part_sealed = r.blob(10);
    u.requested_by = r.text(11);
    return u;
}
}  // namespace

std::optional<ra::StaffUser> SqlStore::find_staff(const std::string& username) {
    std::optional<ra::StaffUser> out;
    m_db.with_connection([&](Connection& c) {
        if (auto r = c.query_one(std::string(sql::kStaffColumns) + "WHERE username = $1", {username}))
            out = staff_from_row(*r);
    });
    return out;
}

std::vector<ra::StaffUser> SqlStore::list_staff() {
    std::vector<ra::StaffUser> out;
    m_db.with_connection([&](Connection& c) {
        for (const Row& r : c.query(std::string(sql::kStaffColumns) + "ORDER BY username")) out.push_back(staff_from_row(r));
    });
    return out;
}

void SqlStore::create_staff(const ra::StaffUser& u, const audit::Event& e) {
    m_db.transact([&](Connection& c) {
        Value rep = u.representative_id.empty() ? Value{} : Value{u.representative_id};
        Value totp = u.totp_secret_sealed.empty() ? Value{} : Value{u.totp_secret_sealed};
        Value part = u.approval_part_sealed.empty() ? Value{} : Value{u.approval_part_sealed};
        Value requested_by = u.requested_by.empty() ? Value{} : Value{u.requested_by};
        c.execute(sql::kInsertStaff, {u.username, u.password_hash, u.roles, std::int64_t{u.must_change_password ? 1 : 0},
                                      e.time, totp, rep, part, requested_by});
        append_audit_event(c, e);
    });
}

void SqlStore::set_staff_password(const std::string& username, const std::string& password_hash,
                                  const core::Bytes& keep_token_hash, const audit::Event& e) {
    m_db.transact([&](Connection& c) {
        if (c.execute(sql::kUpdateStaffPassword, {username, password_hash}) != 1)
            throw_not_found("staff.unknown", "no staff user named '" + username + "'");
        c.execute(sql::kRevokeStaffTokensOf, {username, keep_token_hash});
        append_audit_event(c, e);
    });
}

void SqlStore::reset_staff_sign_in(const std::string& username, const std::string& password_hash,
                                   const core::Bytes& approval_part_sealed, const std::string& requested_by,
                                   const audit::Event& e) {
    m_db.transact([&](Connection& c) {
        Value part = approval_part_sealed.empty() ? Value{} : Value{approval_part_sealed};
        Value by = approval_part_sealed.empty() ? Value{} : Value{requested_by};
        if (c.execute(sql::kResetStaffSignIn, {username, password_hash, part, by}) != 1)
            throw_not_found("staff.unknown", "no staff user named '" + username + "'");
        c.execute(sql::kRevokeStaffTokensOf, {username, core::Bytes()});
        append_audit_event(c, e);
    });
}

bool SqlStore::approve_staff_sign_in(const std::string& username, const core::Bytes& approval_part_sealed,
                                     const audit::Event& e) {
    bool ok = false;
    m_db.transact([&](Connection& c) {
        ok = c.execute(sql::kApproveStaffSignIn, {username, approval_part_sealed}) == 1;
        if (ok) append_audit_event(c, e);
    });
    return ok;
}

bool SqlStore::cancel_staff_sign_in(const std::string& username, const audit::Event& e) {
    bool ok = false;
    m_db.transact([&](Connection& c) {
        ok = c.execute(sql::kCancelStaffSignIn, {username}) == 1;
        if (ok) {
            c.execute(sql::kRevokeStaffTokensOf, {username, core::Bytes()});
            append_audit_event(c, e);
        }
    });
    return ok;
}

ra::LoginFailure SqlStore::record_staff_login_failure(const std::string& username, int threshold,
                                                      const audit::Event& e) {
    ra::LoginFailure out;
    m_db.transact([&](Connection& c) {
        auto r = c.query_one(sql::kStaffLoginFailure, {username, std::int64_t{threshold}});
        if (r) {
            out.attempts = static_cast<int>(r->integer(0));
            out.locked = r->text(1) == "locked";
        } else {
            out.locked = true;  // not active: already locked or disabled
        }
        append_audit_event(c, e);
    });
    return out;
}

bool SqlStore::accept_staff_login(const std::string& username, std::int64_t totp_step) {
    bool ok = false;
    m_db.transact([&](Connection& c) { ok = c.execute(sql::kStaffLoginSuccess, {username, totp_step}) == 1; });
    return ok;
}

bool SqlStore::accept_staff_first_sign_in(const std::string& username) {
    bool ok = false;
    m_db.transact([&](Connection& c) { ok = c.execute(sql::kStaffFirstSignIn, {username}) == 1; });
    return ok;
}

bool SqlStore::enrol_staff_totp(const std::string& username, const core::Bytes& totp_secret_sealed, std::int64_t step,
                                const audit::Event& e) {
    bool ok = false;
    m_db.transact([&](Connection& c) {
        ok = c.execute(sql::kEnrolStaffTotp, {username, totp_secret_sealed, step}) == 1;
        if (ok) append_audit_event(c, e);
    });
    return ok;
}

void SqlStore::put_staff_token(const core::Bytes& token_hash, const std::string& username, std::int64_t expires_at,
                               const audit::Event& e) {
    m_db.transact([&](Connection& c) {
        c.execute(sql::kPurgeStaffTokens, {e.time});
        c.execute(sql::kInsertStaffToken, {token_hash, username, expires_at});
        append_audit_event(c, e);
    });
}

std::optional<std::string> SqlStore::staff_token_user(const core::Bytes& token_hash, std::int64_t now) {
    std::optional<std::string> out;
    m_db.with_connection([&](Connection& c) {
        if (auto r = c.query_one(sql::kSelectStaffToken, {token_hash, now})) out = r->text(0);
    });
    return out;
}

void SqlStore::revoke_staff_token(const core::Bytes& token_hash, const audit::Event& e) {
    m_db.transact([&](Connection& c) {
        if (c.execute(sql::kRevokeStaffToken, {token_hash}) == 1) append_audit_event(c, e);
    });
}

}  // namespace yq::storage
