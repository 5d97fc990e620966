#include "notices/dispatcher.hpp"

#include <algorithm>
#include <map>

#include "core/bytes.hpp"
#include "core/error.hpp"

namespace yq::notices {

namespace {

std::vector<std::int64_t> ids_of(const std::vector<QueuedNotice>& group) {
    std::vector<std::int64_t> ids;
    for (const auto& n : group) ids.push_back(n.id);
    return ids;
}

// Queued notices in claim order, one mail each, except that a digest group is one mail.
std::vector<std::vector<QueuedNotice>> mails_of(const std::vector<QueuedNotice>& claimed) {
    std::vector<std::vector<QueuedNotice>> mails;
    std::map<std::string, std::size_t> digest_index;
    for (const QueuedNotice& n : claimed) {
        if (n.group_key.empty()) {
            mails.push_back({n});
            continue;
        }
        auto [it, fresh] = digest_index.try_emplace(n.group_key, mails.size());
        if (fresh) mails.emplace_back();
        mails[it->second].push_back(n);
    }
    return mails;
}

std::string domain_of(const std::string& address) {
    auto at = address.find('@');
    return at == std::string::npos ? "localhost" : address.substr(at + 1);
}

}  // namespace

std::int64_t retry_delay(const core::MailConfig& config, int attempts) {
    std::int64_t delay = config.retry_seconds;
    for (int i = 1; i < attempts && delay < config.retry_max_seconds; ++i) delay *= 2;
    return std::min<std::int64_t>(delay, config.retry_max_seconds);
}

DispatchRound Dispatcher::run_once() {
    DispatchRound round;
    const std::int64_t now = m_clock.unix_seconds();
    const std::string token = m_node + ":" + core::random_token(12);
    // the lease outlasts the whole pass (each mail may take the connect time and the conversation's timeout), so no
    // other node takes a notice this one may still send
    const std::int64_t lease_until = now + std::int64_t{m_config.batch} * (m_config.timeout_seconds + 10) + 60;
    std::vector<QueuedNotice> claimed = m_outbox.claim_due(token, now, lease_until, m_config.batch);

    for (const auto& group : mails_of(claimed)) {
        const QueuedNotice& first = group.front();
        const std::vector<std::int64_t> ids = ids_of(group);
        int attempts = 0;
        for (const auto& n : group) attempts = std::max(attempts, n.attempts);
        auto event = [&](const char* action, const std::string& error, std::int64_t next) {
            return audit::Event{"system:notices", action, "notice:" + std::to_string(first.id),
                                audit::details({{"kind", first.kind},
                                                {"audience", first.audience},
                                                {"notices", std::to_string(group.size())},
                                                {"attempt", std::to_string(attempts + 1)},
                                                {"error", error},
                                                {"next_attempt_at", next ? std::to_string(next) : ""}}),
                                m_clock.unix_seconds()};
        };
        auto give_up = [&](const std::string& why) {
            m_outbox.mark_failed(ids, token, now, why, true, event("notice.abandoned", why, 0));
            ++round.abandoned;
        };

        std::optional<Recipient> to = m_addresses.recipient(first.audience);
        if (!to || !plausible_address(to->email)) {
            give_up("no valid e-mail address on file for " + first.audience);
            continue;
        }
        OutgoingMail mail;
        try {
            mail = OutgoingMail{to->email, to->name,
                                "notice-" + std::to_string(first.id) + "." + std::to_string(first.created_at) + "@" +
                                    domain_of(m_config.from),
                                now, m_composer.compose(group)};
        } catch (const Error& e) {
            give_up(e.what());
            continue;
        }
        try {
            m_transport.send(mail);
        } catch (const Error& e) {
            if (e.code() == "notices.smtp_rejected" || e.code() == "notices.bad_address") {
                give_up(e.what());  // this recipient, not the server: the others still go
                continue;
            }
            const bool last = attempts + 1 >= m_config.max_attempts;
            const std::int64_t next = now + retry_delay(m_config, attempts + 1);
            m_outbox.mark_failed(ids, token, last ? now : next, e.what(), last,
                                 event(last ? "notice.abandoned" : "notice.delivery_failed", e.what(), last ? 0 : next));
            ++(last ? round.abandoned : round.retrying);
            m_outbox.release(token);  // the server is failing: the rest waits for the next pass (not counted)
            break;
        }
        m_outbox.mark_sent(ids, token, m_clock.unix_seconds(), event("notice.sent", "", 0));
        ++round.sent;
    }
    return round;
}

}  // namespace yq::notices
