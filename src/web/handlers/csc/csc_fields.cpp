#include "web/handlers/csc/csc_fields.hpp"

#include "core/json_text.hpp"
#include "signing/algorithms.hpp"
#include "signing/csc_error.hpp"
#include "web/handlers/json_wipe.hpp"

namespace yq::web::csc {

using nlohmann::json;
using signing::csc_error;

Response json_response(int status, const json& body) {
    Response r;
    r.status = status;
    r.content_type = "application/json";
    r.body = core::json_text(body);
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

Response csc_error_response(const Error& e, Dialect d) {
    const std::string& code = e.code();
    auto body = [](int status, const char* error, const std::string& text) {
        return json_response(status, json{{"error", error}, {"error_description", text}});
    };
    if (code.rfind("csc.", 0) == 0) return body(e.http_status(), code.substr(4).c_str(), e.what());
    // One answer for a wrong PIN, a wrong OTP and a replayed OTP in both dialects (#14): no oracle for either secret.
    if (code == "accounts.wrong_signing_secrets")
        return d == Dialect::V1 ? body(400, "invalid_pin", "The PIN or OTP is invalid")
                                : body(400, "invalid_authentication_data", "The authentication data is invalid");
    if (code == "accounts.locked") return body(400, "invalid_request", d == Dialect::V1 ? "PIN locked" : "Credential locked");
    if (code == "accounts.disabled" || code == "accounts.credential_disabled")
        return body(400, "invalid_request", "The credential identified by credentialID is disabled");
    if (code == "accounts.unknown_credential") return body(400, "invalid_request", "Invalid parameter credentialID");
    if (code == "accounts.unknown_account")
        return body(401, "invalid_token", "The token provided is not a valid OAuth access or refresh token.");
    if (code == "db.busy" || code == "hsm.unavailable" || code == "db.unavailable" || code == "db.full" ||
        code == "db.io_error" || code == "tsa.time_not_available")
        return body(503, "temporarily_unavailable", "The service is temporarily unavailable");
    // Any other refusal (e.g. "accounts.signing_key_not_created") says what to do.
    if (e.http_status() < 500) return body(400, "invalid_request", e.what());
    return body(500, "server_error", "The service could not complete the request");
}

json parse_body(const Request& req) {
    if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) return json::object();  // CT/SR send no body
    json j = json::parse(req.body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) csc_error(400, "invalid_request", "Malformed request body");
    return j;
}

std::optional<std::string> opt_string(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) csc_error(400, "invalid_request", std::string("Invalid parameter ") + key);
    return it->get<std::string>();
}

std::string req_string(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null() || !it->is_string() || it->get_ref<const std::string&>().empty())
        csc_error(400, "invalid_request", std::string("Missing (or invalid type) string parameter ") + key);
    return it->get<std::string>();
}

bool opt_bool(const json& j, const char* key, bool fallback) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return fallback;
    if (!it->is_boolean()) csc_error(400, "invalid_request", std::string("Invalid parameter ") + key);
    return it->get<bool>();
}

int req_int(const json& j, const char* key) {
    auto it = j.find(key);
    // Postman's v1 collection sends numSignatures as "1": accept a decimal string too
    if (it != j.end() && it->is_string()) {
        const std::string& s = it->get_ref<const std::string&>();
        if (!s.empty() && s.size() < 10 && s.find_first_not_of("0123456789") == std::string::npos) return std::stoi(s);
    }
    if (it == j.end() || !it->is_number_integer())
        csc_error(400, "invalid_request", std::string("Missing (or invalid type) integer parameter ") + key);
    auto v = it->get<long long>();
    if (v < 0 || v > 1000000) csc_error(400, "invalid_request", std::string("Invalid value for parameter ") + key);
    return static_cast<int>(v);
}

std::vector<core::Bytes> hash_list(const json& j, const char* key, bool required) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        if (required) csc_error(400, "invalid_request", std::string("Missing (or invalid type) array parameter ") + key);
        return {};
    }
    if (!it->is_array()) csc_error(400, "invalid_request", std::string("Missing (or invalid type) array parameter ") + key);
    if (it->empty()) csc_error(400, "invalid_request", "Empty hash array");
    if (it->size() > 10000) csc_error(400, "invalid_request", "Numbers of signatures is too high");
    std::vector<core::Bytes> out;
    for (const auto& h : *it) {
        if (!h.is_string()) csc_error(400, "invalid_request", "Invalid Base64 hash string parameter");
        try {
            out.push_back(core::base64_decode(h.get<std::string>()));
        } catch (const Error&) {
            csc_error(400, "invalid_request", "Invalid Base64 hash string parameter");
        }
    }
    return out;
}

std::string bearer_token(const Request& req) {
    std::string h = req.header("authorization");
    if (h.empty()) csc_error(401, "invalid_token", "The token provided is not a valid OAuth access or refresh token.");
    if (h.size() < 7 || (h.compare(0, 7, "Bearer ") != 0 && h.compare(0, 7, "bearer ") != 0))
        csc_error(400, "invalid_request", "Malformed authorization header");
    return h.substr(7);
}

core::SecureString password_field(json& j, Dialect d) {
    auto take = [](json& value) {
        core::SecureString out = core::to_secure(value.get_ref<const std::string&>());
        wipe_json_string(value);
        return out;
    };
    // v2: authData [{"id": "PIN", "value": …}]; v1 and some v2 clients: top-level "PIN"
    if (auto it = j.find("authData"); d == Dialect::V2 && it != j.end() && it->is_array()) {
        for (auto& o : *it)
            if (o.is_object() && o.value("id", "") == "PIN") {
                auto value = o.find("value");
                if (value == o.end() || !value->is_string()) csc_error(400, "invalid_request", "Invalid parameter PIN");
                return take(*value);
            }
    }
    auto it = j.find("PIN");
    if (it == j.end() || it->is_null()) return {};
    if (!it->is_string()) csc_error(400, "invalid_request", "Invalid parameter PIN");
    return take(*it);
}

std::string otp_field(const json& j, Dialect d) {
    if (auto it = j.find("authData"); d == Dialect::V2 && it != j.end() && it->is_array()) {
        for (const auto& o : *it)
            if (o.is_object() && o.value("id", "") == "OTP") {
                if (!o.contains("value") || !o["value"].is_string()) csc_error(400, "invalid_request", "Invalid parameter OTP");
                return o["value"].get<std::string>();
            }
    }
    auto it = j.find("OTP");
    if (it == j.end() || it->is_null()) return {};
    if (!it->is_string()) csc_error(400, "invalid_request", "Invalid parameter OTP");
    return it->get<std::string>();
}

Call authenticated(signing::CscService& csc, const Request& req) {
    Call c{csc.account_for_token(bearer_token(req)), parse_body(req)};
    opt_string(c.body, "clientData");
    return c;
}

std::string hash_oid_for(const json& j, const std::vector<core::Bytes>& hashes) {
    std::string oid = opt_string(j, "hashAlgorithmOID").value_or(opt_string(j, "hashAlgo").value_or(""));
    if (oid.empty() && !hashes.empty())
        oid = hashes.front().size() == 48 ? signing::kOidSha384
              : hashes.front().size() == 64 ? signing::kOidSha512
                                            : signing::kOidSha256;
    return oid;
}

}  // namespace yq::web::csc
