// storage's implementation of notices::Outbox (part of SqlStore). Notices are inserted by append_audit_event with the
// event of the change they report; here they are leased, marked sent or failed, and listed.
#include "core/error.hpp"
#include "storage/audit_append.hpp"
#include "storage/sql/notices_sql.hpp"
#include "storage/sql_store.hpp"

namespace yq::storage {

std::vector<notices::QueuedNotice> SqlStore::claim_due(const std::string& claim_token, std::int64_t now,
                                                       std::int64_t lease_until, int limit) {
    std::vector<notices::QueuedNotice> out;
    m_db.transact([&](Connection& c) {
        if (c.execute(sql::kClaimDueNotices, {claim_token, lease_until, now, std::int64_t{limit}}) == 0) return;
        c.execute(sql::kClaimGroupMates, {claim_token, lease_until, now});
        for (const Row& r : c.query(sql::kSelectClaimed, {claim_token}))
            out.push_back(notices::QueuedNotice{r.integer(0), r.text(1), r.text(2), r.text(3), r.text(4), r.integer(5),
                                                static_cast<int>(r.integer(6))});
    });
    return out;
}

bool SqlStore::mark_sent(const std::vector<std::int64_t>& ids, const std::string& claim_token, std::int64_t now,
                         const audit::Event& e) {
    bool all = true;
    m_db.transact([&](Connection& c) {
        for (std::int64_t id : ids) all = c.execute(sql::kMarkNoticeSent, {id, claim_token, now}) == 1 && all;
        append_audit_event(c, e);
    });
    return all;
}

bool SqlStore::mark_failed(const std::vector<std::int64_t>& ids, const std::string& claim_token,
                           std::int64_t next_attempt_at, const std::string& error, bool abandon, const audit::Event& e) {
    bool all = true;
    m_db.transact([&](Connection& c) {
        for (std::int64_t id : ids)
            all = c.execute(sql::kMarkNoticeFailed, {id, claim_token, std::string(abandon ? "abandoned" : "queued"),
                                                     error, next_attempt_at}) == 1 && all;
        append_audit_event(c, e);
    });
    return all;
}

void SqlStore::release(const std::string& claim_token) {
    m_db.transact([&](Connection& c) { c.execute(sql::kReleaseClaim, {claim_token}); });
}

bool SqlStore::queued_once(const std::string& dedupe_key) {
    bool found = false;
    m_db.with_connection([&](Connection& c) { found = c.query_one(sql::kNoticeQueuedOnce, {dedupe_key}).has_value(); });
    return found;
}

std::vector<notices::NoticeStatus> SqlStore::recent_notices(int limit) {
    std::vector<notices::NoticeStatus> out;
    m_db.with_connection([&](Connection& c) {
        for (const Row& r : c.query(sql::kRecentNotices, {std::int64_t{limit}}))
            out.push_back(notices::NoticeStatus{r.integer(0), r.text(1), r.text(2), r.text(3),
                                                static_cast<int>(r.integer(4)), r.text(5), r.integer(6), r.integer(7),
                                                r.integer(8)});
    });
    return out;
}

}  // namespace yq::storage
