#pragma once
// Injectable clock: everything that depends on time takes a Clock& so tests can pin it.
#include <atomic>
#include <chrono>
#include <cstdint>

namespace yq::core {

using TimePoint = std::chrono::system_clock::time_point;
using Seconds = std::chrono::seconds;

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
    std::int64_t unix_seconds() const {
        return std::chrono::duration_cast<Seconds>(now().time_since_epoch()).count();
    }
};

class SystemClock final : public Clock {
public:
    TimePoint now() const override { return std::chrono::system_clock::now(); }
};

// A clock tests set and advance by hand.
class FixedClock final : public Clock {
public:
    explicit FixedClock(std::int64_t unix_seconds) : m_seconds(unix_seconds) {}
    TimePoint now() const override { return TimePoint(Seconds(m_seconds.load())); }
    void set(std::int64_t unix_seconds) { m_seconds = unix_seconds; }
    void advance(Seconds by) { m_seconds += by.count(); }

private:
    std::atomic<std::int64_t> m_seconds;
};

// RFC 3339 UTC text ("2026-11-25T11:13:59Z") for logs, audit events and JSON.
std::string to_rfc3339(std::int64_t unix_seconds);
// "2026-11-25T09:30:00Z" (UTC; a trailing Z is optional) → unix seconds; throws 400 "core.bad_time".
std::int64_t parse_rfc3339(const std::string& text);
// GeneralizedTime text "20261125111359Z" (X.680 §46, as CSC and PKIX use it).
std::string to_generalized_time(std::int64_t unix_seconds);

}  // namespace yq::core
