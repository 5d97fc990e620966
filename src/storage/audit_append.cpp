#include "storage/audit_append.hpp"

#include "core/error.hpp"
#include "storage/sql/audit_sql.hpp"
#include "storage/sql/notices_sql.hpp"

namespace yq::storage {

std::int64_t append_audit_event(Connection& c, const audit::Event& e) {
    auto head = c.query_one(sql::kLockAuditHead);
    if (!head) throw Error("audit.write_failed", 500, "the audit chain head row is missing");
    std::int64_t seq = head->integer(0);
    core::Bytes prev = head->blob(1);
    core::Bytes hash = audit::chain_hash(prev, seq, e);
    c.execute(sql::kSetAuditHeadHash, {hash});
    c.execute(sql::kInsertAuditEvent, {seq, e.time, e.actor, e.action,
                                       e.object, e.details, prev, hash});
    // #16: the notices the change sends commit (or roll back) with it
    for (const audit::Notice& n : e.notices)
        c.execute(sql::kInsertNotice, {n.kind, n.audience, n.params, n.group_key,
                                       n.dedupe_key.empty() ? Value{} : Value{n.dedupe_key}, e.time,
                                       n.not_before ? n.not_before : e.time});
    return seq;
}

}  // namespace yq::storage
