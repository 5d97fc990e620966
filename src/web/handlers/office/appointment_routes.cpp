// GET /api/v1/appointments: the office's list of a day's appointments, with contacts (staff only; on the back-office
// listener when it has one). The public booking API is public/appointment_api.cpp.
#include "core/error.hpp"
#include "web/handlers/api_support.hpp"
#include "web/handlers/office/ra_routes.hpp"

namespace yq::web {

namespace {

using nlohmann::json;

Response day_list(const RaRouteServices& s, const Request& req) {
    auto who = principal_of(req, s.staff, s.csc);
    ra::require_permission(who, ra::Action::AppointmentList);
    std::string date = query_value(req, "date");
    if (date.empty()) throw_bad_input("api.missing_field", "give the date: ?date=YYYY-MM-DD (office time)");
    json out = json::array();
    for (const auto& a : s.appointments.on_date(date)) {
        json v = appointment_json(a, s.calendar);
        v["contact"] = a.contact;
        out.push_back(v);
    }
    return json_response({{"date", date}, {"appointments", out}});
}

}  // namespace

void register_appointment_staff_routes(Router& router, const RaRouteServices& s) {
    router.add("GET", "/api/v1/appointments", with(s, day_list), Execution::Blocking, "api_appointments");
}

}  // namespace yq::web
