#pragma once
// What the auditor reads (architecture "RA flow": the audit log is tamper-evident and searched by the auditor role):
// the audit log by object, actor, action and time, and the e-mail notices the office sent, is still trying, or gave up
// (#16). Both need ra::Action::AuditSearch (403 "auth.forbidden" without it); neither changes anything.
#include <vector>

#include "audit/event.hpp"
#include "notices/outbox.hpp"
#include "ra/staff.hpp"

namespace yq::ra {

class AuditorDesk {
public:
    AuditorDesk(audit::AuditReader& audit, notices::Outbox& notices) : m_audit(audit), m_notices(notices) {}

    // Throws 403 "auth.forbidden" unless `who` may read the audit log (a search page opened before any search).
    void require_auditor(const Principal& who) const;
    // Newest first, at most 1,000 (the storage clamps `filter.limit` to 1–1,000).
    std::vector<audit::StoredEvent> search(const Principal& who, const audit::EventFilter& filter);
    // The newest `limit` notices, newest first.
    std::vector<notices::NoticeStatus> recent_notices(const Principal& who, int limit);

private:
    audit::AuditReader& m_audit;
    notices::Outbox& m_notices;
};

}  // namespace yq::ra
