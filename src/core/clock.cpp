#include "core/clock.hpp"

#include <ctime>
#include <string>

namespace yq::core {

namespace {
std::string format_utc(std::int64_t unix_seconds, const char* format) {
    std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, format, &tm);
    return buf;
}
}  // namespace

std::string to_rfc3339(std::int64_t unix_seconds) { return format_utc(unix_seconds, "%Y-%m-%dT%H:%M:%SZ"); }
std::string to_generalized_time(std::int64_t unix_seconds) { return format_utc(unix_seconds, "%Y%m%d%H%M%SZ"); }

}  // namespace yq::core
