// storage's implementation of ra::RegistryStore (part of SqlStore).
#include "core/error.hpp"
#include "storage/audit_append.hpp"
#include "storage/sql/registry_sql.hpp"
#include "storage/sql_store.hpp"

namespace yq::storage {

namespace {
ra::StoredRecord record_from_row(const Row& r) {
    return ra::StoredRecord{r.text(0), r.text(1), r.text(2), r.text(3), r.integer(4), r.text(5), r.integer(6), r.integer(7)};
}
}  // namespace

void SqlStore::atomically(const std::function<void()>& fn) {
    m_db.transact([&](Connection&) { fn(); });
}

void SqlStore::insert_record(const ra::StoredRecord& r, const std::vector<std::string>& unique_keys,
                             const std::vector<core::Bytes>& identity_macs, const audit::Event& e) {
    m_db.transact([&](Connection& c) {
        c.execute(sql::kInsertRecord, {r.id, r.kind, r.agency_id, r.status, r.version, r.data, r.created_at, r.updated_at});
        for (const auto& key : unique_keys)
            if (c.execute(sql::kClaimUniqueKey, {key, r.id}) != 1)
                throw_conflict("ra.duplicate", "'" + key.substr(key.find(':') + 1) + "' is already registered (" +
                                                   key.substr(0, key.find(':')) + ")");
        for (const auto& mac : identity_macs) c.execute(sql::kIndexIdentity, {mac, r.id});
        append_audit_event(c, e);
    });
}

bool SqlStore::update_record(const ra::StoredRecord& r, std::int64_t expected_version,
                             const std::vector<std::string>& release_keys, const std::vector<core::Bytes>& identity_macs,
                             const audit::Event& e) {
    bool ok = false;
    m_db.transact([&](Connection& c) {
        ok = c.execute(sql::kUpdateRecord, {r.id, r.status, r.version, r.data, expected_version, r.updated_at}) == 1;
        if (!ok) return;
        for (const auto& key : release_keys) c.execute(sql::kReleaseUniqueKey, {key, r.id});
        for (const auto& mac : identity_macs) c.execute(sql::kIndexIdentity, {mac, r.id});
        append_audit_event(c, e);
    });
    return ok;
}

std::optional<ra::StoredRecord> SqlStore::record(const std::string& id) {
    std::optional<ra::StoredRecord> out;
    m_db.with_connection([&](Connection& c) {
        if (auto r = c.query_one(std::string(sql::kRecordColumns) + "WHERE id = $1", {id})) out = record_from_row(*r);
    });
    return out;
}

std::vector<ra::StoredRecord> SqlStore::records(const std::string& kind, const std::string& agency_id,
                                                const std::string& status) {
    std::vector<ra::StoredRecord> out;
    std::string q = std::string(sql::kRecordColumns) + "WHERE kind = $1";
    std::vector<Value> params{kind};
    if (!agency_id.empty()) {
        params.emplace_back(agency_id);
        q += " AND agency_id = $" + std::to_string(params.size());
    }
    if (!status.empty()) {
        params.emplace_back(status);
        q += " AND status = $" + std::to_string(params.size());
    }
    q += " ORDER BY created_at DESC, id";
    m_db.with_connection([&](Connection& c) {
        for (const Row& r : c.query(q, params)) out.push_back(record_from_row(r));
    });
    return out;
}

std::vector<ra::StoredRecord> SqlStore::records_with_identity(const core::Bytes& mac) {
    std::vector<ra::StoredRecord> out;
    m_db.with_connection([&](Connection& c) {
        for (const Row& r : c.query(sql::kRecordsWithIdentity, {mac})) out.push_back(record_from_row(r));
    });
    return out;
}

std::optional<std::string> SqlStore::unique_key_owner(const std::string& key) {
    std::optional<std::string> out;
    m_db.with_connection([&](Connection& c) {
        if (auto r = c.query_one(sql::kUniqueKeyOwner, {key})) out = r->text(0);
    });
    return out;
}

void SqlStore::put_document(const ra::StoredDocument& d, std::int64_t now, const audit::Event& e) {
    m_db.transact([&](Connection& c) {
        if (c.execute(sql::kInsertDocument, {d.sha256, d.media_type, d.size, d.content, now}) == 1)
            append_audit_event(c, e);  // the same bytes uploaded again are already stored and recorded
    });
}

std::optional<ra::StoredDocument> SqlStore::document(const std::string& sha256) {
    std::optional<ra::StoredDocument> out;
    m_db.with_connection([&](Connection& c) {
        if (auto r = c.query_one(sql::kSelectDocument, {sha256}))
            out = ra::StoredDocument{r->text(0), r->text(1), r->integer(2), r->blob(3)};
    });
    return out;
}

void SqlStore::attach(const std::string& record_id, const ra::Attachment& a, const audit::Event& e) {
    m_db.transact([&](Connection& c) {
        if (c.execute(sql::kInsertAttachment, {record_id, a.doc_type, a.sha256, a.attached_by, a.attached_at}) == 1)
            append_audit_event(c, e);
    });
}

std::vector<ra::Attachment> SqlStore::attachments(const std::string& record_id) {
    std::vector<ra::Attachment> out;
    m_db.with_connection([&](Connection& c) {
        for (const Row& r : c.query(sql::kSelectAttachments, {record_id}))
            out.push_back(ra::Attachment{r.text(0), r.text(1), r.text(2), r.integer(3)});
    });
    return out;
}

}  // namespace yq::storage
