#pragma once
// The notice queue as the dispatcher needs it (declared here, implemented in storage/). Notices are put into it by
// the audit event of the change they report (audit::Event::notices); this interface only takes them out.
// Delivery is at least once: a node that dies after the mail server accepted a mail and before `mark_sent` leaves the
// row to be sent again when its lease runs out (the Message-ID names the row, so a mail client shows one message).
#include <cstdint>
#include <string>
#include <vector>

#include "audit/event.hpp"

namespace yq::notices {

struct QueuedNotice {
    std::int64_t id = 0;
    std::string kind;
    std::string audience;
    std::string params;  // JSON object
    std::string group_key;
    std::int64_t created_at = 0;
    int attempts = 0;
};

// What the office's notices page lists.
struct NoticeStatus {
    std::int64_t id = 0;
    std::string kind;
    std::string audience;
    std::string status;  // queued | sent | abandoned
    int attempts = 0;
    std::string last_error;
    std::int64_t created_at = 0;
    std::int64_t next_attempt_at = 0;
    std::int64_t sent_at = 0;
};

class Outbox : public virtual audit::EventRecorder {
public:
    virtual ~Outbox() = default;
    // Leases the due queued notices (up to `limit`, oldest first) and the rest of their groups to `claim_token` until
    // `lease_until`. No two claims hold one row while its lease runs.
    virtual std::vector<QueuedNotice> claim_due(const std::string& claim_token, std::int64_t now,
                                                std::int64_t lease_until, int limit) = 0;
    // The mail with these rows was accepted by the mail server: marked sent with `e`, in one transaction. Rows whose
    // lease was lost in between are left alone (false).
    virtual bool mark_sent(const std::vector<std::int64_t>& ids, const std::string& claim_token, std::int64_t now,
                           const audit::Event& e) = 0;
    // The mail was not accepted: queued again for `next_attempt_at`, or given up (`abandon`), with the error, audited.
    virtual bool mark_failed(const std::vector<std::int64_t>& ids, const std::string& claim_token,
                             std::int64_t next_attempt_at, const std::string& error, bool abandon,
                             const audit::Event& e) = 0;
    // Gives back what this claim still holds (a pass that stopped early), for the next pass on any node.
    virtual void release(const std::string& claim_token) = 0;
    // A notice with this dedupe key was queued (sent or not).
    virtual bool queued_once(const std::string& dedupe_key) = 0;
    virtual std::vector<NoticeStatus> recent_notices(int limit) = 0;
};

}  // namespace yq::notices
