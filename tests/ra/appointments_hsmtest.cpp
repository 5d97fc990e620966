// The appointment book against a fresh SoftHSM token and a real database (SQLite, and PostgreSQL when available).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "ra/appointments.hpp"
#include "storage/sql_store.hpp"
#include "support/fixtures.hpp"

using namespace yq;
using test::DbKind;

class AppointmentsTest : public ::testing::TestWithParam<DbKind> {
protected:
    test::SoftHsmToken token;
    test::TestDatabase database{GetParam()};
    keystore::Keystore keys{token.settings()};
    storage::SqlStore store{database.db()};
    core::FixedClock clock{test::macau_time(2026, 11, 23, 8, 0)};  // Monday morning, before opening
    core::OfficeConfig office;
    ra::OfficeCalendar calendar{office};
    ra::AppointmentBook book{calendar, store, keys, clock};
    // what the clerk needs, by purpose (#16)
    const ra::BookingDetails kUser{"", "user.x"}, kAgency{"Agency X", ""};

    void SetUp() override { ra::AppointmentBook::ensure_hsm_keys(keys); }
};

TEST_P(AppointmentsTest, BooksInsideOfficeHoursAndFindsByConfirmationCode) {
    auto b = book.book("unlock", test::macau_time(2026, 11, 23, 9, 15), "陳大文", "chan@x.gov.mo", "public", kUser);
    EXPECT_EQ(b.local_time, "2026-11-23 09:15");
    EXPECT_EQ(b.confirmation_code.size(), 10u);
    auto found = book.find(b.confirmation_code);
    EXPECT_EQ(found.id, b.appointment.id);
    EXPECT_EQ(found.status, "booked");
    // the code is typed by people: case and dashes do not matter
    std::string typed = b.confirmation_code.substr(0, 5) + "-" + b.confirmation_code.substr(5);
    for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(book.find(typed).id, b.appointment.id);
    EXPECT_EQ(test::error_code_of([&] { book.find("WRONGCODE1"); }), "appointments.unknown_code");
    // the code itself is in no audit event (the database keeps only its HSM-keyed MAC)
    for (const auto& e : store.all_events()) EXPECT_EQ(e.event.details.find(b.confirmation_code), std::string::npos);
}

TEST_P(AppointmentsTest, RefusesSlotsOutsideOfficeHoursOrInThePast) {
    struct Case {
        const char* what;
        std::int64_t when;
        const char* code;
    };
    const Case cases[] = {
        {"Monday 17:45 (closing)", test::macau_time(2026, 11, 23, 17, 45), "appointments.outside_office_hours"},
        {"Friday 17:30 (closing)", test::macau_time(2026, 11, 27, 17, 30), "appointments.outside_office_hours"},
        {"Saturday", test::macau_time(2026, 11, 28, 10, 0), "appointments.outside_office_hours"},
        {"off the slot grid", test::macau_time(2026, 11, 23, 9, 7), "appointments.outside_office_hours"},
        {"already past", test::macau_time(2026, 11, 23, 7, 0), "appointments.in_the_past"},
        {"Friday 17:15 (last slot)", test::macau_time(2026, 11, 27, 17, 15), "(no error)"},
    };
    int n = 0;
    for (const auto& c : cases)
        EXPECT_EQ(test::error_code_of([&] { book.book("registration", c.when, "P", "p" + std::to_string(n++) + "@x.mo", "t", kAgency); }),
                  c.code)
            << c.what;
    EXPECT_EQ(test::error_code_of([&] { book.book("coffee", test::macau_time(2026, 11, 23, 10, 0), "P", "q@x.mo", "t", kUser); }),
              "appointments.bad_purpose");
}

