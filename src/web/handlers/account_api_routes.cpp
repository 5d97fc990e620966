#include "web/handlers/account_api_routes.hpp"

#include <algorithm>
#include <optional>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "validation/etsi_report.hpp"
#include "web/handlers/api_support.hpp"
#include "web/ui/report_view.hpp"
#include "web/ui/forms.hpp"
#include "web/ui/i18n.hpp"
#include "web/validation_html.hpp"
#include "core/json_text.hpp"

namespace yq::web {

namespace {

using nlohmann::json;

std::string signed_in_account(signing::CscService& csc, const Request& req) {
    std::string token = bearer_token(req);
    try {
        return csc.account_for_token(token);
    } catch (const Error&) {
        throw Error("auth.invalid_token", 401, "the access token is not valid any more; sign in again");
    }
}

// {"page": 1, "rect": [x1, y1, x2, y2]} | {"page": 1, "anchor": 0–8} | {"field": "NAME"} | {"invisible": true};
// default: bottom left of page 1.
pades::Placement placement_field(const json& j) {
    pades::Placement p;
    p.kind = pades::Placement::Kind::Rectangle;
    p.page = 1;
    p.x1 = 36, p.y1 = 36, p.x2 = 296, p.y2 = 136;
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

}  // namespace

void register_account_api_routes(Router& router, accounts::AccountService& accounts, accounts::AccountStore& store,
                                 signing::CscService& csc, pki::CaStore& certificates, ra::RegistrationOffice& office,
                                 const core::Config& config, const core::Clock& clock) {
    router.add("GET", "/api/v1/me",
               [&, renewal_days = config.ca.renewal_window_days](const Request& req) {
                   std::string id = signed_in_account(csc, req);
                   auto a = store.account_by_id(id);
                   if (!a) throw Error("auth.invalid_token", 401, "the account no longer exists");
                   json creds = json::array();
                   for (const auto& c : store.credentials_of(id)) {
                       auto cert = certificates.find_certificate(c.certificate_serial);
                       std::int64_t not_after = cert ? cert->not_after : 0;
                       creds.push_back({{"id", c.id},
                                        {"status", c.status},
                                        {"key", keystore::key_type_name(c.key.key_type)},
                                        {"certificate_serial", c.certificate_serial},
                                        {"certificate_status", cert ? cert->status : "missing"},
                                        {"not_after", core::to_rfc3339(not_after)},
                                        {"renewal_open", not_after - clock.unix_seconds() <= renewal_days * 86400}});
                   }
                   Response r = Response::bytes("application/json",
                                                core::json_text(json{{"username", a->username},
                                                     {"display_name", a->display_name},
                                                     {"agency", a->agency},
                                                     {"status", a->status},
                                                     {"email", a->email},
                                                     {"signing_notices", a->signing_notices},
                                                     {"awaiting_signing_key", a->awaiting_signing_key},
                                                     {"rekey_approved", office.pending_for_user(a->username, "rekey").has_value()},
                                                     {"renewal_approved", office.pending_for_user(a->username, "renewal").has_value()},
                                                     {"otp_required", config.accounts.otp_required},
                                                     {"credentials", creds}}));
                   r.headers.emplace_back("Cache-Control", "no-store");
                   return r;
               },
               Execution::Blocking, "api_me");
    // Self-service signing password change: old password (+ OTP) re-seals every active key in one transaction.
    router.add("POST", "/api/v1/me/signing-password",
               [&](const Request& req) {
                   std::string id = signed_in_account(csc, req);
                   json j = body_of(req);
                   std::string otp = j.value("otp", "");
                   accounts.change_signing_password(id, secret_field(j, "old_password"), otp,
                                                    secret_field(j, "new_password"), "self:" + id, bearer_token(req));
                   return no_content();
               },
               Execution::Blocking, "api_me");
    // The first signing key of an account the office opened (#14: the PIN letter carries no signing secret): the
    // owner's chosen signing password (+ OTP) seals a key made now, and its certificate is issued.
    router.add("POST", "/api/v1/me/signing-key",
               [&](const Request& req) {
                   std::string id = signed_in_account(csc, req);
                   json j = body_of(req);
                   auto c = accounts.create_first_key(id, secret_field(j, "signing_password"), j.value("otp", ""),
                                                      "self:" + id);
                   return json_response({{"credential_id", c.id}, {"certificate_serial", c.certificate_serial}}, 201);
               },
               Execution::Blocking, "api_me");
    // #16: how the owner is told of signings with their key — a mail each time, or one digest a day.
    router.add("PUT", "/api/v1/me/notices",
               [&](const Request& req) {
                   std::string id = signed_in_account(csc, req);
                   json j = body_of(req);
                   accounts.set_signing_notices(id, j.value("signing", ""), "self:" + id);
                   return no_content();
               },
               Execution::Blocking, "api_me");
    router.add("POST", "/api/v1/me/login-password",
               [&](const Request& req) {
                   std::string id = signed_in_account(csc, req);
                   json j = body_of(req);
                   core::SecureString old_password = secret_field(j, "old_password");
                   accounts.change_login_password(id, old_password, j.value("otp", ""), secret_field(j, "new_password"),
                                                  "self:" + id, bearer_token(req));
                   return no_content();
               },
               Execution::Blocking, "api_me");
}


void register_account_completion_routes(Router& router, signing::CscService& csc, ra::RegistrationOffice& office) {
    // Forgotten signing password, after the office approved the re-key at an appointment: the user chooses the new
    // password here, so the new key is sealed under a secret only they know.
    router.add("POST", "/api/v1/me/rekey",
               [&](const Request& req) {
                   std::string id = signed_in_account(csc, req);
                   json j = body_of(req);
                   auto c = office.complete_rekey(id, secret_field(j, "new_password"), j.value("otp", ""));
                   return json_response({{"credential_id", c.id}, {"certificate_serial", c.certificate_serial}});
               },
               Execution::Blocking, "api_me");
    // Renewal inside the window, signed off by the representative and approved: a new key and certificate under the
    // current signing password (+ OTP).
    router.add("POST", "/api/v1/me/renew",
               [&](const Request& req) {
                   std::string id = signed_in_account(csc, req);
                   json j = body_of(req);
                   auto c = office.complete_renewal(id, secret_field(j, "signing_password"), j.value("otp", ""));
                   return json_response({{"credential_id", c.id}, {"certificate_serial", c.certificate_serial}});
               },
               Execution::Blocking, "api_me");
}

void register_validation_routes(Router& router, const validation::PdfValidator& pdf, const validation::CmsValidator& cms,
                                validation::ReportSigner& signer, pades::PadesService& pades) {
    router.add("POST", "/api/v1/validate",
               [&pdf, &cms, &signer, &pades](const Request& req) {
                   if (req.body.empty()) throw_bad_input("validation.empty", "send the file as the request body");
                   // the file (and a detached signature's content) as sent; dropped with the request
                   std::string file = req.body, name;
                   std::optional<std::string> content;
                   if (req.header("content-type").rfind("multipart/form-data", 0) == 0) {
                       file.clear();
                       for (auto& part : parse_multipart(req.header("content-type"), req.body)) {
                           if (part.name == "file") file = std::move(part.data), name = part.filename;
                           else if (part.name == "content") content = std::move(part.data);
                       }
                       if (file.empty()) throw_bad_input("validation.empty", "send the file in the form field \"file\"");
                   }
                   bool is_pdf = file.find("%PDF-") < 1024;  // ISO 32000-2 §7.5.2: the header near the start
                   validation::Report report = is_pdf ? pdf.validate(file) : cms.validate(core::to_bytes(file), content);
                   int status = report.problem.empty() ? 200 : 422;
                   if (req.header("accept").find("text/html") != std::string::npos) {
                       Response r = Response::bytes("text/html; charset=utf-8",
                                                    validation_report_html(report, name, choose_language(req)));
                       r.status = status;
                       r.headers.emplace_back("Cache-Control", "no-store");
                       return r;
                   }
                   const std::string signed_param = query_value(req, "signed"), form = query_value(req, "report");
                   if (!form.empty() && form != "json" && form != "etsi" && form != "pdf")
                       throw_bad_input("validation.bad_parameter", "report is json, etsi or pdf");
                   if (form == "pdf") {  // the report printed, in the reader's language; signed with PAdES on request
                       std::string document = pades.text_document_pdf(
                           report_document_blocks(report, choose_language(req), name), "yunqian · " + report.validation_time);
                       if (signed_param == "true") document = signer.sign_pdf(document, pades);
                       Response r = Response::bytes("application/pdf", std::move(document));
                       r.status = status;
                       r.headers.emplace_back("Cache-Control", "no-store");
                       return r;
                   }
                   if (form == "etsi") {  // enveloped XAdES-B-B by the validation service on request
                       std::string xml = validation::to_etsi_xml(report);
                       if (signed_param == "true") xml = signer.sign_xml(xml, core::SystemClock().unix_seconds());
                       Response r = Response::bytes("application/xml", std::move(xml));
                       r.status = status;
                       r.headers.emplace_back("Cache-Control", "no-store");
                       return r;
                   }
                   if (signed_param == "true") {  // a JWS (RFC 7515 compact), evidence a third party can check
                       Response r = Response::bytes("application/jose", signer.sign(validation::to_json(report)));
                       r.status = status;
                       r.headers.emplace_back("Cache-Control", "no-store");
                       return r;
                   }
                   if (!signed_param.empty() && signed_param != "false")
                       throw_bad_input("validation.bad_parameter", "signed is true or false");
                   return json_response(validation::to_json(report), status);
               },
               Execution::Blocking, "api_validate");
}

void register_portal_signing_routes(Router& router, signing::CscService& csc, pades::PadesService& pades) {
    router.add("POST", "/api/v1/me/signatures",
               [&](const Request& req) {
                   std::string id = signed_in_account(csc, req);
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
                   if (j.contains("image")) {
                       try {
                           r.image = core::to_string(core::base64_decode(text_field(j, "image")));
                       } catch (const Error&) {
                           throw_bad_input("pades.bad_image", "the image must be a base64-encoded PNG or JPEG");
                       }
                   }
                   std::string pdf;
                   try {
                       pdf = core::to_string(core::base64_decode(text_field(j, "document")));
                   } catch (const Error& e) {
                       if (e.code() == "api.missing_field" || e.code() == "api.bad_field") throw;
                       throw_bad_input("api.bad_document", "the document must be a base64-encoded PDF");
                   }
                   auto out = pades.sign_pdf(pdf, r);
                   return json_response({{"document", core::base64_encode(core::to_bytes(out.file))},
                                         {"level", pades::level_name(r.level)},
                                         {"reference", out.reference},
                                         {"signed_digest", core::hex_encode(out.signed_digest)}});
               },
               Execution::Blocking, "api_me_sign");
}

}  // namespace yq::web
