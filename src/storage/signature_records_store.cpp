// storage's implementation of pades::SignatureRecordStore (part of SqlStore).
#include "storage/audit_append.hpp"
#include "storage/sql/signature_records_sql.hpp"
#include "storage/sql_store.hpp"

namespace yq::storage {

void SqlStore::record_signature(const pades::SignatureRecord& r, const audit::Event& e) {
    m_db.transact([&](Connection& c) {
        c.execute(sql::kInsertSignatureRecord, {r.reference, r.account_id, r.credential_id, r.certificate_serial,
                                                r.signed_digest, r.level, r.signed_at,
                                                r.log_index >= 0 ? Value(r.log_index) : Value()});
        append_audit_event(c, e);
    });
}

std::optional<pades::SignatureRecord> SqlStore::signature_by_reference(const std::string& reference) {
    std::optional<pades::SignatureRecord> out;
    m_db.with_connection([&](Connection& c) {
        if (auto r = c.query_one(sql::kSelectSignatureRecord, {reference}))
            out = pades::SignatureRecord{r->text(0), r->text(1), r->text(2), r->text(3),
                                         r->blob(4), r->text(5), r->integer(6), r->optional_integer(7).value_or(-1)};
    });
    return out;
}

}  // namespace yq::storage
