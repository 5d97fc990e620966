#pragma once
// The registration office's JSON API (/api/v1): staff sign-in, agencies, representatives, letters, documents,
// applications, requests, appointments and the auditor's search. Described in docs/openapi.yaml (served at
// /api/openapi.yaml). Errors: {"error": code, "message": text, "details": [...]}.
#include "ra/appointments.hpp"
#include "ra/auditor_desk.hpp"
#include "ra/registration_office.hpp"
#include "ra/staff.hpp"
#include "signing/csc_service.hpp"
#include "web/router.hpp"

namespace yq::web {

struct RaRouteServices {
    ra::StaffDirectory& staff;
    ra::RegistrationOffice& office;
    ra::AppointmentBook& appointments;
    const ra::OfficeCalendar& calendar;
    ra::AuditorDesk& auditor;  // the audit log and (#16) the notices mailed or given up
    signing::CscService& csc;
};

void register_staff_routes(Router& router, const RaRouteServices& s);
void register_ra_routes(Router& router, const RaRouteServices& s);
void register_appointment_staff_routes(Router& router, const RaRouteServices& s);
void register_audit_routes(Router& router, const RaRouteServices& s);

}  // namespace yq::web
