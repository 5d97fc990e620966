#include "ra/auditor_desk.hpp"

namespace yq::ra {

void AuditorDesk::require_auditor(const Principal& who) const { require_permission(who, Action::AuditSearch); }

std::vector<audit::StoredEvent> AuditorDesk::search(const Principal& who, const audit::EventFilter& filter) {
    require_auditor(who);
    return m_audit.search_events(filter);
}

std::vector<notices::NoticeStatus> AuditorDesk::recent_notices(const Principal& who, int limit) {
    require_auditor(who);
    return m_notices.recent_notices(limit);
}

}  // namespace yq::ra
