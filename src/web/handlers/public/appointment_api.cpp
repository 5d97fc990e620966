// The public booking API (see appointment_api.hpp).
#include "web/handlers/public/appointment_api.hpp"

#include "core/error.hpp"
#include "web/handlers/api_support.hpp"

namespace yq::web {

namespace {

using nlohmann::json;

Response free_seats(const AppointmentApiServices& s, const Request& req) {
    std::string date = query_value(req, "date");
    if (date.empty()) throw_bad_input("api.missing_field", "give the date: ?date=YYYY-MM-DD (office time)");
    json out = json::array();
    for (const auto& [slot, free] : s.appointments.seats_on(date))
        out.push_back({{"start", core::to_rfc3339(slot.start)}, {"local_time", slot.local_start}, {"free", free}});
    return json_response({{"date", date}, {"slots", out}});
}

Response book(const AppointmentApiServices& s, const Request& req) {
    json j = body_of(req);
    std::string start = text_field(j, "slot_start");
    auto b = s.appointments.book(text_field(j, "purpose"), core::parse_rfc3339(start), text_field(j, "name"),
                                 text_field(j, "contact"), "public:" + req.remote_address,
                                 ra::BookingDetails{text_field(j, "agency", false), text_field(j, "username", false)});
    return json_response({{"confirmation_code", b.confirmation_code},
                          {"local_time", b.local_time},
                          {"appointment", appointment_json(b.appointment, s.calendar)}},
                         201);
}

Response find(const AppointmentApiServices& s, const Request& req) {
    return json_response(appointment_json(s.appointments.find(req.param("code")), s.calendar));
}

Response cancel(const AppointmentApiServices& s, const Request& req) {
    s.appointments.cancel(req.param("code"), "public:" + req.remote_address);
    return no_content();
}

}  // namespace

void register_appointment_api(Router& router, const AppointmentApiServices& s) {
    router.add("GET", "/api/v1/appointments/slots", with(s, free_seats), Execution::Blocking, "api_appointments");
    router.add("POST", "/api/v1/appointments", with(s, book), Execution::Blocking, "api_appointments");
    router.add("GET", "/api/v1/appointments/{code}", with(s, find), Execution::Blocking, "api_appointments");
    router.add("DELETE", "/api/v1/appointments/{code}", with(s, cancel), Execution::Blocking, "api_appointments");
}

}  // namespace yq::web
