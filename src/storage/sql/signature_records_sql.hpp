#pragma once
// Named SQL for the public signature records (#16). $n placeholders work on SQLite and PostgreSQL.
namespace yq::storage::sql {

inline constexpr const char* kInsertSignatureRecord =
    "INSERT INTO signature_records (reference, account_id, credential_id, certificate_serial, signed_digest, level, "
    "signed_at, log_index) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
inline constexpr const char* kSelectSignatureRecord =
    "SELECT reference, account_id, credential_id, certificate_serial, signed_digest, level, signed_at, log_index "
    "FROM signature_records WHERE reference = $1";

}  // namespace yq::storage::sql
