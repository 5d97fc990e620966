#pragma once
// The appointment book: unlock, forgotten password (re-key) and registration are handled only in person, in a slot
// inside office hours. Booking takes a seat of the slot's capacity atomically; a person (by contact) holds at most one
// future booking per purpose; the confirmation code is shown once and only its HSM-keyed MAC is stored.
// Error style: throws yq::Error "appointments.*".
#include <optional>
#include <vector>
#include <string>

#include "audit/event.hpp"
#include "core/clock.hpp"
#include "keystore/keystore.hpp"
#include "ra/office_calendar.hpp"

namespace yq::ra {

inline constexpr const char* kLookupMacLabel = "yq-lookup-mac";  // HMAC key for codes and searchable hashes

struct Appointment {
    std::string id;
    std::string purpose;  // unlock | rekey | recovery | registration
    std::int64_t slot_start = 0;
    std::string person_name;
    std::string contact;  // e-mail or phone, to reach the person
    std::string status;   // booked | cancelled | attended
    std::string agency;    // the agency the person comes for (#16: what the clerk needs before the person comes)
    std::string username;  // the cloud-signing username (unlock, re-key, recovery)
};

// What the clerk needs to know before the person comes (#16): the agency (needed to register), and the
// cloud-signing username (needed to unlock, re-key or recover a sign-in).
struct BookingDetails {
    std::string agency;
    std::string username;
};

// How the counter names the person's appointment: the confirmation code they show, or the booking the clerk picked
// from the list of those due now (its id). One of the two.
struct AppointmentChoice {
    std::string code;
    std::string id;
};

// A slot with the seats still free in it.
struct SlotSeats {
    Slot slot;
    int free = 0;
};

struct Booking {
    Appointment appointment;
    std::string confirmation_code;  // shown once
    std::string local_time;         // "2026-11-26 09:15" office time
};

class AppointmentStore {
public:
    virtual ~AppointmentStore() = default;
    // Takes a seat (capacity) and records the booking with its audit event, in one transaction. Throws
    // "appointments.slot_full" or "appointments.already_booked".
    virtual void book(const Appointment& a, const core::Bytes& code_mac, int capacity, std::int64_t now,
                      const audit::Event& e) = 0;
    virtual std::optional<Appointment> by_code(const core::Bytes& code_mac) = 0;
    virtual std::optional<Appointment> appointment_by_id(const std::string& id) = 0;
    // Cancels and gives the seat back, audited; false when it was not booked (any more).
    virtual bool cancel(const Appointment& a, const audit::Event& e) = 0;
    virtual int bookings_in_slot(std::int64_t slot_start) = 0;
    // booked → attended, audited; false when it was not booked (any more).
    virtual bool mark_attended(const std::string& id, const audit::Event& e) = 0;
    // Bookings (any status) whose slot starts in [from, to), by slot time.
    virtual std::vector<Appointment> appointments_between(std::int64_t from, std::int64_t to) = 0;
};

class AppointmentBook {
public:
    AppointmentBook(const OfficeCalendar& calendar, AppointmentStore& store, keystore::Keystore& keys,
                    const core::Clock& clock)
        : m_calendar(calendar), m_store(store), m_keys(keys), m_clock(clock) {}

    static void ensure_hsm_keys(keystore::Keystore& keys);

    // Throws 400 "appointments.agency_required" (registration) / "appointments.username_required" (unlock, re-key,
    // recovery) when the details the clerk needs are missing.
    Booking book(const std::string& purpose, std::int64_t slot_start, const std::string& person_name,
                 const std::string& contact, const std::string& actor, const BookingDetails& details);
    Appointment find(const std::string& confirmation_code);  // throws "appointments.unknown_code"
    void cancel(const std::string& confirmation_code, const std::string& actor);
    // The person is at the counter for `purpose`: the booking must be for that purpose and its time must be now (from
    // 30 minutes before the slot until 2 hours after it). Marks it attended, so it cannot be used twice.
    // The appointment by its code or by the id the clerk picked; throws 400 "appointments.code_required" when neither,
    // 409 "appointments.other_user" when the booking names another username than `username`.
    Appointment check_in(const AppointmentChoice& choice, const std::string& purpose, const std::string& actor,
                         const std::string& username = "");
    // Bookings for `purpose` that can be checked in now (the clerk's list at the counter), by slot time.
    std::vector<Appointment> due_now(const std::string& purpose);
    std::vector<Appointment> on_date(const std::string& local_date);
    // Every slot of a local date with its free seats (capacity less bookings); a past date's slots too.
    std::vector<SlotSeats> seats_on(const std::string& local_date);

private:
    core::Bytes code_mac(const std::string& code);
    const OfficeCalendar& m_calendar;
    AppointmentStore& m_store;
    keystore::Keystore& m_keys;
    const core::Clock& m_clock;
};

}  // namespace yq::ra
