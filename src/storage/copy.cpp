#include "storage/copy.hpp"

#include <vector>

#include "core/error.hpp"
#include "storage/migrations.hpp"

namespace yq::storage {

namespace {

struct Table {
    const char* name;
    const char* columns;  // in this order on both sides
    int column_count;
    const char* order_by;
};

// Parents before children (ocsp_responses and credentials reference certificates; RA attachments reference records
// and documents). Sessions (access tokens, SADs, staff tokens) are short-lived and not copied: people sign in again
// after the move. Seed rows the migrations insert (counters, audit_head, transparency_tree) are replaced. A test compares this list with the
// migrated schema, so a table or column added later cannot be left behind silently.
constexpr Table kTables[] = {
    {"counters", "name, value", 2, "name"},
    {"audit_head", "id, seq, hash", 3, "id"},
    {"audit_events", "seq, time, actor, action, object, details, prev_hash, hash", 8, "seq"},
    {"audit_head_signatures", "seq, hash, signature, signed_at", 4, "seq"},
    {"ca_material", "name, certificate, key_label, created_at", 4, "name"},
    {"certificates",
     "serial, profile, subject, not_before, not_after, der, status, revoked_at, reason, invalidity_date, created_at", 11,
     "serial"},
    {"accounts",
     "id, username, display_name, agency, email, status, login_password_hash, totp_secret_sealed, totp_last_step, "
     "failed_attempts, created_at, awaiting_signing_key, totp_enrolled_at, department, title, key_type, signing_notices",
     17, "id"},
    {"credentials",
     "id, account_id, key_type, status, certificate_serial, sealed_key, kdf_salt, kdf_params, seal_version, created_at", 10,
     "id"},
    {"crls", "number, this_update, next_update, der", 4, "number"},
    {"ocsp_responses", "serial, this_update, next_update, der", 4, "serial"},
    {"staff_users",
     "username, password_hash, roles, must_change_password, created_at, totp_secret_sealed, totp_last_step, "
     "failed_logins, status, representative_id, approval_part_sealed, requested_by",
     12, "username"},
    {"appointment_slots", "slot_start, booked", 2, "slot_start"},
    {"appointments", "id, purpose, slot_start, person_name, contact, code_mac, status, created_at, agency, username", 10,
     "id"},
    {"ra_records", "id, kind, agency_id, status, version, data, created_at, updated_at", 8, "id"},
    {"ra_unique_keys", "key, record_id", 2, "key"},
    {"ra_identity_index", "mac, record_id", 2, "record_id, mac"},
    {"documents", "sha256, media_type, size, content, created_at", 5, "sha256"},
    {"ra_attachments", "record_id, doc_type, sha256, attached_by, attached_at", 5, "record_id, doc_type, sha256"},
    {"signature_records",
     "reference, account_id, credential_id, certificate_serial, signed_digest, level, signed_at, log_index", 8,
     "reference"},
    // #16: queued notices leave from the new database; sent and abandoned ones stay the record of what was mailed
    {"notices",
     "id, kind, audience, params, group_key, dedupe_key, created_at, not_before, status, attempts, last_error, "
     "claim_token, claimed_until, sent_at",
     14, "id"},
    // #18: the signing transparency log as it is — its leaves, nodes, size and signed heads (a copy that changed one
    // would no longer match the heads the log signed)
    {"transparency_tree", "id, size", 2, "id"},
    {"transparency_leaves", "leaf_index, account_id, leaf_data, leaf_hash", 4, "leaf_index"},
    {"transparency_nodes", "level, node_index, hash", 3, "level, node_index"},
    {"transparency_heads", "tree_size, timestamp_ms, root_hash, signature", 4, "tree_size"},
};

std::string placeholders(int n) {
    std::string s;
    for (int i = 1; i <= n; ++i) s += (i > 1 ? ", $" : "$") + std::to_string(i);
    return s;
}

std::vector<std::string> applied_versions(Database& db) {
    std::vector<std::string> v;
    db.with_connection([&](Connection& c) {
        for (const Row& r : c.query("SELECT version FROM schema_migrations ORDER BY version")) v.push_back(r.text(0));
    });
    return v;
}

}  // namespace

std::map<std::string, std::vector<std::string>> copied_columns() {
    std::map<std::string, std::vector<std::string>> out;
    for (const Table& t : kTables) {
        std::string columns = t.columns;
        for (std::size_t p = 0; p < columns.size();) {
            std::size_t comma = columns.find(',', p);
            std::string name = columns.substr(p, comma == std::string::npos ? std::string::npos : comma - p);
            name.erase(0, name.find_first_not_of(' '));
            out[t.name].push_back(name);
            p = comma == std::string::npos ? columns.size() : comma + 1;
        }
    }
    return out;
}

std::map<std::string, std::int64_t> copy_database(Database& source, Database& target) {
    migrate(target);
    if (applied_versions(source) != applied_versions(target))
        throw Error("db.copy_schema_mismatch", 409, "source and target are at different schema versions; start both once");
    std::map<std::string, std::int64_t> copied;
    target.transact([&](Connection& to) {
        for (const char* guarded : {"certificates", "audit_events", "ca_material"}) {
            if (to.query_one(std::string("SELECT 1 FROM ") + guarded + " LIMIT 1"))
                throw Error("db.copy_target_not_empty", 409,
                            std::string("the target database already holds ") + guarded + "; copy only into a new database");
        }
        to.execute("DELETE FROM counters");
        to.execute("DELETE FROM audit_head");
        to.execute("DELETE FROM transparency_tree");
        for (const Table& t : kTables) {
            std::vector<Row> rows;
            source.with_connection([&](Connection& from) {
                rows = from.query(std::string("SELECT ") + t.columns + " FROM " + t.name + " ORDER BY " + t.order_by);
            });
            std::string insert = std::string("INSERT INTO ") + t.name + " (" + t.columns + ") VALUES (" +
                                 placeholders(t.column_count) + ")";
            for (const Row& r : rows) {
                std::vector<Value> values;
                for (int i = 0; i < t.column_count; ++i) values.push_back(r.value(static_cast<std::size_t>(i)));
                to.execute(insert, values);
            }
            copied[t.name] = static_cast<std::int64_t>(rows.size());
        }
        // the ids were copied as they were: PostgreSQL's sequence continues after the highest
        if (target.backend() == Backend::Postgres)
            to.query("SELECT setval(pg_get_serial_sequence('notices', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM notices");
    });
    return copied;
}

}  // namespace yq::storage
