// The signer portal (see portal_pages.hpp). Form errors are shown next to the form, from the catalogue, by error code.
#include "web/handlers/portal/portal_pages.hpp"

#include <cctype>
#include <map>

#include "core/bytes.hpp"
#include "accounts/totp.hpp"
#include "core/error.hpp"
#include "web/ui/enrolment_view.hpp"
#include "pki/readable_name.hpp"
#include "web/ui/forms.hpp"
#include "web/ui/i18n.hpp"
#include "transparency/proof_bundle.hpp"
#include "web/handlers/public/transparency_routes.hpp"

namespace yq::web {

namespace {

using nlohmann::json;

// yq::Error code → the catalogue message shown next to the form. Sign-in failures all read the same.
std::string portal_message_key(const std::string& code) {
    static const std::map<std::string, std::string> keys{
        {"csc.authentication_error", "portal.errors.sign_in"},
        {"accounts.authentication_failed", "portal.errors.sign_in"},
        {"accounts.disabled", "portal.errors.sign_in"},
        {"accounts.wrong_signing_secrets", "portal.errors.wrong_secret"},
        {"accounts.locked", "portal.errors.locked"},
        {"accounts.signing_key_not_created", "portal.errors.change_first"},
        {"accounts.signing_key_exists", "portal.errors.key_exists"},
        {"accounts.totp_not_enrolled", "portal.errors.not_enrolled"},
        {"accounts.password_too_short", "portal.errors.password_rules"},
        {"accounts.password_too_long", "portal.errors.password_rules"},
        {"accounts.password_is_username", "portal.errors.password_rules"},
        {"accounts.passwords_equal", "portal.errors.passwords_equal"},
        {"pades.broken_pdf", "error.not_pdf"},
        {"pades.encrypted", "portal.errors.encrypted"},
        {"pades.bad_page", "portal.errors.bad_page"},
        {"pades.bad_rect", "portal.errors.bad_rect"},
        {"pades.limits_exceeded", "error.too_large"},
        {"isolation.forbidden_call", "error.parser_stopped"},
        {"ui.csrf", "error.csrf"},
        {"ui.bad_form", "error.bad_form"},
        {"ui.not_pdf", "error.not_pdf"},
        {"ui.passwords_differ", "portal.errors.passwords_differ"},
        {"ra.no_approved_request", "portal.errors.nothing_to_complete"},
    };
    auto it = keys.find(code);
    return it == keys.end() ? "error.generic" : it->second;
}

std::string message(const PortalPageServices& s, const std::string& lang, const std::string& code) {
    std::string text = translate(lang, portal_message_key(code));
    std::size_t at = text.find("{n}");
    if (at != std::string::npos) text.replace(at, 3, std::to_string(s.config.accounts.lockout_threshold));
    return text;
}

// The signed-in account, or empty. Only a session opened with the code counts (#14: a CSC auth/login token, which
// proved the login password alone, does not open the portal).
std::string session_account(const PortalPageServices& s, const Request& req) {
    std::string token = cookie_value(req, kSessionCookie);
    if (token.empty()) return "";
    try {
        return s.csc.account_for_session(token);
    } catch (const Error&) {
        return "";
    }
}

bool needs_enrolment(const PortalPageServices& s, const std::string& id) {
    if (!s.config.accounts.otp_required) return false;
    auto a = s.accounts.find_account(id);
    return a && a->totp_enrolled_at == 0;
}

// Runs a portal page for a signed-in person; others go to the sign-in page, and someone without an authenticator
// enrols one first.
Handler signed_in(const PortalPageServices& s, std::function<Response(const Request&, const std::string& account_id)> body,
                  bool enrolment_page = false) {
    return [&s, body = std::move(body), enrolment_page](const Request& req) {
        std::string id = session_account(s, req);
        if (id.empty()) return see_other("/portal/login");
        if (!enrolment_page && needs_enrolment(s, id)) return see_other("/portal/enrol");
        try {
            return body(req, id);
        } catch (const Error& e) {
            return s.pages.error_page(req, e, portal_message_key(e.code()));
        }
    };
}

json account_view(const PortalPageServices& s, const std::string& lang, const std::string& id) {
    auto a = s.accounts.find_account(id);
    if (!a) throw Error("auth.invalid_token", 401, "the account no longer exists");
    json creds = json::array();
    bool renewal_due = false;
    for (const auto& c : s.accounts.credential_statuses(id)) {
        if (c.credential.status != "active") continue;
        renewal_due = renewal_due || c.renewal_open;
        std::int64_t not_after = c.certificate ? c.certificate->not_after : 0;
        std::string until = core::to_rfc3339(not_after + s.config.office.utc_offset_minutes * 60);
        const pki::ReadableName subject = pki::readable_name(c.certificate ? c.certificate->subject : "");
        std::string status = c.certificate ? c.certificate->status : std::string("valid");
        creds.push_back({{"serial", c.credential.certificate_serial},
                         {"subject", subject.name},
                         {"subject_detail", subject.detail},
                         {"status", translate(lang, "portal.certificate_statuses." + status)},
                         {"not_after", until.substr(0, 10)},
                         {"days_left", std::to_string(c.days_left)},
                         {"renewal_due", c.renewal_open}});
    }
    return {{"username", a->username},
            {"display_name", a->display_name},
            {"agency", a->agency},
            {"status", translate(lang, "portal.statuses." + a->status)},
            {"locked", a->status == "locked"},
            {"email", a->email},
            {"notices_daily", a->signing_notices == "daily"},
            {"must_change", a->awaiting_signing_key},
            {"otp_required", s.config.accounts.otp_required},
            {"renewal_due", renewal_due},
            {"credentials", creds}};
}

// What the office approved and waits for this signer to complete (the account page and the completion page only:
// two look-ups that the other pages do not need).
void add_approved_requests(const PortalPageServices& s, json& account) {
    const std::string username = account.value("username", "");
    account["rekey_approved"] = s.office.requests.pending_for_user(username, "rekey").has_value();
    account["renewal_approved"] = s.office.requests.pending_for_user(username, "renewal").has_value();
}

json anchors_view(const std::string& lang, int chosen) {
    json cells = json::array();
    for (int i = 0; i < 9; ++i)
        cells.push_back({{"value", std::to_string(i)},
                         {"label", translate(lang, "portal.anchors." + std::to_string(i))},
                         {"checked", i == chosen}});
    return cells;
}

json levels_view(const std::string& chosen) {
    json levels = json::array();
    for (const char* l : {"B-B", "B-T", "B-LT", "B-LTA"}) levels.push_back({{"value", l}, {"checked", chosen == l}});
    return levels;
}

// pdf.js (Debian's libjs-pdf) draws the page preview; the page's own script places the signature by a click.
json sign_page_scripts() { return json::array({"/static/pdfjs/pdf.js", "/static/sign-preview.js"}); }

std::string ascii_file_name(const std::string& name) {
    std::string out;
    for (unsigned char c : name)
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.') out.push_back(static_cast<char>(c));
    if (out.size() < 5 || out.compare(out.size() - 4, 4, ".pdf") != 0) out += ".pdf";
    return "signed-" + out;
}

// Office time as the portal's tables print it: "2026-12-07 09:30:00".
std::string office_time(const PortalPageServices& s, std::int64_t unix_seconds) {
    std::string when = core::to_rfc3339(unix_seconds + s.config.office.utc_offset_minutes * 60);
    return when.substr(0, 10) + " " + when.substr(11, 8);
}

// "csc/v2 signHash" → portal.log_clients.csc_v2_signhash, in the reader's language.
std::string client_label(const std::string& lang, const std::string& client) {
    std::string key;
    for (char c : client) key += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
    std::string label = translate(lang, "portal.log_clients." + key);
    return label.rfind("portal.log_clients.", 0) == 0 ? client : label;
}

// #18: every use of the signer's key, from the transparency log (newest first), with the newest signed tree head.
Response signing_log_page(const PortalPageServices& s, const Request& req, const std::string& id) {
    std::string lang = choose_language(req);
    json data = account_view(s, lang, id);
    json entries = json::array();
    for (const auto& leaf : s.log.leaves_of(id, 500)) {
        transparency::KeyUse use = transparency::parse_leaf_data(leaf.data);
        entries.push_back({{"index", leaf.index},
                           {"when", office_time(s, use.time)},
                           {"client", client_label(lang, use.client)},
                           {"digest", core::hex_encode(use.digest)}});
    }
    data["entries"] = entries;
    data["has_entries"] = !entries.empty();
    if (!entries.empty()) {
        transparency::SignedTreeHead head = s.log.latest_head();
        data["head"] = {{"tree_size", head.tree_size},
                        {"signed_at", office_time(s, head.timestamp_ms / 1000)},
                        {"root", core::hex_encode(head.root_hash)}};
    }
    return s.pages.render(req, "portal_log", "portal.log", data, 200, "portal");
}

Response sign_in_page(const PortalPageServices& s, const Request& req) {
    if (!session_account(s, req).empty()) return see_other("/portal");
    return s.pages.render(req, "portal_login", "portal.sign_in", json{{"otp_required", s.config.accounts.otp_required}},
                          200, "portal");
}

Response sign_in(const PortalPageServices& s, const Request& req) {
    std::string lang = choose_language(req);
    auto f = parse_urlencoded(req.body);
    std::int64_t now = s.clock.unix_seconds();
    std::int64_t wait = sign_in_wait(s.sign_in_failures, req.remote_address, f["username"], now);
    if (wait > 0) {
        json data{{"error", too_many_attempts_message(lang, wait)}, {"username", f["username"]},
                  {"otp_required", s.config.accounts.otp_required}};
        Response r = s.pages.render(req, "portal_login", "portal.sign_in", data, 429, "portal");
        r.headers.emplace_back("Retry-After", std::to_string(wait));
        return r;
    }
    try {
        require_csrf(req, f);
        auto token = s.csc.login_with_second_factor(
            f["username"], take_secret(f, "password"),
            [&](const accounts::Account& a) { return s.accounts.use_sign_in_code(a, f["otp"]); });
        std::string id = s.csc.account_for_token(token.access_token);
        return see_other(needs_enrolment(s, id) ? "/portal/enrol" : "/portal",
                        {set_cookie(kSessionCookie, token.access_token, s.pages.settings().secure_cookies)});
    } catch (const Error& e) {
        record_sign_in_failure(s.sign_in_failures, req.remote_address, f["username"], now);
        json data{{"error", message(s, lang, e.code())}, {"username", f["username"]},
                  {"otp_required", s.config.accounts.otp_required}};
        return s.pages.render(req, "portal_login", "portal.sign_in", data, e.code() == "ui.csrf" ? 403 : 401, "portal");
    }
}

Response sign_out(const PortalPageServices& s, const Request& req, const std::string& id) {
    require_csrf(req, parse_urlencoded(req.body));
    s.csc.revoke(id, cookie_value(req, kSessionCookie));
    return see_other("/", {cleared_cookie(kSessionCookie)});
}

Response enrolment_page(const PortalPageServices& s, const Request& req, const std::string& id) {
    if (!needs_enrolment(s, id)) return see_other("/portal");
    auto e = s.accounts.start_totp_enrolment(id);
    json view = authenticator_enrolment_view(e.otpauth_uri, e.secret_base32, e.sealed_candidate_hex,
                                             "/portal/enrol");
    return s.pages.render(req, "authenticator_enrol", "portal.enrol", view, 200, "portal");
}

Response enrol(const PortalPageServices& s, const Request& req, const std::string& id) {
    std::string lang = choose_language(req);
    auto f = parse_urlencoded(req.body);
    try {
        require_csrf(req, f);
        s.accounts.finish_totp_enrolment(id, f["candidate"], f["otp"], "self:" + id);
        // the code just proven makes this session a two-factor one (#14)
        s.csc.confirm_second_factor(id, cookie_value(req, kSessionCookie));
        auto a = s.accounts.find_account(id);
        return see_other(a && a->awaiting_signing_key ? "/portal/password" : "/portal?enrolled=1");
    } catch (const Error& e) {
        if (e.code() == "accounts.totp_already_enrolled") return see_other("/portal");
        // the same secret again, so the code the app shows for it can be tried again
        json data = authenticator_enrolment_view(f["uri"], f["secret"], f["candidate"], "/portal/enrol");
        data["error"] = translate(lang, e.code() == "accounts.wrong_otp" ? "portal.errors.enrol_code" : portal_message_key(e.code()));
        return s.pages.render(req, "authenticator_enrol", "portal.enrol", data, 400, "portal");
    }
}

Response account_page(const PortalPageServices& s, const Request& req, const std::string& id) {
    std::string lang = choose_language(req);
    json data = account_view(s, lang, id);
    add_approved_requests(s, data);
    auto q = parse_urlencoded(req.query);
    bool new_key = q["changed"] == "rekey" || q["changed"] == "renewal";
    bool first_key = q["changed"] == "first_key";
    data["changed"] = new_key || first_key ? "" : q["changed"];
    data["new_key"] = new_key;
    data["first_key"] = first_key;
    data["enrolled"] = q["enrolled"];
    data["notices_saved"] = q["changed"] == "notices";
    if (q["changed"] == "notices") data["changed"] = "";
    return s.pages.render(req, "portal_home", "portal.title", data, 200, "portal");
}

Response save_notice_choices(const PortalPageServices& s, const Request& req, const std::string& id) {
    auto f = parse_urlencoded(req.body);
    require_csrf(req, f);
    s.accounts.set_signing_notices(id, f["signing"] == "daily" ? "daily" : "each", "self:" + id);
    return see_other("/portal?changed=notices");
}

Response password_page(const PortalPageServices& s, const Request& req, const std::string& id) {
    std::string lang = choose_language(req);
    return s.pages.render(req, "portal_password", "portal.passwords", account_view(s, lang, id), 200, "portal");
}

Response change_passwords(const PortalPageServices& s, const Request& req, const std::string& id) {
    std::string lang = choose_language(req);
    auto f = parse_urlencoded(req.body);
    std::string which = f["which"] == "login" ? "login" : f["which"] == "first" ? "first" : "signing";
    try {
        require_csrf(req, f);
        if (f["new_password"] != f["new_password_again"]) throw Error("ui.passwords_differ", 422, "the two new passwords differ");
        core::SecureString old_password = take_secret(f, "old_password"), new_password = take_secret(f, "new_password");
        take_secret(f, "new_password_again");
        if (which == "first") {
            s.accounts.create_first_key(id, new_password, f["otp"], "self:" + id);
            return see_other("/portal?changed=first_key");
        }
        if (which == "login")
            s.accounts.change_login_password(id, old_password, f["otp"], new_password, "self:" + id,
                                             cookie_value(req, kSessionCookie));
        else
            s.accounts.change_signing_password(id, old_password, f["otp"], new_password, "self:" + id,
                                               cookie_value(req, kSessionCookie));
        return see_other("/portal?changed=" + which);
    } catch (const Error& e) {
        json data = account_view(s, lang, id);
        data[(which == "first" ? std::string("signing") : which) + "_error"] = message(s, lang, e.code());
        return s.pages.render(req, "portal_password", "portal.passwords", data, e.http_status() >= 400 ? e.http_status() : 422, "portal");
    }
}

Response completion_page(const PortalPageServices& s, const Request& req, const std::string& id) {
    std::string lang = choose_language(req);
    json data = account_view(s, lang, id);
    add_approved_requests(s, data);
    std::string kind = parse_urlencoded(req.query)["kind"] == "rekey" ? "rekey" : "renewal";
    if (!data.value(kind + "_approved", false)) return see_other("/portal");
    data["kind"] = kind;
    data["is_rekey"] = kind == "rekey";
    return s.pages.render(req, "portal_complete", "portal.complete_" + kind, data, 200, "portal");
}

Response complete_request(const PortalPageServices& s, const Request& req, const std::string& id) {
    std::string lang = choose_language(req);
    auto f = parse_urlencoded(req.body);
    std::string kind = f["kind"] == "rekey" ? "rekey" : "renewal";
    try {
        require_csrf(req, f);
        if (kind == "rekey") {
            if (f["new_password"] != f["new_password_again"]) throw Error("ui.passwords_differ", 422, "the two new passwords differ");
            take_secret(f, "new_password_again");
            s.office.requests.complete_rekey(id, take_secret(f, "new_password"), f["otp"]);
        } else {
            s.office.requests.complete_renewal(id, take_secret(f, "signing_password"), f["otp"]);
        }
        return see_other("/portal?changed=" + kind);
    } catch (const Error& e) {
        json data = account_view(s, lang, id);
        data["kind"] = kind;
        data["is_rekey"] = kind == "rekey";
        data["error"] = message(s, lang, e.code());
        return s.pages.render(req, "portal_complete", "portal.complete_" + kind, data,
                              e.http_status() >= 400 ? e.http_status() : 422, "portal");
    }
}

Response history_page(const PortalPageServices& s, const Request& req, const std::string& id) {
    std::string lang = choose_language(req);
    json data = account_view(s, lang, id);
    json rows = json::array();
    for (const auto& d : s.signatures.signed_by(data["username"].get<std::string>()))
        rows.push_back({{"when", office_time(s, d.signed_at)},
                        {"level", d.level},
                        {"reference", d.reference},
                        {"digest", d.signed_digest_hex}});
    data["signatures"] = rows;
    data["has_signatures"] = !rows.empty();
    return s.pages.render(req, "portal_history", "portal.history", data, 200, "portal");
}

Response log_page(const PortalPageServices& s, const Request& req, const std::string& id) {
    return signing_log_page(s, req, id);
}

Response log_proof_file(const PortalPageServices& s, const Request& req, const std::string& id) {
    return own_leaf_proof(s.log, id, req.param("index"));
}

Response signing_page(const PortalPageServices& s, const Request& req, const std::string& id) {
    std::string lang = choose_language(req);
    json data = account_view(s, lang, id);
    data["anchors"] = anchors_view(lang, 8);
    data["levels"] = levels_view("B-LTA");
    data["page"] = "1";
    data["scripts"] = sign_page_scripts();
    return s.pages.render(req, "portal_sign", "portal.sign", data, 200, "portal");
}

Response appearance_sample_file(const PortalPageServices& s, const Request& req, const std::string& id) {
    auto q = parse_urlencoded(req.query);
    if (q["reason"].size() > 200 || q["location"].size() > 200)
        throw Error("ui.bad_form", 400, "the reason and the location are at most 200 characters");
    Response r = Response::bytes("application/pdf", s.pades.appearance_preview(id, q["reason"], q["location"]));
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

Response sign_document(const PortalPageServices& s, const Request& req, const std::string& id) {
    std::string lang = choose_language(req);
    std::map<std::string, std::string> f;
    std::string pdf, name;
    try {
        UploadForm upload = parse_upload_form(req);
        f = std::move(upload.fields);
        pdf = std::move(upload.files["file"]);
        name = upload.file_names["file"];
        require_csrf(req, f);
        if (pdf.find("%PDF-") == std::string::npos) throw Error("ui.not_pdf", 422, "not a PDF");
        pades::SignPdfRequest r;
        r.account_id = id;
        r.signing_password = take_secret(f, "signing_password");
        r.otp = f["otp"];
        r.level = pades::parse_level(f["level"].empty() ? "B-LTA" : f["level"]);
        r.reason = f["reason"];
        r.location = f["location"];
        if (!f["rect"].empty()) {  // placed by a click on the page preview
            r.placement = pades::rectangle_from_text(std::max(std::atoi(f["page"].c_str()), 1), f["rect"]);
        } else if (f["anchor"] == "invisible") {
            r.placement.kind = pades::Placement::Kind::Invisible;
        } else {
            r.placement.kind = pades::Placement::Kind::Anchor;
            r.placement.anchor = f["anchor"].empty() ? 8 : std::clamp(std::atoi(f["anchor"].c_str()), 0, 8);
            r.placement.page = std::max(std::atoi(f["page"].c_str()), 1);
        }
        auto out = s.pades.sign_pdf(pdf, r);
        Response resp = Response::bytes("application/pdf", std::move(out.file));
        resp.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + ascii_file_name(name) + "\"");
        resp.headers.emplace_back("Cache-Control", "no-store");
        return resp;
    } catch (const Error& e) {
        json data = account_view(s, lang, id);
        data["error"] = message(s, lang, e.code());
        data["anchors"] = anchors_view(lang, f["anchor"].empty() ? 8 : std::atoi(f["anchor"].c_str()));
        data["levels"] = levels_view(f["level"].empty() ? "B-LTA" : f["level"]);
        data["page"] = f["page"].empty() ? "1" : f["page"];
        data["reason"] = f["reason"];
        data["location"] = f["location"];
        data["scripts"] = sign_page_scripts();
        int status = e.http_status() >= 400 ? e.http_status() : 422;
        return s.pages.render(req, "portal_sign", "portal.sign", data, status, "portal");
    }
}

}  // namespace

void register_portal_pages(Router& router, const PortalPageServices& s) {
    router.add("GET", "/portal/login", with(s, sign_in_page), Execution::Blocking, "ui_portal");

    // One answer for unknown user, wrong password and wrong code (the CSC login counts and audits).
    router.add("POST", "/portal/login", with(s, sign_in), Execution::Blocking, "ui_portal");

    router.add("POST", "/portal/logout", signed_in(s, with(s, sign_out), true), Execution::Blocking, "ui_portal");

    // First sign-in: a QR code of a new secret, shown only to the signed-in owner; confirmed with a code.
    router.add("GET", "/portal/enrol", signed_in(s, with(s, enrolment_page), true), Execution::Blocking, "ui_portal");

    router.add("POST", "/portal/enrol", signed_in(s, with(s, enrol), true), Execution::Blocking, "ui_portal");

    router.add("GET", "/portal", signed_in(s, with(s, account_page)), Execution::Blocking, "ui_portal");

    // #16: a mail for each signing with the key, or one digest a day
    router.add("POST", "/portal/notices", signed_in(s, with(s, save_notice_choices)), Execution::Blocking, "ui_portal");

    router.add("GET", "/portal/password", signed_in(s, with(s, password_page)), Execution::Blocking, "ui_portal");

    // Signing password: old + new (twice) + OTP; every key is re-sealed under the new one in one transaction. For an
    // account the office opened ("first"): new (twice) + OTP make the first signing key (#14).
    router.add("POST", "/portal/password", signed_in(s, with(s, change_passwords)), Execution::Blocking, "ui_portal");

    // A renewal or re-key the office approved: the signer finishes it here, so the new key is sealed under a password
    // only they know (re-key: a new signing password; renewal: the current one and a fresh OTP).
    router.add("GET", "/portal/complete", signed_in(s, with(s, completion_page)), Execution::Blocking, "ui_portal");

    router.add("POST", "/portal/complete", signed_in(s, with(s, complete_request)), Execution::Blocking, "ui_portal");

    // What this account signed (from the audit log: the document's hash and reference, never the document).
    router.add("GET", "/portal/history", signed_in(s, with(s, history_page)), Execution::Blocking, "ui_portal");

    router.add("GET", "/portal/log", signed_in(s, with(s, log_page)), Execution::Blocking, "ui_portal");
    router.add("GET", "/portal/log/{index}/proof", signed_in(s, with(s, log_proof_file)),
               Execution::Blocking, "ui_portal");

    router.add("GET", "/portal/sign", signed_in(s, with(s, signing_page)), Execution::Blocking, "ui_portal");

    // #16: the signing page's preview of the real appearance — this signer's name, agency and title, the time now, the
    // reason and location as typed — drawn by the PDF worker at the placed box's size (240 × 90 points).
    router.add("GET", "/portal/appearance.pdf", signed_in(s, with(s, appearance_sample_file)),
               Execution::Blocking, "ui_portal");

    // The upload is signed in memory and comes back as the download; nothing is kept but the audit event.
    router.add("POST", "/portal/sign", signed_in(s, with(s, sign_document)), Execution::Blocking, "ui_portal_sign");
}

}  // namespace yq::web
