// /api/v1/appointments: the public books, looks up and cancels with the confirmation code; the office lists a day.
#include "core/error.hpp"
#include "web/handlers/api_support.hpp"
#include "web/handlers/ra_routes.hpp"

namespace yq::web {

using nlohmann::json;

namespace {
json view(const ra::Appointment& a, const ra::OfficeCalendar& calendar) {
    return {{"id", a.id},
            {"purpose", a.purpose},
            {"slot_start", core::to_rfc3339(a.slot_start)},
            {"local_time", calendar.local_text(a.slot_start)},
            {"person_name", a.person_name},
            {"agency", a.agency},
            {"username", a.username},
            {"status", a.status}};
}
}  // namespace

void register_appointment_routes(Router& router, const RaRouteServices& s) {
    router.add("GET", "/api/v1/appointments/slots",
               [&s](const Request& req) {
                   std::string date = query_value(req, "date");
                   if (date.empty()) throw_bad_input("api.missing_field", "give the date: ?date=YYYY-MM-DD (office time)");
                   json out = json::array();
                   for (const auto& slot : s.calendar.slots_on(date)) {
                       int free = s.calendar.capacity() - s.appointments.booked_in(slot.start);
                       out.push_back({{"start", core::to_rfc3339(slot.start)}, {"local_time", slot.local_start},
                                      {"free", std::max(free, 0)}});
                   }
                   return json_response({{"date", date}, {"slots", out}});
               },
               Execution::Blocking, "api_appointments");
    router.add("POST", "/api/v1/appointments",
               [&s](const Request& req) {
                   json j = body_of(req);
                   std::string start = text_field(j, "slot_start");
                   auto b = s.appointments.book(text_field(j, "purpose"), core::parse_rfc3339(start),
                                                text_field(j, "name"), text_field(j, "contact"), "public:" + req.remote_address,
                                                ra::BookingDetails{text_field(j, "agency", false),
                                                                   text_field(j, "username", false)});
                   return json_response({{"confirmation_code", b.confirmation_code},
                                         {"local_time", b.local_time},
                                         {"appointment", view(b.appointment, s.calendar)}},
                                        201);
               },
               Execution::Blocking, "api_appointments");
    router.add("GET", "/api/v1/appointments/{code}",
               [&s](const Request& req) {
                   return json_response(view(s.appointments.find(req.param("code")), s.calendar));
               },
               Execution::Blocking, "api_appointments");
    router.add("DELETE", "/api/v1/appointments/{code}",
               [&s](const Request& req) {
                   s.appointments.cancel(req.param("code"), "public:" + req.remote_address);
                   return no_content();
               },
               Execution::Blocking, "api_appointments");
}

// The office's list of a day's appointments, with contacts (staff only; on the back-office listener when it has one).
void register_appointment_staff_routes(Router& router, const RaRouteServices& s) {
    router.add("GET", "/api/v1/appointments",
               [&s](const Request& req) {
                   auto who = principal_of(req, s.staff, s.csc);
                   ra::require_permission(who, ra::Action::AppointmentList);
                   std::string date = query_value(req, "date");
                   if (date.empty()) throw_bad_input("api.missing_field", "give the date: ?date=YYYY-MM-DD (office time)");
                   json out = json::array();
                   for (const auto& a : s.appointments.on_date(date)) {
                       json v = view(a, s.calendar);
                       v["contact"] = a.contact;
                       out.push_back(v);
                   }
                   return json_response({{"date", date}, {"appointments", out}});
               },
               Execution::Blocking, "api_appointments");
}

}  // namespace yq::web
