#pragma once
namespace yq::storage::sql {

inline constexpr const char* kEnsureSlot =
    "INSERT INTO appointment_slots (slot_start, booked) VALUES ($1, 0) ON CONFLICT (slot_start) DO NOTHING";
// Capacity is taken atomically (the row lock serialises bookers on PostgreSQL; SQLite holds the write lock).
inline constexpr const char* kTakeSlot =
    "UPDATE appointment_slots SET booked = booked + 1 WHERE slot_start = $1 AND booked < $2 RETURNING booked";
inline constexpr const char* kReleaseSlot =
    "UPDATE appointment_slots SET booked = booked - 1 WHERE slot_start = $1 AND booked > 0";
inline constexpr const char* kActiveForContact =
    "SELECT id FROM appointments WHERE contact = $1 AND purpose = $2 AND status = 'booked' AND slot_start > $3";
inline constexpr const char* kInsertAppointment =
    "INSERT INTO appointments (id, purpose, slot_start, person_name, contact, code_mac, status, created_at, agency, "
    "username) VALUES ($1, $2, $3, $4, $5, $6, 'booked', $7, $8, $9)";
inline constexpr const char* kAppointmentByCode =
    "SELECT id, purpose, slot_start, person_name, contact, status, agency, username FROM appointments "
    "WHERE code_mac = $1";
inline constexpr const char* kAppointmentById =
    "SELECT id, purpose, slot_start, person_name, contact, status, agency, username FROM appointments WHERE id = $1";
inline constexpr const char* kCancelAppointment =
    "UPDATE appointments SET status = 'cancelled' WHERE id = $1 AND status = 'booked'";
inline constexpr const char* kAttendAppointment =
    "UPDATE appointments SET status = 'attended' WHERE id = $1 AND status = 'booked'";
inline constexpr const char* kAppointmentsBetween =
    "SELECT id, purpose, slot_start, person_name, contact, status, agency, username FROM appointments "
    "WHERE slot_start >= $1 AND slot_start < $2 ORDER BY slot_start, created_at";
inline constexpr const char* kSlotBookings = "SELECT booked FROM appointment_slots WHERE slot_start = $1";

}  // namespace yq::storage::sql
