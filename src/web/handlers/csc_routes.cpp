#include "web/handlers/csc_routes.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "signing/algorithms.hpp"
#include "signing/csc_error.hpp"
#include "web/handlers/json_wipe.hpp"
#include "core/json_text.hpp"

namespace yq::web {

namespace {

using nlohmann::json;
using signing::csc_error;

enum class Dialect { V1, V2 };

Response json_response(int status, const json& body) {
    Response r;
    r.status = status;
    r.content_type = "application/json";
    r.body = core::json_text(body);
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

// CSC API v2 §10.1: {"error": …, "error_description": …}. accounts.* errors become the dialect's CSC errors.
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

// The PIN, its copy in the parsed body wiped (#14).
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

json credential_info_json(const signing::CredentialInfo& info, const json& req, Dialect d) {
    std::string certificates = opt_string(req, "certificates").value_or("single");
    if (certificates != "none" && certificates != "single" && certificates != "chain")
        csc_error(400, "invalid_request", "Invalid parameter certificates");
    bool cert_info = opt_bool(req, "certInfo", false), auth_info = opt_bool(req, "authInfo", false);
    json key = {{"status", info.key_status}, {"algo", info.algorithms}, {"len", info.key_bits}};
    if (!info.curve.empty()) key["curve"] = info.curve;
    json cert = {{"status", info.cert_status}};
    if (certificates != "none") {
        json list = json::array();
        for (std::size_t i = 0; i < (certificates == "chain" ? info.chain.size() : 1); ++i)
            list.push_back(core::base64_encode(info.chain[i]));
        cert["certificates"] = list;
    }
    if (cert_info) {
        cert["issuerDN"] = info.issuer_dn;
        cert["subjectDN"] = info.subject_dn;
        cert["serialNumber"] = info.serial_hex;
        cert["validFrom"] = info.valid_from;
        cert["validTo"] = info.valid_to;
    }
    json out = {{"description", info.description}, {"key", key}, {"cert", cert}, {"multisign", info.multisign},
                {"lang", "en-US"}};
    if (d == Dialect::V2) {
        out["SCAL"] = std::to_string(info.scal);
        json objects = json::array({{{"type", "Password"}, {"id", "PIN"}, {"format", "A"}, {"label", "Signing password"},
                                     {"description", "The signing password of this credential"}}});
        if (info.otp_required)
            objects.push_back({{"type", "Password"}, {"id", "OTP"}, {"format", "N"}, {"generator", "totp"},
                               {"label", "One-time password"}, {"description", "6 digits from the authenticator app"}});
        out["auth"] = {{"mode", "explicit"}, {"expression", info.otp_required ? "PIN AND OTP" : "PIN"}, {"objects", objects}};
    } else {
        out["authMode"] = "explicit";
        out["SCAL"] = std::to_string(info.scal);
        if (auth_info) {  // v1: PIN/OTP objects only with authInfo=true in explicit mode
            out["PIN"] = {{"presence", "true"}, {"format", "A"}, {"label", "Signing password"},
                          {"description", "The signing password of this credential"}};
            out["OTP"] = {{"presence", info.otp_required ? "true" : "false"}, {"type", "offline"}, {"format", "N"},
                          {"label", "One-time password"}, {"description", "6 digits from the authenticator app"},
                          {"ID", "totp"}, {"provider", "yunqian"}};
        }
    }
    return out;
}

// The preamble of every authenticated method: bearer token → account, then the JSON body (clientData checked).
struct Call {
    std::string account;
    json body;
};
Call authenticated(signing::CscService& csc, const Request& req) {
    Call c{csc.account_for_token(bearer_token(req)), parse_body(req)};
    opt_string(c.body, "clientData");
    return c;
}

// hashAlgorithmOID (v1 clients may send hashAlgo or nothing: then the digest length tells SHA-256/384/512 apart).
std::string hash_oid_for(const json& j, const std::vector<core::Bytes>& hashes) {
    std::string oid = opt_string(j, "hashAlgorithmOID").value_or(opt_string(j, "hashAlgo").value_or(""));
    if (oid.empty() && !hashes.empty())
        oid = hashes.front().size() == 48 ? signing::kOidSha384
              : hashes.front().size() == 64 ? signing::kOidSha512
                                            : signing::kOidSha256;
    return oid;
}

// signDoc conformance_level: Ades-B-B … Ades-B-LTA, matched case-insensitively (clients spell it AdES-… too).
pades::Level conformance_level(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (text == "ades-b-b" || text == "ades-b") return pades::Level::BB;
    if (text == "ades-b-t" || text == "ades-t") return pades::Level::BT;
    if (text == "ades-b-lt" || text == "ades-lt") return pades::Level::BLT;
    if (text == "ades-b-lta" || text == "ades-lta") return pades::Level::BLTA;
    csc_error(400, "invalid_request", "Invalid parameter conformance_level");
}

std::string decode_document(const std::string& b64) {
    try {
        core::Bytes b = core::base64_decode(b64);
        return std::string(b.begin(), b.end());
    } catch (const Error&) {
        csc_error(400, "invalid_request", "Invalid parameter documents");
    }
}

// signed_props [{attribute_name, attribute_value}]: reason and location, and yunqian's placement of the visible
// signature (yq:page, yq:rect "x1,y1,x2,y2", yq:field, yq:invisible). Default: a box at the bottom left of page 1.
void apply_signed_props(const json& item, pades::SignPdfRequest& r) {
    r.placement.kind = pades::Placement::Kind::Rectangle;
    r.placement.page = 1;
    r.placement.x1 = 36, r.placement.y1 = 36, r.placement.x2 = 296, r.placement.y2 = 136;
    auto it = item.find("signed_props");
    if (it == item.end() || it->is_null()) return;
    if (!it->is_array()) csc_error(400, "invalid_request", "Invalid parameter signed_props");
    for (const json& p : *it) {
        if (!p.is_object() || !p.contains("attribute_name") || !p["attribute_name"].is_string() ||
            !p.contains("attribute_value") || !p["attribute_value"].is_string())
            csc_error(400, "invalid_request", "Invalid parameter signed_props");
        std::string name = p["attribute_name"], value = p["attribute_value"];
        if (name == "reason") r.reason = value;
        else if (name == "location") r.location = value;
        else if (name == "yq:page") r.placement.page = std::atoi(value.c_str());
        else if (name == "yq:field") r.placement.kind = pades::Placement::Kind::Field, r.placement.field_name = value;
        else if (name == "yq:invisible" && value == "true") r.placement.kind = pades::Placement::Kind::Invisible;
        else if (name == "yq:rect") {
            if (std::sscanf(value.c_str(), "%lf,%lf,%lf,%lf", &r.placement.x1, &r.placement.y1, &r.placement.x2,
                            &r.placement.y2) != 4)
                csc_error(400, "invalid_request", "Invalid parameter signed_props");
        }
    }
}

using Method = std::function<Response(const Request&, Dialect)>;

void add(Router& router, Dialect d, const std::string& method, Method fn, Execution ex = Execution::Blocking) {
    std::string base = d == Dialect::V1 ? "/csc/v1/" : "/csc/v2/";
    Handler h = [fn, d](const Request& req) {
        try {
            return fn(req, d);
        } catch (const Error& e) {
            // #17: the CSC body names no cause for 5xx (temporarily_unavailable, server_error); the operator's log does
            if (e.http_status() >= 500) spdlog::error("request {} {} failed: {} ({})", req.request_id, req.path, e.what(), e.code());
            return csc_error_response(e, d);
        }
    };
    router.add("POST", base + method, h, ex, d == Dialect::V1 ? "csc_v1" : "csc_v2");
}

}  // namespace

void register_csc_routes(Router& router, signing::CscService& csc, pades::PadesService& pades, const core::Config& config,
                         AttemptLimiter& sign_ins, const core::Clock& clock) {
    for (Dialect d : {Dialect::V1, Dialect::V2}) {
        auto info = [&config](const Request& req, Dialect dialect) {
            parse_body(req);
            json out = {{"specs", dialect == Dialect::V1 ? "1.0.4.0" : "2.0.0.2"},
                        {"name", config.csc.name},
                        {"logo", config.csc.logo_url},
                        {"region", config.csc.region},
                        {"lang", "en-US"},
                        {"description", config.csc.description},
                        {"authType", json::array({"basic"})}};
            json methods = json::array({"auth/login", "auth/revoke", "credentials/list", "credentials/info",
                                        "credentials/authorize", "credentials/extendTransaction", "signatures/signHash",
                                        "signatures/timestamp"});
            if (dialect == Dialect::V2) methods.push_back("signatures/signDoc");
            out["methods"] = methods;
            if (dialect == Dialect::V2) {
                out["signAlgorithms"] = {{"algos", json::array({signing::kOidSha256WithRsa, signing::kOidSha384WithRsa,
                                                                signing::kOidSha512WithRsa, signing::kOidRsaEncryption,
                                                                signing::kOidRsaPss, signing::kOidEcdsaSha256,
                                                                signing::kOidEcdsaSha384, signing::kOidEcdsaSha512})}};
                out["signature_formats"] = {{"formats", json::array({"C", "P"})},
                                            {"envelope_properties", json::array({json::array({"Detached"}),
                                                                                 json::array({"Certification", "Revision"})})}};
                out["conformance_levels"] = json::array({"Ades-B-B", "Ades-B-T", "Ades-B-LT", "Ades-B-LTA"});
            }
            return json_response(200, out);
        };
        add(router, d, "info", info, Execution::Inline);
        router.add("GET", std::string(d == Dialect::V1 ? "/csc/v1/" : "/csc/v2/") + "info",
                   [info, d](const Request& r) { return info(r, d); }, Execution::Inline,
                   d == Dialect::V1 ? "csc_v1" : "csc_v2");

        add(router, d, "auth/login", [&csc, &sign_ins, &clock](const Request& req, Dialect) {
            parse_body(req);
            std::string_view h = req.header_view("authorization");  // no copy: it carries the password
            if (h.size() < 6 || h.compare(0, 6, "Basic ") != 0) csc_error(400, "invalid_request", "Malformed authorization header");
            core::Bytes decoded;
            try {
                decoded = core::base64_decode(h.substr(6));
            } catch (const Error&) {
                csc_error(400, "invalid_request", "Malformed authorization header");
            }
            core::SecureString pair(decoded.begin(), decoded.end());
            core::secure_wipe(decoded.data(), decoded.size());
            auto colon = std::find(pair.begin(), pair.end(), ':');
            if (colon == pair.end()) csc_error(400, "invalid_request", "Malformed username-password");
            std::string username(pair.begin(), colon);
            core::SecureString password(colon + 1, pair.end());
            // Online guessing: failures are limited per client address and per username before any password check.
            std::int64_t now = clock.unix_seconds();
            if (std::int64_t wait = sign_in_wait(sign_ins, req.remote_address, username, now); wait > 0) {
                Response r = json_response(429, json{{"error", "invalid_request"},
                                                     {"error_description", "Too many failed sign-in attempts; try again in " +
                                                                               std::to_string(wait) + " seconds"}});
                r.headers.emplace_back("Retry-After", std::to_string(wait));
                return r;
            }
            try {
                auto token = csc.login(username, password);
                return json_response(200, json{{"access_token", token.access_token}, {"expires_in", token.expires_in}});
            } catch (const Error& e) {
                if (e.code() == "csc.authentication_error") record_sign_in_failure(sign_ins, req.remote_address, username, now);
                throw;
            }
        });

        add(router, d, "auth/revoke", [&csc](const Request& req, Dialect) {
            std::string account = csc.account_for_token(bearer_token(req));
            json j = parse_body(req);
            csc.revoke(account, req_string(j, "token"));
            Response r;
            r.status = 204;  // CSC API §11.3
            r.content_type = "application/json";
            return r;
        });

        add(router, d, "credentials/list", [&csc](const Request& req, Dialect dialect) {
            auto [account, j] = authenticated(csc, req);
            if (j.contains("userID") && !j["userID"].is_null()) csc_error(400, "invalid_request", "userID parameter MUST be null");
            bool only_valid = dialect == Dialect::V2 && opt_bool(j, "onlyValid", false);
            auto ids = csc.list_credentials(account, only_valid);
            json out = {{"credentialIDs", ids}};
            if (dialect == Dialect::V1) {
                // v1 paging: maxResults and an opaque pageToken (the offset)
                std::size_t offset = 0, max = ids.size();
                if (auto t = opt_string(j, "pageToken")) {
                    if (t->empty() || t->size() > 9 || t->find_first_not_of("0123456789") != std::string::npos)
                        csc_error(400, "invalid_request", "Invalid parameter pageToken");
                    offset = std::stoul(*t);
                }
                if (j.contains("maxResults") && !j["maxResults"].is_null()) {
                    if (!j["maxResults"].is_number_integer() || j["maxResults"].get<long long>() < 1)
                        csc_error(400, "invalid_request", "Invalid parameter maxResults");
                    max = static_cast<std::size_t>(j["maxResults"].get<long long>());
                }
                std::vector<std::string> page;
                for (std::size_t i = offset; i < ids.size() && page.size() < max; ++i) page.push_back(ids[i]);
                out["credentialIDs"] = page;
                if (offset + page.size() < ids.size()) out["nextPageToken"] = std::to_string(offset + page.size());
            } else {
                if (opt_bool(j, "credentialInfo", false)) {
                    json infos = json::array();
                    for (const auto& id : ids) {
                        json i = credential_info_json(csc.credential_info(account, id), j, dialect);
                        i["credentialID"] = id;
                        infos.push_back(i);
                    }
                    out["credentialInfos"] = infos;
                }
                if (j.contains("onlyValid")) out["onlyValid"] = only_valid;
            }
            return json_response(200, out);
        });

        add(router, d, "credentials/info", [&csc](const Request& req, Dialect dialect) {
            auto [account, j] = authenticated(csc, req);
            return json_response(200, credential_info_json(csc.credential_info(account, req_string(j, "credentialID")), j, dialect));
        });

        add(router, d, "credentials/authorize", [&csc](const Request& req, Dialect dialect) {
            auto [account, j] = authenticated(csc, req);
            signing::AuthorizeRequest r;
            r.credential_id = req_string(j, "credentialID");
            r.num_signatures = req_int(j, "numSignatures");
            r.hashes = hash_list(j, dialect == Dialect::V1 ? "hash" : "hashes", false);
            if (dialect == Dialect::V2 && r.hashes.empty()) r.hashes = hash_list(j, "hash", false);  // S1 keeps "hash"
            r.hash_algorithm_oid = hash_oid_for(j, r.hashes);
            if (opt_string(j, "description").value_or("").size() > 500)
                csc_error(400, "invalid_request", "Invalid parameter description");
            r.pin = password_field(j, dialect);
            r.otp = otp_field(j, dialect);
            auto grant = csc.authorize(account, r);
            return json_response(200, json{{"SAD", grant.sad}, {"expiresIn", grant.expires_in}});
        });

        add(router, d, "credentials/extendTransaction", [&csc](const Request& req, Dialect dialect) {
            auto [account, j] = authenticated(csc, req);
            auto hashes = hash_list(j, dialect == Dialect::V1 ? "hash" : "hashes", false);
            auto grant = csc.extend_transaction(account, req_string(j, "credentialID"), req_string(j, "SAD"), hashes,
                                                hash_oid_for(j, hashes));
            return json_response(200, json{{"SAD", grant.sad}, {"expiresIn", grant.expires_in}});
        });

        add(router, d, "signatures/signHash", [&csc](const Request& req, Dialect dialect) {
            auto [account, j] = authenticated(csc, req);
            signing::SignHashRequest r;
            r.credential_id = req_string(j, "credentialID");
            r.sad = req_string(j, "SAD");
            r.hashes = hash_list(j, dialect == Dialect::V1 ? "hash" : "hashes", true);
            r.hash_field_name = dialect == Dialect::V1 ? "hashAlgo" : "hashAlgorithmOID";
            r.client = dialect == Dialect::V1 ? "csc/v1 signHash" : "csc/v2 signHash";
            r.hash_algorithm_oid = opt_string(j, r.hash_field_name.c_str()).value_or("");
            r.sign_algo = req_string(j, "signAlgo");
            if (auto p = opt_string(j, "signAlgoParams")) {
                try {
                    r.sign_algo_params = core::base64_decode(*p);
                } catch (const Error&) {
                    csc_error(400, "invalid_request", "Invalid parameter signAlgoParams");
                }
            }
            if (auto mode = opt_string(j, "operationMode"); mode && *mode != "S")
                csc_error(400, "invalid_request", "Invalid parameter operationMode");  // asynchronous mode not offered
            json signatures = json::array();
            for (const auto& s : csc.sign_hash(account, r)) signatures.push_back(core::base64_encode(s));
            return json_response(200, json{{"signatures", signatures}});
        });

        add(router, d, "signatures/timestamp", [&csc](const Request& req, Dialect) {
            auto [account, j] = authenticated(csc, req);
            core::Bytes hash;
            try {
                hash = core::base64_decode(req_string(j, "hash"));
            } catch (const Error& e) {
                if (e.code().rfind("csc.", 0) == 0) throw;
                csc_error(400, "invalid_request", "Invalid Base64 hash string parameter");
            }
            std::string nonce = opt_string(j, "nonce").value_or("");
            core::Bytes token = csc.timestamp(hash, req_string(j, "hashAlgo"), nonce);
            return json_response(200, json{{"timestamp", core::base64_encode(token)}});
        });
    }
    // signatures/signDoc (v2 only): PAdES for PDFs ("P"), detached CAdES ("C") for documents or their digests, at the
    // requested conformance level, under one SAD authorised for the documents' SHA-256 digests (at most 50).
    add(router, Dialect::V2, "signatures/signDoc", [&csc, &pades](const Request& req, Dialect) {
        auto [account, j] = authenticated(csc, req);
        pades::SignPdfRequest base;
        base.account_id = account;
        base.credential_id = req_string(j, "credentialID");
        base.client = "csc/v2 signDoc";
        std::string sad = req_string(j, "SAD");
        bool has_docs = j.contains("documents") && !j["documents"].is_null();
        bool has_digests = j.contains("documentDigests") && !j["documentDigests"].is_null();
        if (has_docs && has_digests) csc_error(400, "invalid_request", "Both documentDigests and documents parameters passed");
        const json& items = has_docs ? j["documents"] : has_digests ? j["documentDigests"] : json::array();
        if (!items.is_array() || items.empty()) csc_error(400, "invalid_request", "Empty documentDigests and documents objects");
        if (items.size() > 50) csc_error(400, "invalid_request", "Numbers of signatures is too high");
        json with_signature = json::array(), signature_objects = json::array();
        for (const json& item : items) {
            if (!item.is_object()) csc_error(400, "invalid_request", "Invalid parameter documents");
            pades::SignPdfRequest r = base;
            r.level = conformance_level(opt_string(item, "conformance_level").value_or("Ades-B-B"));
            std::string format = req_string(item, "signature_format");
            if (format != "P" && format != "C") csc_error(400, "invalid_request", "Invalid parameter signature_format");
            apply_signed_props(item, r);
            // PAdES envelope: Certification (DocMDP P=2) or Revision (an approval signature, the default)
            std::string envelope = opt_string(item, "signed_envelope_property").value_or(format == "P" ? "Revision" : "Detached");
            if (format == "P" && envelope != "Revision" && envelope != "Certification")
                csc_error(400, "invalid_request", "Invalid parameter signed_envelope_property");
            if (format == "C" && envelope != "Detached")
                csc_error(400, "invalid_request", "Invalid parameter signed_envelope_property");
            if (envelope == "Certification") r.certification = 2;
            if (has_docs) {
                std::string doc = decode_document(req_string(item, "document"));
                if (format == "P") {
                    with_signature.push_back(core::base64_encode(core::to_bytes(pades.sign_pdf_with_sad(doc, r, sad).file)));
                } else {
                    signature_objects.push_back(core::base64_encode(pades.sign_detached_with_sad(core::sha256(doc), r, sad)));
                }
            } else {
                if (format != "C") csc_error(400, "invalid_request", "Invalid parameter signature_format");
                std::string oid = opt_string(item, "hashAlgorithmOID").value_or(signing::kOidSha256);
                if (oid != signing::kOidSha256) csc_error(400, "invalid_request", "Invalid parameter hashAlgorithmOID");
                std::vector<core::Bytes> hashes;
                if (item.contains("hashes") && item["hashes"].is_string()) {  // S1's sample sends a bare string
                    json wrapped = {{"hashes", json::array({item["hashes"]})}};
                    hashes = hash_list(wrapped, "hashes", true);
                } else {
                    hashes = hash_list(item, "hashes", true);
                }
                for (const auto& h : hashes) {
                    if (h.size() != 32) csc_error(400, "invalid_request", "Invalid digest value length");
                    signature_objects.push_back(core::base64_encode(pades.sign_detached_with_sad(h, r, sad)));
                }
            }
        }
        json out = json::object();
        if (!with_signature.empty()) out["DocumentWithSignature"] = with_signature;
        if (!signature_objects.empty()) out["SignatureObject"] = signature_objects;
        return json_response(200, out);
    });
}

}  // namespace yq::web
