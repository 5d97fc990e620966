// Office hours (domain: Mon–Thu 9:00–17:45, Fri 9:00–17:30, Asia/Macau = UTC+8), table-driven.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "ra/office_calendar.hpp"
#include "support/fixtures.hpp"

using namespace yq;

namespace {

struct OpenCase {
    const char* what;
    std::int64_t when;
    bool open;
};

}  // namespace

TEST(OfficeCalendar, OpenOnlyInsideOfficeHours) {
    core::OfficeConfig config;
    config.holidays = {"2026-12-24"};
    ra::OfficeCalendar cal(config);
    // 2026-11-23 is a Monday, 2026-11-27 a Friday
    const OpenCase cases[] = {
        {"Monday 08:59", test::macau_time(2026, 11, 23, 8, 59), false},
        {"Monday 09:00", test::macau_time(2026, 11, 23, 9, 0), true},
        {"Monday 17:44", test::macau_time(2026, 11, 23, 17, 44), true},
        {"Monday 17:45", test::macau_time(2026, 11, 23, 17, 45), false},
        {"Thursday 17:30", test::macau_time(2026, 11, 26, 17, 30), true},
        {"Friday 17:29", test::macau_time(2026, 11, 27, 17, 29), true},
        {"Friday 17:30", test::macau_time(2026, 11, 27, 17, 30), false},
        {"Saturday 10:00", test::macau_time(2026, 11, 28, 10, 0), false},
        {"Sunday 10:00", test::macau_time(2026, 11, 29, 10, 0), false},
        {"holiday Thursday 10:00", test::macau_time(2026, 12, 24, 10, 0), false},
        {"the day after 10:00", test::macau_time(2026, 12, 25, 10, 0), true},
    };
    for (const auto& c : cases) EXPECT_EQ(cal.is_open(c.when), c.open) << c.what;
}

TEST(OfficeCalendar, SlotsFillTheDayAndEndByClosingTime) {
    core::OfficeConfig config;
    ra::OfficeCalendar cal(config);
    auto monday = cal.slots_on("2026-11-23");
    ASSERT_EQ(monday.size(), 35u);  // 09:00 … 17:30, 15 minutes each, the last ends 17:45
    EXPECT_EQ(monday.front().start, test::macau_time(2026, 11, 23, 9, 0));
    EXPECT_EQ(monday.front().local_start, "2026-11-23 09:00");
    EXPECT_EQ(monday.back().local_start, "2026-11-23 17:30");
    EXPECT_EQ(monday.back().end, test::macau_time(2026, 11, 23, 17, 45));
    auto friday = cal.slots_on("2026-11-27");
    ASSERT_EQ(friday.size(), 34u);
    EXPECT_EQ(friday.back().local_start, "2026-11-27 17:15");
    EXPECT_TRUE(cal.slots_on("2026-11-28").empty());

    config.slot_minutes = 30;  // a slot may not run past closing time
    ra::OfficeCalendar half_hours(config);
    auto slots = half_hours.slots_on("2026-11-23");
    EXPECT_EQ(slots.back().local_start, "2026-11-23 17:00");
    EXPECT_TRUE(half_hours.is_slot_start(test::macau_time(2026, 11, 23, 17, 0)));
    EXPECT_FALSE(half_hours.is_slot_start(test::macau_time(2026, 11, 23, 17, 30)));
    EXPECT_FALSE(half_hours.is_slot_start(test::macau_time(2026, 11, 23, 9, 15)));  // off the grid
}

TEST(OfficeCalendar, BadDatesAndHoursAreRefused) {
    core::OfficeConfig config;
    ra::OfficeCalendar cal(config);
    for (const char* bad : {"2026-02-30", "2026-13-01", "26-11-23", "2026-11-23x", ""})
        EXPECT_EQ(test::error_code_of([&] { cal.slots_on(bad); }), "office.bad_date") << bad;
    config.hours[0] = "17:45-09:00";
    EXPECT_ANY_THROW(ra::OfficeCalendar{config});
    config.hours[0] = "nine-five";
    EXPECT_ANY_THROW(ra::OfficeCalendar{config});
}
