#include "ra/office_calendar.hpp"

#include <cstdio>
#include <ctime>

#include "core/error.hpp"

namespace yq::ra {

namespace {

constexpr std::int64_t kDay = 86400;

// "HH:MM" → minutes after midnight
int parse_minute(const std::string& text, const std::string& where) {
    int h = -1, m = -1;
    char tail = 0;
    if (std::sscanf(text.c_str(), "%2d:%2d%c", &h, &m, &tail) != 2 || h < 0 || h > 24 || m < 0 || m > 59 || h * 60 + m > 1440)
        throw Error("office.bad_hours", 500, "office hours '" + where + "' must look like 09:00-17:45");
    return h * 60 + m;
}

// Days since 1970-01-01 for a civil date (proleptic Gregorian; H. Hinnant's days_from_civil).
std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::int64_t parse_date(const std::string& text) {
    int y = 0, m = 0, d = 0;
    char tail = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 || d < 1 || d > 31 ||
        text.size() != 10)
        throw_bad_input("office.bad_date", "dates must look like 2026-11-26");
    std::int64_t days = days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
    // reject 2026-02-30 and the like: the day must map back to the same text
    std::time_t t = static_cast<std::time_t>(days * kDay);
    std::tm tm{};
    gmtime_r(&t, &tm);
    if (tm.tm_mday != d || tm.tm_mon + 1 != m) throw_bad_input("office.bad_date", "no such date: " + text);
    return days;
}

std::string date_text(std::int64_t days) {
    std::time_t t = static_cast<std::time_t>(days * kDay);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

int weekday_monday_first(std::int64_t days) {
    // 1970-01-01 was a Thursday (index 3 when Monday = 0)
    return static_cast<int>(((days % 7) + 7 + 3) % 7);
}

}  // namespace

OfficeCalendar::OfficeCalendar(const core::OfficeConfig& c)
    : m_offset_seconds(static_cast<std::int64_t>(c.utc_offset_minutes) * 60), m_slot_minutes(c.slot_minutes),
      m_capacity(c.slot_capacity) {
    if (c.hours.size() != 7) throw Error("office.bad_hours", 500, "office.hours needs 7 entries, Monday first");
    for (int i = 0; i < 7; ++i) {
        const std::string& h = c.hours[static_cast<std::size_t>(i)];
        if (h.empty()) continue;
        auto dash = h.find('-');
        if (dash == std::string::npos) throw Error("office.bad_hours", 500, "office hours '" + h + "' must look like 09:00-17:45");
        m_week[i] = Day{true, parse_minute(h.substr(0, dash), h), parse_minute(h.substr(dash + 1), h)};
        if (m_week[i].close_minute <= m_week[i].open_minute)
            throw Error("office.bad_hours", 500, "office hours '" + h + "' close before they open");
    }
    for (const auto& d : c.holidays) m_holidays.insert(date_text(parse_date(d)));
}

bool OfficeCalendar::is_open(std::int64_t unix_seconds) const {
    std::int64_t local = unix_seconds + m_offset_seconds;
    std::int64_t days = local >= 0 ? local / kDay : (local - kDay + 1) / kDay;
    int minute = static_cast<int>((local - days * kDay) / 60);
    const Day& day = m_week[weekday_monday_first(days)];
    if (!day.open || m_holidays.count(date_text(days))) return false;
    return minute >= day.open_minute && minute < day.close_minute;
}

std::vector<Slot> OfficeCalendar::slots_on(const std::string& local_date) const {
    std::int64_t days = parse_date(local_date);
    std::vector<Slot> out;
    const Day& day = m_week[weekday_monday_first(days)];
    if (!day.open || m_holidays.count(date_text(days))) return out;
    for (int m = day.open_minute; m + m_slot_minutes <= day.close_minute; m += m_slot_minutes) {
        std::int64_t start = days * kDay + static_cast<std::int64_t>(m) * 60 - m_offset_seconds;
        out.push_back(Slot{start, start + static_cast<std::int64_t>(m_slot_minutes) * 60, local_text(start)});
    }
    return out;
}

bool OfficeCalendar::is_slot_start(std::int64_t unix_seconds) const {
    std::int64_t local = unix_seconds + m_offset_seconds;
    std::int64_t days = local >= 0 ? local / kDay : (local - kDay + 1) / kDay;
    for (const Slot& s : slots_on(date_text(days)))
        if (s.start == unix_seconds) return true;
    return false;
}

std::string OfficeCalendar::local_text(std::int64_t unix_seconds) const {
    std::time_t t = static_cast<std::time_t>(unix_seconds + m_offset_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[24];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    return buf;
}

std::string OfficeCalendar::local_date(std::int64_t unix_seconds) const { return local_text(unix_seconds).substr(0, 10); }

std::int64_t OfficeCalendar::day_start(const std::string& local_date) const {
    return parse_date(local_date) * kDay - m_offset_seconds;
}

std::string OfficeCalendar::add_days(const std::string& local_date, int days) const {
    return date_text(parse_date(local_date) + days);
}

std::vector<OfficeDay> OfficeCalendar::week_of(const std::string& local_date) const {
    std::int64_t monday = parse_date(local_date);
    monday -= weekday_monday_first(monday);
    auto clock_text = [](int minute) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%02d:%02d", minute / 60, minute % 60);
        return std::string(buf);
    };
    std::vector<OfficeDay> week;
    for (int i = 0; i < 7; ++i) {
        OfficeDay d{date_text(monday + i), i, false, ""};
        const Day& day = m_week[i];
        d.open = day.open && !m_holidays.count(d.date);
        if (d.open) d.hours = clock_text(day.open_minute) + "-" + clock_text(day.close_minute);
        week.push_back(std::move(d));
    }
    return week;
}

}  // namespace yq::ra
