// CSC API info, auth/login and auth/revoke (see csc_methods.hpp).
#include <algorithm>

#include "signing/algorithms.hpp"
#include "signing/csc_error.hpp"
#include "web/handlers/csc/csc_methods.hpp"

namespace yq::web::csc {

using nlohmann::json;
using signing::csc_error;

Response info(const CscRouteServices& s, const Request& req, Dialect d) {
    parse_body(req);
    json out = {{"specs", d == Dialect::V1 ? "1.0.4.0" : "2.0.0.2"},
                {"name", s.config.csc.name},
                {"logo", s.config.csc.logo_url},
                {"region", s.config.csc.region},
                {"lang", "en-US"},
                {"description", s.config.csc.description},
                {"authType", json::array({"basic"})}};
    json methods = json::array({"auth/login", "auth/revoke", "credentials/list", "credentials/info", "credentials/authorize",
                                "credentials/extendTransaction", "signatures/signHash", "signatures/timestamp"});
    if (d == Dialect::V2) methods.push_back("signatures/signDoc");
    out["methods"] = methods;
    if (d == Dialect::V2) {
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
}

Response login(const CscRouteServices& s, const Request& req, Dialect) {
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
    std::int64_t now = s.clock.unix_seconds();
    if (std::int64_t wait = sign_in_wait(s.sign_ins, req.remote_address, username, now); wait > 0) {
        Response r = json_response(429, json{{"error", "invalid_request"},
                                             {"error_description", "Too many failed sign-in attempts; try again in " +
                                                                       std::to_string(wait) + " seconds"}});
        r.headers.emplace_back("Retry-After", std::to_string(wait));
        return r;
    }
    try {
        auto token = s.csc.login(username, password);
        return json_response(200, json{{"access_token", token.access_token}, {"expires_in", token.expires_in}});
    } catch (const Error& e) {
        if (e.code() == "csc.authentication_error") record_sign_in_failure(s.sign_ins, req.remote_address, username, now);
        throw;
    }
}

Response revoke(const CscRouteServices& s, const Request& req, Dialect) {
    std::string account = s.csc.account_for_token(bearer_token(req));
    json j = parse_body(req);
    s.csc.revoke(account, req_string(j, "token"));
    Response r;
    r.status = 204;  // CSC API v2 auth/revoke: no content
    r.content_type = "application/json";
    return r;
}

}  // namespace yq::web::csc
