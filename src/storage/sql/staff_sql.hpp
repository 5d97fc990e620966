#pragma once
namespace yq::storage::sql {

inline constexpr const char* kStaffColumns =
    "SELECT username, password_hash, roles, must_change_password, totp_secret_sealed, totp_last_step, failed_logins, "
    "status, representative_id, created_at, approval_part_sealed, requested_by FROM staff_users ";
inline constexpr const char* kInsertStaff =
    "INSERT INTO staff_users (username, password_hash, roles, must_change_password, created_at, totp_secret_sealed, "
    "representative_id, approval_part_sealed, requested_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
// The person's own change of password (from a session, so the sign-in is active).
inline constexpr const char* kUpdateStaffPassword =
    "UPDATE staff_users SET password_hash = $2, must_change_password = 0, failed_logins = 0 WHERE username = $1";
// A reset: new one-time password, the authenticator forgotten, failures and a lock cleared; a decision role's reset
// waits for a second administrator ($3: the sealed second part, NULL when none is needed).
inline constexpr const char* kResetStaffSignIn =
    "UPDATE staff_users SET password_hash = $2, must_change_password = 1, failed_logins = 0, status = 'active', "
    "totp_secret_sealed = NULL, totp_last_step = 0, approval_part_sealed = $3, requested_by = $4 WHERE username = $1";
// #14: approval takes exactly the request that was read (a reset in between makes a new request to approve).
inline constexpr const char* kApproveStaffSignIn =
    "UPDATE staff_users SET approval_part_sealed = NULL, requested_by = NULL "
    "WHERE username = $1 AND approval_part_sealed = $2";
inline constexpr const char* kCancelStaffSignIn =
    "UPDATE staff_users SET approval_part_sealed = NULL, requested_by = NULL, status = 'disabled' "
    "WHERE username = $1 AND approval_part_sealed IS NOT NULL";
// The threshold-th failure locks; never counts past the lock (same pattern as signer lockout).
inline constexpr const char* kStaffLoginFailure =
    "UPDATE staff_users SET failed_logins = failed_logins + 1, "
    "status = CASE WHEN failed_logins + 1 >= $2 THEN 'locked' ELSE status END "
    "WHERE username = $1 AND status = 'active' RETURNING failed_logins, status";
inline constexpr const char* kStaffLoginSuccess =
    "UPDATE staff_users SET totp_last_step = $2, failed_logins = 0 "
    "WHERE username = $1 AND status = 'active' AND approval_part_sealed IS NULL AND totp_last_step < $2";
// #14: a fresh or reset sign-in (one-time password, no authenticator) signs in to enrol one.
inline constexpr const char* kStaffFirstSignIn =
    "UPDATE staff_users SET failed_logins = 0 WHERE username = $1 AND status = 'active' "
    "AND approval_part_sealed IS NULL AND totp_secret_sealed IS NULL AND must_change_password = 1";
inline constexpr const char* kEnrolStaffTotp =
    "UPDATE staff_users SET totp_secret_sealed = $2, totp_last_step = $3 WHERE username = $1 AND totp_secret_sealed IS NULL";
inline constexpr const char* kInsertStaffToken =
    "INSERT INTO staff_tokens (token_hash, username, expires_at, revoked) VALUES ($1, $2, $3, 0)";
inline constexpr const char* kSelectStaffToken =
    "SELECT username FROM staff_tokens WHERE token_hash = $1 AND revoked = 0 AND expires_at > $2";
inline constexpr const char* kRevokeStaffToken = "UPDATE staff_tokens SET revoked = 1 WHERE token_hash = $1";
inline constexpr const char* kRevokeStaffTokensOf =
    "UPDATE staff_tokens SET revoked = 1 WHERE username = $1 AND revoked = 0 AND token_hash <> $2";
inline constexpr const char* kPurgeStaffTokens = "DELETE FROM staff_tokens WHERE expires_at < $1";

}  // namespace yq::storage::sql
