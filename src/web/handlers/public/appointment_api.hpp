#pragma once
// /api/v1/appointments for the public: free seats of a day's slots, booking (the confirmation code is shown once),
// looking a booking up and cancelling it by its code. The office's list of a day is office/appointment_routes.cpp.
#include "ra/appointments.hpp"
#include "ra/office_calendar.hpp"
#include "web/router.hpp"

namespace yq::web {

// What the booking API uses; the routes keep a reference to it, so it lives as long as the server.
struct AppointmentApiServices {
    ra::AppointmentBook& appointments;
    const ra::OfficeCalendar& calendar;
};

void register_appointment_api(Router& router, const AppointmentApiServices& s);

}  // namespace yq::web
