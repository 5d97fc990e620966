// storage's implementation of ra::AppointmentStore (part of SqlStore).
#include "core/error.hpp"
#include "storage/audit_append.hpp"
#include "storage/sql/appointments_sql.hpp"
#include "storage/sql_store.hpp"

namespace yq::storage {

namespace {
ra::Appointment appointment_from_row(const Row& r) {
    return ra::Appointment{r.text(0), r.text(1), r.integer(2), r.text(3), r.text(4), r.text(5), r.text(6), r.text(7)};
}
}  // namespace

void SqlStore::book(const ra::Appointment& a, const core::Bytes& code_mac, int capacity, std::int64_t now,
                    const audit::Event& e) {
    m_db.transact([&](Connection& c) {
        if (c.query_one(sql::kActiveForContact, {a.contact, a.purpose, now}))
            throw_conflict("appointments.already_booked",
                           "you already have a booking for this; cancel it with its confirmation code to choose another");
        c.execute(sql::kEnsureSlot, {a.slot_start});
        if (!c.query_one(sql::kTakeSlot, {a.slot_start, std::int64_t{capacity}}))
            throw_conflict("appointments.slot_full", "this slot is fully booked; choose another time");
        c.execute(sql::kInsertAppointment,
                  {a.id, a.purpose, a.slot_start, a.person_name, a.contact, code_mac, now, a.agency, a.username});
        append_audit_event(c, e);
    });
}

std::optional<ra::Appointment> SqlStore::by_code(const core::Bytes& code_mac) {
    std::optional<ra::Appointment> out;
    m_db.with_connection([&](Connection& c) {
        if (auto r = c.query_one(sql::kAppointmentByCode, {code_mac})) out = appointment_from_row(*r);
    });
    return out;
}

std::optional<ra::Appointment> SqlStore::appointment_by_id(const std::string& id) {
    std::optional<ra::Appointment> out;
    m_db.with_connection([&](Connection& c) {
        if (auto r = c.query_one(sql::kAppointmentById, {id})) out = appointment_from_row(*r);
    });
    return out;
}

bool SqlStore::cancel(const ra::Appointment& a, const audit::Event& e) {
    bool ok = false;
    m_db.transact([&](Connection& c) {
        ok = c.execute(sql::kCancelAppointment, {a.id}) == 1;
        if (!ok) return;
        c.execute(sql::kReleaseSlot, {a.slot_start});
        append_audit_event(c, e);
    });
    return ok;
}

int SqlStore::bookings_in_slot(std::int64_t slot_start) {
    int n = 0;
    m_db.with_connection([&](Connection& c) {
        if (auto r = c.query_one(sql::kSlotBookings, {slot_start})) n = static_cast<int>(r->integer(0));
    });
    return n;
}

bool SqlStore::mark_attended(const std::string& id, const audit::Event& e) {
    bool ok = false;
    m_db.transact([&](Connection& c) {
        ok = c.execute(sql::kAttendAppointment, {id}) == 1;
        if (ok) append_audit_event(c, e);
    });
    return ok;
}

std::vector<ra::Appointment> SqlStore::appointments_between(std::int64_t from, std::int64_t to) {
    std::vector<ra::Appointment> out;
    m_db.with_connection([&](Connection& c) {
        for (const Row& r : c.query(sql::kAppointmentsBetween, {from, to}))
            out.push_back(appointment_from_row(r));
    });
    return out;
}

}  // namespace yq::storage
