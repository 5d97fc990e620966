#include "web/handlers/api_support.hpp"

#include "core/error.hpp"
#include "core/secure_buffer.hpp"
#include "core/json_text.hpp"

namespace yq::web {

using nlohmann::json;

json body_of(const Request& req) {
    json j = json::parse(req.body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw_bad_input("api.bad_json", "the request body must be a JSON object");
    return j;
}

std::string text_field(const json& j, const char* key, bool required) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        if (required) throw_bad_input("api.missing_field", std::string("the field '") + key + "' is required");
        return {};
    }
    if (!it->is_string()) throw_bad_input("api.bad_field", std::string("the field '") + key + "' must be a string");
    return it->get<std::string>();
}

std::vector<std::string> list_field(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return {};
    if (!it->is_array()) throw_bad_input("api.bad_field", std::string("the field '") + key + "' must be a list of strings");
    std::vector<std::string> out;
    for (const auto& v : *it) {
        if (!v.is_string()) throw_bad_input("api.bad_field", std::string("the field '") + key + "' must be a list of strings");
        out.push_back(v.get<std::string>());
    }
    return out;
}

core::SecureString secret_field(json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string())
        throw_bad_input("api.missing_field", std::string("the field '") + key + "' is required");
    core::SecureString out = core::to_secure(it->get_ref<const std::string&>());
    wipe_json_string(*it);
    return out;
}

std::string query_value(const Request& req, const std::string& name) {
    std::size_t pos = 0;
    while (pos <= req.query.size()) {
        std::size_t amp = req.query.find('&', pos);
        if (amp == std::string::npos) amp = req.query.size();
        std::string pair = req.query.substr(pos, amp - pos);
        std::size_t eq = pair.find('=');
        std::string key = pair.substr(0, eq);
        if (key == name) {
            std::string v = eq == std::string::npos ? "" : pair.substr(eq + 1);
            for (char& c : v)
                if (c == '+') c = ' ';
            return url_decode(v);
        }
        pos = amp + 1;
    }
    return {};
}

Response json_response(const json& body, int status) {
    Response r = Response::bytes("application/json", core::json_text(body));
    r.status = status;
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

Response no_content() {
    Response r;
    r.status = 204;
    r.content_type = "application/json";
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

std::string bearer_token(const Request& req) {
    std::string h = req.header("authorization");
    if (h.size() < 8 || h.compare(0, 7, "Bearer ") != 0)
        throw Error("auth.missing_token", 401, "sign in first: send Authorization: Bearer <access token>");
    return h.substr(7);
}

std::string signer_account(const Request& req, signing::CscService& csc) {
    std::string token = bearer_token(req);
    try {
        return csc.account_for_token(token);
    } catch (const Error&) {
        throw Error("auth.invalid_token", 401, "the access token is not valid any more; sign in again");
    }
}

nlohmann::json appointment_json(const ra::Appointment& a, const ra::OfficeCalendar& calendar) {
    return {{"id", a.id},
            {"purpose", a.purpose},
            {"slot_start", core::to_rfc3339(a.slot_start)},
            {"local_time", calendar.local_text(a.slot_start)},
            {"person_name", a.person_name},
            {"agency", a.agency},
            {"username", a.username},
            {"status", a.status}};
}

ra::Principal principal_of(const Request& req, ra::StaffDirectory& staff, signing::CscService& csc) {
    std::string token = bearer_token(req);
    try {
        return staff.principal_for_token(token);
    } catch (const Error&) {
    }
    try {
        std::string account = csc.account_for_token(token);
        return ra::Principal{"signer:" + account, {ra::Role::Signer}, "", false};
    } catch (const Error&) {
        throw Error("auth.invalid_token", 401, "the access token is not valid any more; sign in again");
    }
}

}  // namespace yq::web
