#pragma once
namespace yq::storage::sql {

inline constexpr const char* kRecordColumns =
    "SELECT id, kind, agency_id, status, version, data, created_at, updated_at FROM ra_records ";
inline constexpr const char* kInsertRecord =
    "INSERT INTO ra_records (id, kind, agency_id, status, version, data, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
// Optimistic concurrency: only the writer that read version $5 wins (PostgreSQL re-checks the WHERE after the row lock).
inline constexpr const char* kUpdateRecord =
    "UPDATE ra_records SET status = $2, version = $3, data = $4, updated_at = $6 WHERE id = $1 AND version = $5";
inline constexpr const char* kClaimUniqueKey =
    "INSERT INTO ra_unique_keys (key, record_id) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING";
inline constexpr const char* kReleaseUniqueKey = "DELETE FROM ra_unique_keys WHERE key = $1 AND record_id = $2";
inline constexpr const char* kUniqueKeyOwner = "SELECT record_id FROM ra_unique_keys WHERE key = $1";
inline constexpr const char* kIndexIdentity =
    "INSERT INTO ra_identity_index (mac, record_id) VALUES ($1, $2) ON CONFLICT (mac, record_id) DO NOTHING";
inline constexpr const char* kRecordsWithIdentity =
    "SELECT r.id, r.kind, r.agency_id, r.status, r.version, r.data, r.created_at, r.updated_at "
    "FROM ra_records r JOIN ra_identity_index i ON i.record_id = r.id WHERE i.mac = $1 ORDER BY r.created_at DESC";
inline constexpr const char* kInsertDocument =
    "INSERT INTO documents (sha256, media_type, size, content, created_at) VALUES ($1, $2, $3, $4, $5) "
    "ON CONFLICT (sha256) DO NOTHING";
inline constexpr const char* kSelectDocument = "SELECT sha256, media_type, size, content FROM documents WHERE sha256 = $1";
inline constexpr const char* kInsertAttachment =
    "INSERT INTO ra_attachments (record_id, doc_type, sha256, attached_by, attached_at) VALUES ($1, $2, $3, $4, $5) "
    "ON CONFLICT (record_id, doc_type, sha256) DO NOTHING";
inline constexpr const char* kSelectAttachments =
    "SELECT doc_type, sha256, attached_by, attached_at FROM ra_attachments WHERE record_id = $1 "
    "ORDER BY attached_at, doc_type";

}  // namespace yq::storage::sql
