#pragma once
namespace yq::storage::sql {

inline constexpr const char* kInsertAccount =
    "INSERT INTO accounts (id, username, display_name, agency, email, status, login_password_hash, totp_secret_sealed, "
    "totp_last_step, failed_attempts, created_at, awaiting_signing_key, totp_enrolled_at, department, title, key_type) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, 0, $9, $10, $11, $12, $13, $14)";
inline constexpr const char* kAccountColumns =
    "SELECT id, username, display_name, agency, email, status, login_password_hash, totp_secret_sealed, totp_last_step, "
    "failed_attempts, created_at, awaiting_signing_key, totp_enrolled_at, department, title, key_type, signing_notices "
    "FROM accounts ";
// RFC 6238 enrolment: the secret the owner proved with a code, only while none is enrolled.
inline constexpr const char* kEnrolTotp =
    "UPDATE accounts SET totp_secret_sealed = $2, totp_enrolled_at = $3, totp_last_step = $4 "
    "WHERE id = $1 AND totp_enrolled_at = 0";
inline constexpr const char* kInsertCredential =
    "INSERT INTO credentials (id, account_id, key_type, status, certificate_serial, sealed_key, kdf_salt, kdf_params, "
    "seal_version, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
inline constexpr const char* kCredentialColumns =
    "SELECT id, account_id, key_type, status, certificate_serial, sealed_key, kdf_salt, kdf_params, seal_version, "
    "created_at FROM credentials ";
// Counts a failure only while active; the threshold-th one locks (so exactly N, whatever the concurrency).
inline constexpr const char* kRecordFailure =
    "UPDATE accounts SET failed_attempts = failed_attempts + 1, "
    "status = CASE WHEN failed_attempts + 1 >= $2 THEN 'locked' ELSE status END "
    "WHERE id = $1 AND status = 'active' RETURNING failed_attempts, status";
inline constexpr const char* kRecordSuccess =
    "UPDATE accounts SET failed_attempts = 0 WHERE id = $1 AND status = 'active'";
inline constexpr const char* kAcceptTotpStep =
    "UPDATE accounts SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2";
inline constexpr const char* kSetStatus =
    "UPDATE accounts SET status = $3, failed_attempts = 0 WHERE id = $1 AND status = $2";
inline constexpr const char* kSetLoginPassword = "UPDATE accounts SET login_password_hash = $2 WHERE id = $1";
// Recovery: the authenticator is forgotten too (re-enrolment at the next sign-in); the step counter starts again.
inline constexpr const char* kResetSignIn =
    "UPDATE accounts SET login_password_hash = $2, totp_enrolled_at = 0, totp_last_step = 0 WHERE id = $1";
inline constexpr const char* kReseal =
    "UPDATE credentials SET sealed_key = $2, kdf_salt = $3, kdf_params = $4, seal_version = $5 "
    "WHERE id = $1 AND sealed_key = $6 AND status = 'active'";
// The owner's first signing key is in place (made under the signing password they chose, or a re-key replaced it).
inline constexpr const char* kSigningKeyMade = "UPDATE accounts SET awaiting_signing_key = 0 WHERE id = $1";
// #14: only the first of two concurrent first-key requests takes the flag; the other's key is discarded.
inline constexpr const char* kTakeFirstKeyFlag =
    "UPDATE accounts SET awaiting_signing_key = 0 WHERE id = $1 AND awaiting_signing_key = 1 AND status = 'active'";
inline constexpr const char* kDisableCredential =
    "UPDATE credentials SET status = 'disabled' WHERE id = $1 AND status = 'active'";
inline constexpr const char* kReactivateAccount =
    "UPDATE accounts SET status = 'active', failed_attempts = 0 WHERE id = $1 AND status IN ('active', 'locked')";

inline constexpr const char* kInsertToken =
    "INSERT INTO access_tokens (token_hash, account_id, expires_at, revoked, second_factor) VALUES ($1, $2, $3, 0, $4)";
inline constexpr const char* kSelectToken =
    "SELECT account_id, second_factor FROM access_tokens WHERE token_hash = $1 AND revoked = 0 AND expires_at > $2";
// #14: the owner proved the code on this session (the portal's enrolment of a first authenticator).
inline constexpr const char* kConfirmTokenSecondFactor =
    "UPDATE access_tokens SET second_factor = 1 WHERE token_hash = $1 AND revoked = 0";
inline constexpr const char* kRevokeToken =
    "UPDATE access_tokens SET revoked = 1 WHERE token_hash = $1 AND revoked = 0";
// #14: a password change ends every other session of the account (the one that made the change may stay).
inline constexpr const char* kRevokeAccountTokens =
    "UPDATE access_tokens SET revoked = 1 WHERE account_id = $1 AND revoked = 0 AND token_hash <> $2";
inline constexpr const char* kDeleteExpiredTokens = "DELETE FROM access_tokens WHERE expires_at < $1";

inline constexpr const char* kSadColumns =
    "id, credential_id, account_id, remaining, expires_at, authorised_until, hash_alg, hashes, signed_mask, row_share, "
    "sealed_key, version";
inline constexpr const char* kInsertSad =
    "INSERT INTO sads (id, credential_id, account_id, remaining, expires_at, authorised_until, hash_alg, hashes, "
    "signed_mask, row_share, sealed_key, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
inline constexpr const char* kSelectSad =
    "SELECT id, credential_id, account_id, remaining, expires_at, authorised_until, hash_alg, hashes, signed_mask, "
    "row_share, sealed_key, version FROM sads WHERE id = $1";
// Compare-and-swap on version: a concurrent change (another signHash, an extendTransaction) makes it match nothing.
inline constexpr const char* kUpdateSad =
    "UPDATE sads SET remaining = $2, signed_mask = $3, version = version + 1 "
    "WHERE id = $1 AND version = $4 AND expires_at > $5 AND remaining > $2";
inline constexpr const char* kDeleteLiveSad = "DELETE FROM sads WHERE id = $1 AND version = $2 AND expires_at > $3";
inline constexpr const char* kDeleteSad = "DELETE FROM sads WHERE id = $1";
inline constexpr const char* kDeleteExpiredSads = "DELETE FROM sads WHERE expires_at <= $1";

// #16: how the owner is told of signings with their key
inline constexpr const char* kSetSigningNotices = "UPDATE accounts SET signing_notices = $2 WHERE id = $1";
// #16: the active credentials of active accounts whose certificate expires in [from, to) (expiry warnings)
inline constexpr const char* kCredentialsExpiring =
    "SELECT a.id, a.username, cr.id, c.serial, c.not_after FROM credentials cr "
    "JOIN accounts a ON a.id = cr.account_id JOIN certificates c ON c.serial = cr.certificate_serial "
    "WHERE cr.status = 'active' AND a.status IN ('active', 'locked') AND c.status = 'valid' "
    "AND c.not_after >= $1 AND c.not_after < $2 ORDER BY c.not_after";

}  // namespace yq::storage::sql
