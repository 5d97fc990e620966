#pragma once
namespace yq::storage::sql {

// The UPDATE takes the row lock (PostgreSQL) that serialises appenders; SQLite already holds the write lock.
// PostgreSQL: the first statement of every transaction (migrations.cpp), so all nodes take the head row in one order.
inline constexpr const char* kLockAuditHeadFirst = "SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE";
inline constexpr const char* kLockAuditHead = "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash";
inline constexpr const char* kSetAuditHeadHash = "UPDATE audit_head SET hash = $1 WHERE id = 1";
inline constexpr const char* kInsertAuditEvent =
    "INSERT INTO audit_events (seq, time, actor, action, object, details, prev_hash, hash) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
inline constexpr const char* kSelectAuditEvents =
    "SELECT seq, time, actor, action, object, details, prev_hash, hash FROM audit_events ORDER BY seq";
inline constexpr const char* kSelectAuditHeadEvent =
    "SELECT seq, time, actor, action, object, details, prev_hash, hash FROM audit_events ORDER BY seq DESC LIMIT 1";
inline constexpr const char* kSelectAuditHeadRow = "SELECT seq FROM audit_head WHERE id = 1";
inline constexpr const char* kInsertHeadSignature =
    "INSERT INTO audit_head_signatures (seq, hash, signature, signed_at) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (seq) DO NOTHING";
inline constexpr const char* kSelectHeadSignatures =
    "SELECT seq, hash, signature, signed_at FROM audit_head_signatures ORDER BY seq";

}  // namespace yq::storage::sql
