#pragma once
// The text of a notice mail (#16): zh-Hant first, then Portuguese, on one mail as Macau's official texts are, each with
// the office's contact footer. The texts are src/notices/messages.json (compiled in); the facts come from the notice's
// params. Times are shown in the office's time zone.
#include <string>
#include <vector>

#include "core/config.hpp"
#include "notices/outbox.hpp"

namespace yq::notices {

struct ComposedMessage {
    std::string subject;  // UTF-8, one line
    std::string body;     // UTF-8 plain text, \n line ends
};

class MessageComposer {
public:
    explicit MessageComposer(const core::OfficeConfig& office) : m_office(office) {}
    // One mail for `group`: a single notice, or a signer's daily digest (every notice one kind and audience; more than
    // one makes the digest form). Throws 500 "notices.unknown_kind" for a kind the catalogue does not have.
    ComposedMessage compose(const std::vector<QueuedNotice>& group) const;

private:
    const core::OfficeConfig& m_office;
};

// "YYYY-MM-DD HH:MM (UTC+08:00)" for a unix time in an office `utc_offset_minutes` from UTC.
std::string office_time_text(std::int64_t unix_seconds, int utc_offset_minutes);
// "YYYY-MM-DD" in the office's time zone.
std::string office_date_text(std::int64_t unix_seconds, int utc_offset_minutes);

}  // namespace yq::notices
