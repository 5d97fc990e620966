#include "core/clock.hpp"

#include <iomanip>
#include <sstream>

#include "core/error.hpp"

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

std::int64_t parse_rfc3339(const std::string& text) {
    std::tm tm{};
    std::istringstream in(text);
    in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
    if (in.fail()) throw_bad_input("core.bad_time", "times must look like 2026-11-25T09:30:00Z (UTC)");
    char rest = 0;
    if (in >> rest && rest != 'Z') throw_bad_input("core.bad_time", "times must be UTC, ending in Z");
    return static_cast<std::int64_t>(timegm(&tm));
}

}  // namespace yq::core
