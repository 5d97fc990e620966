// CSC API credentials/list, credentials/info, credentials/authorize and credentials/extendTransaction (see
// csc_methods.hpp).
#include "signing/csc_error.hpp"
#include "web/handlers/csc/csc_methods.hpp"

namespace yq::web::csc {

using nlohmann::json;
using signing::csc_error;

namespace {

// The credential's info object in the dialect's shape, with the certificates, certInfo and authInfo asked for.
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
// v1 paging: maxResults and an opaque pageToken (the offset into the list).
json v1_page(const std::vector<std::string>& ids, const json& j) {
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
    json out = {{"credentialIDs", page}};
    if (offset + page.size() < ids.size()) out["nextPageToken"] = std::to_string(offset + page.size());
    return out;
}

}  // namespace

Response list_credentials(const CscRouteServices& s, const Request& req, Dialect d) {
    auto [account, j] = authenticated(s.csc, req);
    if (j.contains("userID") && !j["userID"].is_null()) csc_error(400, "invalid_request", "userID parameter MUST be null");
    bool only_valid = d == Dialect::V2 && opt_bool(j, "onlyValid", false);
    auto ids = s.csc.list_credentials(account, only_valid);
    if (d == Dialect::V1) return json_response(200, v1_page(ids, j));
    json out = {{"credentialIDs", ids}};
    if (opt_bool(j, "credentialInfo", false)) {
        json infos = json::array();
        for (const auto& id : ids) {
            json i = credential_info_json(s.csc.credential_info(account, id), j, d);
            i["credentialID"] = id;
            infos.push_back(i);
        }
        out["credentialInfos"] = infos;
    }
    if (j.contains("onlyValid")) out["onlyValid"] = only_valid;
    return json_response(200, out);
}

Response credential_info(const CscRouteServices& s, const Request& req, Dialect d) {
    auto [account, j] = authenticated(s.csc, req);
    return json_response(200, credential_info_json(s.csc.credential_info(account, req_string(j, "credentialID")), j, d));
}

Response authorize(const CscRouteServices& s, const Request& req, Dialect d) {
    auto [account, j] = authenticated(s.csc, req);
    signing::AuthorizeRequest r;
    r.credential_id = req_string(j, "credentialID");
    r.num_signatures = req_int(j, "numSignatures");
    r.hashes = hash_list(j, d == Dialect::V1 ? "hash" : "hashes", false);
    if (d == Dialect::V2 && r.hashes.empty()) r.hashes = hash_list(j, "hash", false);  // S1 keeps "hash"
    r.hash_algorithm_oid = hash_oid_for(j, r.hashes);
    if (opt_string(j, "description").value_or("").size() > 500)
        csc_error(400, "invalid_request", "Invalid parameter description");
    r.pin = password_field(j, d);
    r.otp = otp_field(j, d);
    auto grant = s.csc.authorize(account, r);
    return json_response(200, json{{"SAD", grant.sad}, {"expiresIn", grant.expires_in}});
}

Response extend_transaction(const CscRouteServices& s, const Request& req, Dialect d) {
    auto [account, j] = authenticated(s.csc, req);
    auto hashes = hash_list(j, d == Dialect::V1 ? "hash" : "hashes", false);
    auto grant = s.csc.extend_transaction(account, req_string(j, "credentialID"), req_string(j, "SAD"), hashes,
                                          hash_oid_for(j, hashes));
    return json_response(200, json{{"SAD", grant.sad}, {"expiresIn", grant.expires_in}});
}

}  // namespace yq::web::csc
