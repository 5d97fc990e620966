#pragma once
// Named SQL for the CA repository (userver style). $n placeholders work on SQLite and PostgreSQL.
namespace yq::storage::sql {

inline constexpr const char* kUpsertCaMaterial =
    "INSERT INTO ca_material (name, certificate, key_label, created_at) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (name) DO UPDATE SET certificate = excluded.certificate, key_label = excluded.key_label";
inline constexpr const char* kSelectCaMaterial = "SELECT name, certificate, key_label FROM ca_material WHERE name = $1";

inline constexpr const char* kInsertCertificate =
    "INSERT INTO certificates (serial, profile, subject, not_before, not_after, der, status, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, 'valid', $7)";
inline constexpr const char* kSelectCertificate =
    "SELECT serial, profile, subject, not_before, not_after, der, status, revoked_at, reason, invalidity_date "
    "FROM certificates WHERE serial = $1";
inline constexpr const char* kListCertificates =
    "SELECT serial, profile, subject, not_before, not_after, der, status, revoked_at, reason, invalidity_date "
    "FROM certificates ORDER BY created_at, serial LIMIT $1 OFFSET $2";
// Only what a CRL entry needs (RFC 5280 §5.3), so a million-entry CRL reads little.
inline constexpr const char* kListCrlEntries =
    "SELECT serial, revoked_at, reason, invalidity_date FROM certificates WHERE status = 'revoked'";
inline constexpr const char* kRevokeCertificate =
    "UPDATE certificates SET status = 'revoked', revoked_at = $2, reason = $3, invalidity_date = $4 "
    "WHERE serial = $1 AND status = 'valid'";

inline constexpr const char* kNextCounter = "UPDATE counters SET value = value + 1 WHERE name = $1 RETURNING value";
inline constexpr const char* kRaiseTsaLatestTime =
    "UPDATE counters SET value = CASE WHEN value > $1 THEN value ELSE $1 END WHERE name = 'tsa_latest_time_ms' "
    "RETURNING value";
inline constexpr const char* kReadCounter = "SELECT value FROM counters WHERE name = $1";

inline constexpr const char* kInsertCrl = "INSERT INTO crls (number, this_update, next_update, der) VALUES ($1, $2, $3, $4)";
inline constexpr const char* kLatestCrl =
    "SELECT number, this_update, next_update, der FROM crls ORDER BY number DESC LIMIT 1";

inline constexpr const char* kUpsertOcsp =
    "INSERT INTO ocsp_responses (serial, this_update, next_update, der) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (serial) DO UPDATE SET this_update = excluded.this_update, next_update = excluded.next_update, "
    "der = excluded.der";
// #14: takes the certificate row's lock (PostgreSQL) or the writer (SQLite) and holds only while the certificate
// still has the status a pre-signed answer states: a revocation either commits before (the answer is refused) or
// after (its DELETE drops the answer), never between.
inline constexpr const char* kHoldCertificateStatus =
    "UPDATE certificates SET status = status WHERE serial = $1 AND status = $2";
inline constexpr const char* kDeleteOcsp = "DELETE FROM ocsp_responses WHERE serial = $1";
inline constexpr const char* kSelectOcsp = "SELECT serial, this_update, next_update, der FROM ocsp_responses WHERE serial = $1";

}  // namespace yq::storage::sql
