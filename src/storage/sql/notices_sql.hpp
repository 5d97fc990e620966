#pragma once
// Named SQL for the notice outbox (#16). $n placeholders work on SQLite and PostgreSQL.
namespace yq::storage::sql {

// A dedupe key already queued makes the insert a no-op (two nodes sweeping expiry warnings at once queue one).
inline constexpr const char* kInsertNotice =
    "INSERT INTO notices (kind, audience, params, group_key, dedupe_key, created_at, not_before) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dedupe_key) DO NOTHING";
inline constexpr const char* kNoticeQueuedOnce = "SELECT 1 FROM notices WHERE dedupe_key = $1";

// The claim is a compare-and-set on the lease: the outer conditions are evaluated again on the row a concurrent claim
// may just have leased (PostgreSQL re-checks them after waiting for the row lock), so two nodes never hold one row.
inline constexpr const char* kClaimDueNotices =
    "UPDATE notices SET claim_token = $1, claimed_until = $2 "
    "WHERE status = 'queued' AND not_before <= $3 AND claimed_until <= $3 AND id IN ("
    "SELECT id FROM notices WHERE status = 'queued' AND not_before <= $3 AND claimed_until <= $3 ORDER BY id LIMIT $4)";
// The rest of a claimed row's group (a digest leaves whole), whatever their own time: once one row of a digest is due,
// the digest is.
inline constexpr const char* kClaimGroupMates =
    "UPDATE notices SET claim_token = $1, claimed_until = $2 "
    "WHERE status = 'queued' AND claimed_until <= $3 AND group_key <> '' AND group_key IN ("
    "SELECT group_key FROM notices WHERE claim_token = $1 AND status = 'queued')";
inline constexpr const char* kSelectClaimed =
    "SELECT id, kind, audience, params, group_key, created_at, attempts FROM notices "
    "WHERE claim_token = $1 AND status = 'queued' ORDER BY id";

inline constexpr const char* kMarkNoticeSent =
    "UPDATE notices SET status = 'sent', sent_at = $3, attempts = attempts + 1, last_error = '', claimed_until = 0 "
    "WHERE id = $1 AND claim_token = $2 AND status = 'queued'";
inline constexpr const char* kMarkNoticeFailed =
    "UPDATE notices SET status = $3, attempts = attempts + 1, last_error = $4, not_before = $5, claimed_until = 0 "
    "WHERE id = $1 AND claim_token = $2 AND status = 'queued'";

inline constexpr const char* kReleaseClaim =
    "UPDATE notices SET claimed_until = 0 WHERE claim_token = $1 AND status = 'queued'";
inline constexpr const char* kRecentNotices =
    "SELECT id, kind, audience, status, attempts, last_error, created_at, not_before, sent_at FROM notices "
    "ORDER BY id DESC LIMIT $1";
inline constexpr const char* kCountNotices = "SELECT status, COUNT(*) FROM notices GROUP BY status";

}  // namespace yq::storage::sql
