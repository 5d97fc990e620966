#include "web/ui/attempt_limiter.hpp"

#include <algorithm>

namespace yq::web {

void AttemptLimiter::prune(std::deque<std::int64_t>& times, std::int64_t now) const {
    while (!times.empty() && times.front() <= now - m_window) times.pop_front();
}

std::int64_t AttemptLimiter::wait_seconds(const std::string& key, std::int64_t now) {
    std::lock_guard lock(m_mutex);
    auto it = m_attempts.find(key);
    if (it == m_attempts.end()) return 0;
    prune(it->second, now);
    if (static_cast<int>(it->second.size()) < m_max) return 0;
    return it->second.front() + m_window - now;
}

void AttemptLimiter::record(const std::string& key, std::int64_t now) {
    std::lock_guard lock(m_mutex);
    if (m_attempts.size() > 100000) {  // bounded memory: forget keys whose window has passed
        for (auto it = m_attempts.begin(); it != m_attempts.end();) {
            prune(it->second, now);
            it = it->second.empty() ? m_attempts.erase(it) : std::next(it);
        }
    }
    auto& times = m_attempts[key];
    prune(times, now);
    times.push_back(now);
}

std::int64_t sign_in_wait(AttemptLimiter& limiter, const std::string& address, const std::string& username, std::int64_t now) {
    return std::max(limiter.wait_seconds("ip:" + address, now), limiter.wait_seconds("user:" + username, now));
}

void record_sign_in_failure(AttemptLimiter& limiter, const std::string& address, const std::string& username,
                            std::int64_t now) {
    limiter.record("ip:" + address, now);
    limiter.record("user:" + username, now);
}

}  // namespace yq::web