TEST_P(AppointmentsTest, NeverMoreBookingsThanCapacityEvenConcurrently) {
    std::int64_t slot = test::macau_time(2026, 11, 24, 10, 0);
    std::atomic<int> booked{0}, full{0}, other{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 12; ++i) {
        threads.emplace_back([&, i] {
            std::string code = test::error_code_of(
                [&] { book.book("rekey", slot, "Person " + std::to_string(i), "person" + std::to_string(i) + "@x.mo", "t", kUser); });
            if (code == "(no error)") ++booked;
            else if (code == "appointments.slot_full") ++full;
            else ++other;
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(booked.load(), office.slot_capacity);
    EXPECT_EQ(full.load(), 12 - office.slot_capacity);
    EXPECT_EQ(other.load(), 0);
    EXPECT_EQ(store.bookings_in_slot(slot), office.slot_capacity);
}

TEST_P(AppointmentsTest, OneFutureBookingPerPersonAndPurposeAndCancelGivesTheSeatBack) {
    std::int64_t slot = test::macau_time(2026, 11, 25, 11, 0);
    auto first = book.book("unlock", slot, "A", "a@x.mo", "t", kUser);
    EXPECT_EQ(test::error_code_of([&] { book.book("unlock", test::macau_time(2026, 11, 26, 11, 0), "A", "a@x.mo", "t", kUser); }),
              "appointments.already_booked");
    EXPECT_NO_THROW(book.book("registration", test::macau_time(2026, 11, 26, 11, 0), "A", "a@x.mo", "t", kAgency));  // other purpose
    book.book("unlock", slot, "B", "b@x.mo", "t", kUser);
    EXPECT_EQ(test::error_code_of([&] { book.book("unlock", slot, "C", "c@x.mo", "t", kUser); }), "appointments.slot_full");
    book.cancel(first.confirmation_code, "public");
    EXPECT_EQ(book.find(first.confirmation_code).status, "cancelled");
    EXPECT_EQ(test::error_code_of([&] { book.cancel(first.confirmation_code, "public"); }), "appointments.not_booked");
    EXPECT_NO_THROW(book.book("unlock", slot, "C", "c@x.mo", "t", kUser));  // the seat came back
    EXPECT_NO_THROW(book.book("unlock", test::macau_time(2026, 11, 26, 11, 15), "A", "a@x.mo", "t", kUser));  // A may book again
    auto report = audit::verify_chain(store.all_events(), {}, {});
    EXPECT_TRUE(report.ok) << report.problem;
}

// #16: the booking carries what the clerk needs (the agency to register, the username otherwise); at the counter the
// clerk picks the booking due now from a list instead of typing its code — the same checks as the code: the purpose,
// the time window, the username it names, and once only.
TEST_P(AppointmentsTest, TheClerkPicksTheBookingDueNowWithTheSameChecksAsTheCode) {
    std::int64_t slot = test::macau_time(2026, 11, 23, 9, 15);
    EXPECT_EQ(test::error_code_of([&] { book.book("registration", slot, "P", "p@x.mo", "t", {}); }),
              "appointments.agency_required");
    EXPECT_EQ(test::error_code_of([&] { book.book("unlock", slot, "P", "p@x.mo", "t", {"Agency X", ""}); }),
              "appointments.username_required");
    auto unlock = book.book("unlock", slot, "陳大文", "chan@x.gov.mo", "public", {"Direcção X", "chan.taiman"});
    auto later = book.book("rekey", test::macau_time(2026, 11, 23, 14, 0), "李四", "lee@x.gov.mo", "public", {"", "lee.si"});
    EXPECT_EQ(book.find(unlock.confirmation_code).username, "chan.taiman");
    EXPECT_EQ(book.find(unlock.confirmation_code).agency, "Direcção X");
    EXPECT_TRUE(book.due_now("unlock").empty());  // 08:00: not yet (from 08:45)
    clock.set(test::macau_time(2026, 11, 23, 9, 0));
    auto due = book.due_now("unlock");
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0].id, unlock.appointment.id);
    EXPECT_TRUE(book.due_now("rekey").empty());  // the afternoon's is not due
    EXPECT_EQ(test::error_code_of([&] { book.check_in({"", later.appointment.id}, "rekey", "staff:o", "lee.si"); }),
              "appointments.not_now");
    EXPECT_EQ(test::error_code_of([&] { book.check_in({"", unlock.appointment.id}, "rekey", "staff:o"); }),
              "appointments.wrong_purpose");
    EXPECT_EQ(test::error_code_of([&] { book.check_in({"", unlock.appointment.id}, "unlock", "staff:o", "someone.else"); }),
              "appointments.other_user");
    EXPECT_EQ(test::error_code_of([&] { book.check_in({"", "apt_nope"}, "unlock", "staff:o"); }),
              "appointments.unknown_appointment");
    EXPECT_EQ(test::error_code_of([&] { book.check_in({}, "unlock", "staff:o"); }), "appointments.code_required");
    EXPECT_EQ(book.check_in({"", unlock.appointment.id}, "unlock", "staff:o", "chan.taiman").status, "attended");
    EXPECT_EQ(test::error_code_of([&] { book.check_in({unlock.confirmation_code, ""}, "unlock", "staff:o"); }),
              "appointments.not_booked");  // once only, whichever way it is named
    EXPECT_TRUE(book.due_now("unlock").empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, AppointmentsTest, ::testing::ValuesIn(test::db_kinds()), test::db_kind_name);
