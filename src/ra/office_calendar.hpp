#pragma once
// The registration office's calendar: when it is open and which appointment slots exist (unlock, forgotten password,
// registration are booked only inside office hours). Pure logic over a configured UTC offset, weekly hours and
// holidays; the appointment book (capacity, confirmation codes) builds on it.
// Error style: throws yq::Error "office.*" for a bad configuration or date text.
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "core/config.hpp"

namespace yq::ra {

struct Slot {
    std::int64_t start = 0;  // unix seconds
    std::int64_t end = 0;
    std::string local_start;  // "2026-11-26 09:15" in office time, for people
};

// One day of the office's week as the week plan shows it.
struct OfficeDay {
    std::string date;   // "YYYY-MM-DD", office time
    int weekday = 0;    // 0 = Monday … 6 = Sunday
    bool open = false;  // office hours that day, and not a holiday
    std::string hours;  // "09:00-17:45" on open days, "" otherwise
};

class OfficeCalendar {
public:
    explicit OfficeCalendar(const core::OfficeConfig& config);

    // Open at this instant (start inclusive, closing time exclusive)?
    bool is_open(std::int64_t unix_seconds) const;
    // All slots of a local date ("YYYY-MM-DD"); a slot must end by closing time. Empty on closed days.
    std::vector<Slot> slots_on(const std::string& local_date) const;
    // Does a slot start exactly here (right grid, inside hours, not a holiday)?
    bool is_slot_start(std::int64_t unix_seconds) const;
    // "2026-11-26 09:15" (office time) for an instant.
    std::string local_text(std::int64_t unix_seconds) const;
    int capacity() const { return m_capacity; }

    // The local date ("YYYY-MM-DD", office time) of an instant.
    std::string local_date(std::int64_t unix_seconds) const;
    // 00:00 office time of a local date. Throws 400 "office.bad_date".
    std::int64_t day_start(const std::string& local_date) const;
    // The local date `days` days later (earlier when negative).
    std::string add_days(const std::string& local_date, int days) const;
    // The seven days, Monday first, of the week that holds `local_date`.
    std::vector<OfficeDay> week_of(const std::string& local_date) const;

private:
    struct Day {
        bool open = false;
        int open_minute = 0, close_minute = 0;
    };
    std::int64_t m_offset_seconds;
    int m_slot_minutes;
    int m_capacity;
    Day m_week[7];  // Monday first
    std::set<std::string> m_holidays;
};

}  // namespace yq::ra
