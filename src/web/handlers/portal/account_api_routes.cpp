// The signer's own JSON API (see account_api_routes.hpp): one function per route, each given the signed-in account.
#include "web/handlers/portal/account_api_routes.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/json_text.hpp"
#include "web/handlers/api_support.hpp"
#include "transparency/proof_bundle.hpp"
#include "web/handlers/public/transparency_routes.hpp"

namespace yq::web {

namespace {

using nlohmann::json;

constexpr std::int64_t kMaxOwnLeaves = 500;

using SignerRoute = Response (*)(const AccountApiServices&, const Request&, const std::string& account_id);

// A route for the holder of a bearer token: the account it was issued to, or 401.
Handler for_signer(const AccountApiServices& s, SignerRoute route) {
    return [&s, route](const Request& req) { return route(s, req, signer_account(req, s.csc)); };
}

// {"page": 1, "rect": [x1, y1, x2, y2]} | {"page": 1, "anchor": 0–8} | {"field": "NAME"} | {"invisible": true};
// default: pades::default_placement().
pades::Placement placement_field(const json& j) {
    pades::Placement p = pades::default_placement();
    auto it = j.find("placement");
    if (it == j.end() || it->is_null()) return p;
    if (!it->is_object()) throw_bad_input("api.bad_field", "placement must be an object");
    if (it->value("invisible", false)) {
        p.kind = pades::Placement::Kind::Invisible;
    } else if (it->contains("field")) {
        p.kind = pades::Placement::Kind::Field;
        p.field_name = text_field(*it, "field");
    } else {
        p.page = it->value("page", 1);
        if (it->contains("anchor")) {  // one of nine places on the page, 0–8 row by row from the top left
            if (!(*it)["anchor"].is_number_integer()) throw_bad_input("api.bad_field", "placement.anchor is 0–8");
            p.kind = pades::Placement::Kind::Anchor;
            p.anchor = (*it)["anchor"];
        }
        auto rect = it->find("rect");
        if (rect != it->end()) {
            if (!rect->is_array() || rect->size() != 4 || !std::all_of(rect->begin(), rect->end(), [](const json& v) {
                    return v.is_number();
                }))
                throw_bad_input("api.bad_field", "placement.rect is [x1, y1, x2, y2] in points");
            p.x1 = (*rect)[0], p.y1 = (*rect)[1], p.x2 = (*rect)[2], p.y2 = (*rect)[3];
        }
    }
    return p;
}

json credential_json(const accounts::CredentialStatus& c) {
    return {{"id", c.credential.id},
            {"status", c.credential.status},
            {"key", keystore::key_type_name(c.credential.key.key_type)},
            {"certificate_serial", c.credential.certificate_serial},
            {"certificate_status", c.certificate ? c.certificate->status : "missing"},
            {"not_after", core::to_rfc3339(c.certificate ? c.certificate->not_after : 0)},
            {"renewal_open", c.renewal_open}};
}

Response no_store(Response r) {
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

Response me(const AccountApiServices& s, const Request&, const std::string& id) {
    auto a = s.accounts.find_account(id);
    if (!a) throw Error("auth.invalid_token", 401, "the account no longer exists");
    json creds = json::array();
    for (const auto& c : s.accounts.credential_statuses(id)) creds.push_back(credential_json(c));
    json body{{"username", a->username},
              {"display_name", a->display_name},
              {"agency", a->agency},
              {"status", a->status},
              {"email", a->email},
              {"signing_notices", a->signing_notices},
              {"awaiting_signing_key", a->awaiting_signing_key},
              {"rekey_approved", s.office.requests.pending_for_user(a->username, "rekey").has_value()},
              {"renewal_approved", s.office.requests.pending_for_user(a->username, "renewal").has_value()},
              {"otp_required", s.config.accounts.otp_required},
              {"credentials", creds}};
    return no_store(Response::bytes("application/json", core::json_text(body)));
}

// Self-service signing password change: old password (+ OTP) re-seals every active key in one transaction.
Response change_signing_password(const AccountApiServices& s, const Request& req, const std::string& id) {
    json j = body_of(req);
    std::string otp = j.value("otp", "");
    s.accounts.change_signing_password(id, secret_field(j, "old_password"), otp, secret_field(j, "new_password"),
                                       "self:" + id, bearer_token(req));
    return no_content();
}

// The first signing key of an account the office opened (#14: the PIN letter carries no signing secret): the owner's
// chosen signing password (+ OTP) seals a key made now, and its certificate is issued.
Response create_first_key(const AccountApiServices& s, const Request& req, const std::string& id) {
    json j = body_of(req);
    auto c = s.accounts.create_first_key(id, secret_field(j, "signing_password"), j.value("otp", ""), "self:" + id);
    return json_response({{"credential_id", c.id}, {"certificate_serial", c.certificate_serial}}, 201);
}

// #16: how the owner is told of signings with their key — a mail each time, or one digest a day.
Response choose_notices(const AccountApiServices& s, const Request& req, const std::string& id) {
    json j = body_of(req);
    s.accounts.set_signing_notices(id, j.value("signing", ""), "self:" + id);
    return no_content();
}

Response change_login_password(const AccountApiServices& s, const Request& req, const std::string& id) {
    json j = body_of(req);
    core::SecureString old_password = secret_field(j, "old_password");
    s.accounts.change_login_password(id, old_password, j.value("otp", ""), secret_field(j, "new_password"), "self:" + id,
                                     bearer_token(req));
    return no_content();
}

// Forgotten signing password, after the office approved the re-key at an appointment: the user chooses the new
// password here, so the new key is sealed under a secret only they know.
Response complete_rekey(const AccountApiServices& s, const Request& req, const std::string& id) {
    json j = body_of(req);
    auto c = s.office.requests.complete_rekey(id, secret_field(j, "new_password"), j.value("otp", ""));
    return json_response({{"credential_id", c.id}, {"certificate_serial", c.certificate_serial}});
}

// Renewal inside the window, signed off by the representative and approved: a new key and certificate under the
// current signing password (+ OTP).
Response complete_renewal(const AccountApiServices& s, const Request& req, const std::string& id) {
    json j = body_of(req);
    auto c = s.office.requests.complete_renewal(id, secret_field(j, "signing_password"), j.value("otp", ""));
    return json_response({{"credential_id", c.id}, {"certificate_serial", c.certificate_serial}});
}

// The base64 field `name`, decoded; a field that is not base64 is refused with `code` and `message`.
std::string base64_field(const json& j, const char* name, const char* code, const char* message) {
    try {
        return core::to_string(core::base64_decode(text_field(j, name)));
    } catch (const Error& e) {
        if (e.code() == "api.missing_field" || e.code() == "api.bad_field") throw;
        throw_bad_input(code, message);
    }
}

// The signer signs a PDF (signing password + OTP in the body, never stored).
Response sign_pdf(const AccountApiServices& s, const Request& req, const std::string& id) {
    json j = body_of(req);
    pades::SignPdfRequest r;
    r.account_id = id;
    r.client = "api";
    r.signing_password = secret_field(j, "signing_password");
    r.otp = j.value("otp", "");
    r.level = pades::parse_level(j.value("level", "B-LTA"));
    r.reason = j.value("reason", "");
    r.location = j.value("location", "");
    r.placement = placement_field(j);
    if (j.contains("image"))
        r.image = base64_field(j, "image", "pades.bad_image", "the image must be a base64-encoded PNG or JPEG");
    std::string pdf = base64_field(j, "document", "api.bad_document", "the document must be a base64-encoded PDF");
    auto out = s.pades.sign_pdf(pdf, r);
    return json_response({{"document", core::base64_encode(core::to_bytes(out.file))},
                          {"level", pades::level_name(r.level)},
                          {"reference", out.reference},
                          {"signed_digest", core::hex_encode(out.signed_digest)}});
}

// #18: the signer's own leaves (newest first) and the newest signed head.
Response own_log_entries(const AccountApiServices& s, const Request&, const std::string& id) {
    json entries = json::array();
    for (const auto& leaf : s.log.leaves_of(id, kMaxOwnLeaves)) entries.push_back(leaf_json(leaf));
    return no_store(json_response({{"sth", transparency::tree_head_json(s.log.latest_head())}, {"entries", entries}}));
}

// One of them as a proof file (`yunqian transparency verify --proof FILE --root root.crt`).
Response own_log_entry_proof(const AccountApiServices& s, const Request& req, const std::string& id) {
    return own_leaf_proof(s.log, id, req.param("index"));
}

}  // namespace

void register_account_api_routes(Router& router, const AccountApiServices& s) {
    auto add = [&router, &s](const char* method, const char* path, SignerRoute route, const char* name = "api_me") {
        router.add(method, path, for_signer(s, route), Execution::Blocking, name);
    };
    add("GET", "/api/v1/me", me);
    add("POST", "/api/v1/me/signing-password", change_signing_password);
    add("POST", "/api/v1/me/signing-key", create_first_key);
    add("PUT", "/api/v1/me/notices", choose_notices);
    add("POST", "/api/v1/me/login-password", change_login_password);
    add("POST", "/api/v1/me/rekey", complete_rekey);
    add("POST", "/api/v1/me/renew", complete_renewal);
    add("POST", "/api/v1/me/signatures", sign_pdf, "api_me_sign");
    add("GET", "/api/v1/me/transparency", own_log_entries, "api_me_transparency");
    add("GET", "/api/v1/me/transparency/{index}", own_log_entry_proof, "api_me_transparency_proof");
}

}  // namespace yq::web
