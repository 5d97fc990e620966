#include "ra/appointments.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace yq::ra {

namespace {

constexpr std::size_t kCodeLength = 10;  // from a 32-letter alphabet: 50 bits, typed from a slip or an e-mail

std::string new_code() {
    static constexpr char kAlphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";  // no 0/O, 1/I
    std::string code;
    core::Bytes r = core::random_bytes(kCodeLength);
    for (std::uint8_t b : r) code.push_back(kAlphabet[b % 32]);  // 256 is a multiple of 32: uniform
    return code;
}

std::string normalised_code(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '-' || c == ' ') continue;
        out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
    return out;
}

}  // namespace

void AppointmentBook::ensure_hsm_keys(keystore::Keystore& keys) {
    if (!keys.has_key(kLookupMacLabel)) keys.generate_secret_key(kLookupMacLabel, keystore::SecretKeyKind::HmacSha256);
}

core::Bytes AppointmentBook::code_mac(const std::string& code) {
    std::string input = "appointment-code|" + normalised_code(code);
    return m_keys.hmac_sha256(kLookupMacLabel, reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}

Booking AppointmentBook::book(const std::string& purpose, std::int64_t slot_start, const std::string& person_name,
                              const std::string& contact, const std::string& actor, const BookingDetails& details) {
    if (purpose != "unlock" && purpose != "rekey" && purpose != "recovery" && purpose != "registration")
        throw_bad_input("appointments.bad_purpose", "the purpose must be unlock, rekey, recovery or registration");
    if (person_name.empty() || person_name.size() > 128)
        throw_bad_input("appointments.bad_name", "the name must have 1–128 characters");
    if (contact.size() < 5 || contact.size() > 128)
        throw_bad_input("appointments.bad_contact", "give an e-mail address or a phone number to reach you");
    if (details.agency.size() > 200 || details.username.size() > 64)
        throw_bad_input("appointments.bad_details", "the agency has at most 200 characters, the username at most 64");
    if (purpose == "registration" && details.agency.empty())
        throw_bad_input("appointments.agency_required", "give the agency you come to register (or to register for)");
    if (purpose != "registration" && details.username.empty())
        throw_bad_input("appointments.username_required", "give the cloud-signing username this is about");
    std::int64_t now = m_clock.unix_seconds();
    if (slot_start <= now) throw_bad_input("appointments.in_the_past", "that time has passed; choose a later slot");
    if (!m_calendar.is_slot_start(slot_start))
        throw_bad_input("appointments.outside_office_hours",
                        "appointments are only inside office hours (Mon–Thu 9:00–17:45, Fri 9:00–17:30)");
    Booking b;
    b.confirmation_code = new_code();
    b.local_time = m_calendar.local_text(slot_start);
    Appointment& a = b.appointment;
    a.id = "apt_" + core::random_token(12);
    a.purpose = purpose;
    a.slot_start = slot_start;
    a.person_name = person_name;
    a.contact = contact;
    a.status = "booked";
    a.agency = details.agency;
    a.username = details.username;
    m_store.book(a, code_mac(b.confirmation_code), m_calendar.capacity(), now,
                 audit::Event{actor, "appointment.booked", "appointment:" + a.id,
                              audit::details({{"purpose", purpose}, {"slot", b.local_time}}), now});
    return b;
}

Appointment AppointmentBook::find(const std::string& confirmation_code) {
    auto a = m_store.by_code(code_mac(confirmation_code));
    if (!a) throw_not_found("appointments.unknown_code", "no appointment has this confirmation code");
    return *a;
}

void AppointmentBook::cancel(const std::string& confirmation_code, const std::string& actor) {
    Appointment a = find(confirmation_code);
    if (!m_store.cancel(a, audit::Event{actor, "appointment.cancelled", "appointment:" + a.id, "{}", m_clock.unix_seconds()}))
        throw_conflict("appointments.not_booked", "this appointment is already cancelled or attended");
}

}  // namespace yq::ra

namespace yq::ra {

namespace {
// From 30 minutes before the slot until 2 hours after it.
bool due_at(const Appointment& a, std::int64_t now) { return now >= a.slot_start - 30 * 60 && now <= a.slot_start + 2 * 3600; }
}  // namespace

Appointment AppointmentBook::check_in(const AppointmentChoice& choice, const std::string& purpose,
                                      const std::string& actor, const std::string& username) {
    Appointment a;
    if (!choice.id.empty()) {
        auto picked = m_store.appointment_by_id(choice.id);
        if (!picked) throw_not_found("appointments.unknown_appointment", "no appointment has this id");
        a = *picked;
    } else if (!choice.code.empty()) {
        a = find(choice.code);
    } else {
        throw_bad_input("appointments.code_required",
                        "this is done only at an appointment: pick it from today's list or give its confirmation code");
    }
    if (a.purpose != purpose)
        throw_conflict("appointments.wrong_purpose", "the appointment was booked for " + a.purpose + ", not " + purpose);
    if (a.status != "booked") throw_conflict("appointments.not_booked", "the appointment is " + a.status);
    if (!username.empty() && !a.username.empty() && a.username != username)
        throw_conflict("appointments.other_user", "the appointment was booked for the username " + a.username);
    std::int64_t now = m_clock.unix_seconds();
    if (!due_at(a, now))
        throw_conflict("appointments.not_now", "the appointment is at " + m_calendar.local_text(a.slot_start) +
                                                   " (office time); it can be used only then");
    if (!m_store.mark_attended(a.id, audit::Event{actor, "appointment.attended", "appointment:" + a.id, "{}", now}))
        throw_conflict("appointments.not_booked", "the appointment was used or cancelled at the same time");
    a.status = "attended";
    return a;
}

std::vector<Appointment> AppointmentBook::due_now(const std::string& purpose) {
    std::int64_t now = m_clock.unix_seconds();
    std::vector<Appointment> out;
    for (auto& a : m_store.appointments_between(now - 2 * 3600, now + 30 * 60 + 1))
        if (a.purpose == purpose && a.status == "booked" && due_at(a, now)) out.push_back(std::move(a));
    return out;
}

std::vector<Appointment> AppointmentBook::on_date(const std::string& local_date) {
    auto slots = m_calendar.slots_on(local_date);
    if (slots.empty()) return {};
    return m_store.appointments_between(slots.front().start, slots.back().end);
}

std::vector<SlotSeats> AppointmentBook::seats_on(const std::string& local_date) {
    std::vector<SlotSeats> out;
    for (auto& slot : m_calendar.slots_on(local_date)) {
        int free = std::max(m_calendar.capacity() - m_store.bookings_in_slot(slot.start), 0);
        out.push_back({std::move(slot), free});
    }
    return out;
}

}  // namespace yq::ra
