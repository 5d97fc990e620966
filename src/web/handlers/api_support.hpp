#pragma once
// Shared pieces of the JSON API handlers: request bodies, fields, responses and who is calling.
#include <nlohmann/json.hpp>
#include <string>

#include "ra/appointments.hpp"
#include "ra/staff.hpp"
#include "signing/csc_service.hpp"
#include "web/handlers/json_wipe.hpp"
#include "web/http_types.hpp"

namespace yq::web {

nlohmann::json body_of(const Request& req);  // throws 400 "api.bad_json"
std::string text_field(const nlohmann::json& j, const char* key, bool required = true);
std::vector<std::string> list_field(const nlohmann::json& j, const char* key);
// The field as a SecureString; its copy inside `j` is wiped (#14: a password does not outlive its request in the
// parsed body either).
core::SecureString secret_field(nlohmann::json& j, const char* key);

std::string query_value(const Request& req, const std::string& name);  // "" when absent
Response json_response(const nlohmann::json& body, int status = 200);
Response no_content();
std::string bearer_token(const Request& req);  // throws 401 "auth.missing_token"

// The account a signer's bearer token (CSC auth/login) was issued to: 401 "auth.missing_token" without a token,
// 401 "auth.invalid_token" when it is not valid any more.
std::string signer_account(const Request& req, signing::CscService& csc);

// A booking as the appointment API shows it (the contact only in the office's list).
nlohmann::json appointment_json(const ra::Appointment& a, const ra::OfficeCalendar& calendar);

// The caller: a staff or representative sign-in, or a signer (CSC token) who holds the role "signer" only.
ra::Principal principal_of(const Request& req, ra::StaffDirectory& staff, signing::CscService& csc);

}  // namespace yq::web
