#pragma once
// Counts attempts per key (a client address, a username) in a sliding window and says when a key has had enough:
// sign-in failures and bookings from the web UI. In memory, per node: a cluster behind a load balancer multiplies
// the allowance by its node count, while accounts and staff sign-ins also lock in the database.
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace yq::web {

class AttemptLimiter {
public:
    AttemptLimiter(int max_attempts, std::int64_t window_seconds) : m_max(max_attempts), m_window(window_seconds) {}

    // Seconds until `key` may try again; 0 when it may now.
    std::int64_t wait_seconds(const std::string& key, std::int64_t now);
    void record(const std::string& key, std::int64_t now);

private:
    void prune(std::deque<std::int64_t>& times, std::int64_t now) const;

    int m_max;
    std::int64_t m_window;
    std::mutex m_mutex;
    std::unordered_map<std::string, std::deque<std::int64_t>> m_attempts;
};

// Sign-in forms: the wait for this address or this username (the longer of the two), and a failure of both.
std::int64_t sign_in_wait(AttemptLimiter& limiter, const std::string& address, const std::string& username, std::int64_t now);
void record_sign_in_failure(AttemptLimiter& limiter, const std::string& address, const std::string& username,
                            std::int64_t now);

}  // namespace yq::web
