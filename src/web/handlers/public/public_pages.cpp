// The public site (see public_pages.hpp). Pages never show exception text: an error's code picks a catalogue message.
#include "web/handlers/public/public_pages.hpp"


#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "pki/openssl_ptr.hpp"
#include "web/handlers/public/transparency_routes.hpp"
#include "web/ui/assets.hpp"
#include "web/ui/forms.hpp"
#include "web/ui/i18n.hpp"
#include "web/ui/office_contact.hpp"
#include "web/ui/printable_forms.hpp"
#include "web/ui/report_view.hpp"

namespace yq::web {

namespace {

using nlohmann::json;

// yq::Error code → the catalogue message people read.
std::string message_key_for(const std::string& code) {
    static const std::map<std::string, std::string> keys{
        {"appointments.slot_full", "error.slot_full"},
        {"appointments.already_booked", "error.already_booked"},
        {"appointments.bad_contact", "error.missing_field"},
        {"appointments.bad_name", "error.missing_field"},
        {"appointments.agency_required", "error.missing_field"},
        {"appointments.username_required", "error.missing_field"},
        {"appointments.bad_details", "error.bad_form"},
        {"appointments.code_required", "error.missing_field"},
        {"appointments.bad_purpose", "error.bad_purpose"},
        {"appointments.in_the_past", "error.bad_slot"},
        {"appointments.outside_office_hours", "error.bad_slot"},
        {"appointments.unknown_code", "error.unknown_code"},
        {"appointments.not_booked", "error.unknown_code"},
        {"office.bad_date", "error.bad_date"},
        {"ui.csrf", "error.csrf"},
        {"ui.bad_form", "error.bad_form"},
        {"ui.not_pdf", "error.not_pdf"},
    };
    auto it = keys.find(code);
    return it == keys.end() ? "error.generic" : it->second;
}

// Runs a page handler; a yq::Error becomes the error page in the visitor's language (status from the error).
Handler page(const PageRenderer& pages, std::function<Response(const Request&)> body) {
    return [&pages, body = std::move(body)](const Request& req) {
        try {
            return body(req);
        } catch (const Error& e) {
            return pages.error_page(req, e, message_key_for(e.code()));
        }
    };
}

std::string content_type_of(const std::string& name) {
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".css") == 0) return "text/css; charset=utf-8";
    if (name.size() > 3 && name.compare(name.size() - 3, 3, ".js") == 0) return "text/javascript; charset=utf-8";
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".svg") == 0) return "image/svg+xml";
    return "text/plain; charset=utf-8";
}

json office_view(const PublicPageServices& s, const std::string& lang) {
    json hours = json::array();
    const json& days = catalogue(lang)["office"]["weekdays"];
    for (std::size_t i = 0; i < 7 && i < s.config.office.hours.size(); ++i) {
        const std::string& h = s.config.office.hours[i];
        hours.push_back({{"day", days.at(i)}, {"open", !h.empty()}, {"time", h.empty() ? "" : h.substr(0, 5) + "–" + h.substr(6)}});
    }
    // the public holidays ahead (#16), from today in office time
    json holidays = upcoming_holidays(s.config.office, lang, s.calendar.local_text(s.clock.unix_seconds()).substr(0, 10), 8);
    return {{"hours", hours},
            {"holidays", holidays},
            {"has_holidays", !holidays.empty()},
            {"office_contact", office_contact_view(s.config.office, lang)},
            {"t", catalogue(lang)}};
}

// "AB:CD:…": the SHA-256 fingerprint of a certificate as people compare it.
std::string fingerprint_text(const core::Bytes& certificate_der) {
    std::string fp = core::hex_encode(core::sha256(certificate_der));
    std::string pretty;
    for (std::size_t i = 0; i < fp.size(); i += 2) pretty += (i ? ":" : "") + fp.substr(i, 2);
    return pretty;
}

// A signature's public record (#16: what its QR code opens): who signed, when, at which level, the digest signed and
// the certificate's status now. With a checked file (`report`), whether the file carries this signature: one of its
// signatures covers bytes whose SHA-256 is the record's digest.
Response signature_record_page(const PublicPageServices& s, const Request& req, const std::string& reference,
                               const validation::Report* report, const std::string& report_html = "") {
    std::string lang = choose_language(req);
    auto found = s.signatures.find(reference);
    if (!found) return s.pages.error_page(req, 404, "record.not_found");
    const pades::PublicSignatureRecord& r = *found;
    const std::string digest = core::hex_encode(r.record.signed_digest);
    json data{{"reference", r.record.reference},
              {"signer", r.signer_name},
              {"title", r.title},
              {"agency", r.agency},
              {"signed_at", s.calendar.local_text(r.record.signed_at)},
              {"level", r.record.level},
              {"digest", digest},
              {"certificate_serial", r.record.certificate_serial},
              {"status_valid", r.certificate_status == "valid"},
              {"status_revoked", r.certificate_status == "revoked"},
              {"status_expired", r.certificate_status == "expired"},
              {"revoked_at", r.revoked_at ? s.calendar.local_text(r.revoked_at) : ""},
              {"reason", r.revocation_reason.empty() ? "" : translate(lang, "backoffice.reasons." + r.revocation_reason)},
              {"not_after", r.certificate_not_after ? s.calendar.local_text(r.certificate_not_after) : ""},
              {"checked", report != nullptr},
              {"report", report_html}};
    bool carries = false;
    if (report)
        for (const auto& sig : report->signatures) carries = carries || sig.byte_range_sha256 == digest;
    data["carries"] = carries;
    // #18: the signature's leaf in the signing transparency log, in the newest signed tree head
    if (r.record.log_index >= 0) {
        transparency::InclusionProof proof = s.log.inclusion(r.record.log_index);
        data["log"] = {{"index", proof.leaf.index},
                       {"leaf_hash", core::hex_encode(proof.leaf.hash)},
                       {"tree_size", proof.head.tree_size},
                       {"head_at", s.calendar.local_text(proof.head.timestamp_ms / 1000)},
                       {"reference", r.record.reference}};
    }
    return s.pages.render(req, "signature_record", "record.title", data, 200, "verify");
}

// #18: a record's inclusion proof as a file (`yunqian transparency verify --proof FILE --root root.crt`).
Response signature_record_proof(const PublicPageServices& s, const Request& req) {
    std::string reference = parse_urlencoded(req.query)["ref"];
    auto found = reference.empty() ? std::nullopt : s.signatures.find(reference);
    if (!found || found->record.log_index < 0) return s.pages.error_page(req, 404, "record.not_found");
    return proof_file(s.log, found->record.log_index);
}

// The made-up signer whose appearance the guide shows (the 簽署式樣 on the page and in its PDF).
pades::AppearanceText guide_sample_appearance(const PublicPageServices& s) {
    return pades::AppearanceText{"陳大文 Chan Tai Man", "示例局 Direcção dos Serviços de Exemplo", "技術員 Técnico",
                                 pades::office_time_text(s.clock.unix_seconds(), s.config.office), "核准 Approved",
                                 "澳門 Macau", s.config.ca.base_url + "/verify/guide", {}};
}

// The verification guide's text in `lang`, block by block as templates/verify_guide.html shows it, for its PDF.
std::vector<pades::GuideBlock> guide_blocks(const std::string& lang, const std::string& root_fingerprint,
                                            const std::string& base_url) {
    const json& g = catalogue(lang).at("guide");
    auto text = [&](const char* key) { return g.value(key, std::string()); };
    std::vector<pades::GuideBlock> out;
    auto add = [&](const char* kind, const std::string& t) { out.push_back(pades::GuideBlock{kind, t, ""}); };
    auto steps = [&](const char* key) {
        int n = 0;
        for (const auto& step : g.at(key)) out.push_back(pades::GuideBlock{"li", step.get<std::string>(), std::to_string(++n) + "."});
    };
    auto term = [&](const std::string& name, const std::string& meaning) {
        add("dt", name);
        add("dd", meaning);
    };
    add("h1", text("title"));
    add("p", text("intro"));
    add("h2", text("appearance_title"));
    add("p", text("appearance_intro"));
    out.push_back(pades::GuideBlock{"figure", "", ""});
    steps("appearance_parts");
    add("h2", text("here_title"));
    steps("here_steps");
    term(translate(lang, "verify.indications.TOTAL-PASSED"), text("result_valid"));
    term(translate(lang, "verify.indications.INDETERMINATE"), text("result_indeterminate"));
    term(translate(lang, "verify.indications.TOTAL-FAILED"), text("result_invalid"));
    add("p", base_url + "/verify");
    add("h2", text("root_title"));
    add("p", text("root_intro"));
    add("p", translate(lang, "repository.fingerprint") + ":");
    add("code", root_fingerprint);
    add("p", base_url + "/repo/root.crt");
    add("h2", text("acrobat_title"));
    steps("acrobat_steps");
    add("h2", text("foxit_title"));
    steps("foxit_steps");
    add("h3", text("banners_title"));
    term(text("banner_valid_name"), text("banner_valid"));
    term(text("banner_unknown_name"), text("banner_unknown"));
    term(text("banner_invalid_name"), text("banner_invalid"));
    add("h2", text("levels_title"));
    term("B-B", text("level_bb"));
    term("B-T", text("level_bt"));
    term("B-LT", text("level_blt"));
    term("B-LTA", text("level_blta"));
    return out;
}

// The page of the form named in the path: blank, or (`with_sample`) filled with the sample and its callouts.
Response printable_form_page(const PublicPageServices& s, const Request& req, bool with_sample) {
    const std::string name = req.param("name");
    if (!printable_forms().count(name)) throw Error("ui.not_found", 404, "no such form");
    json data = printable_form_view(s.config.ra, name);
    if (with_sample) fill_form_sample(data, name, choose_language(req));
    return s.pages.render(req, "printable_form", with_sample ? "forms.guide_title" : "register.title", data, 200,
                          "register");
}

json document_names(const PublicPageServices& s, const std::string& lang, const std::string& request) {
    json out = json::array();
    auto it = s.config.ra.checklists.find(request);
    if (it != s.config.ra.checklists.end())
        for (const auto& doc : it->second)
            out.push_back({{"name", translate(lang, "documents." + doc)},
                           {"form", printable_forms().count(doc) ? "/forms/" + doc : ""},
                           {"guide", printable_forms().count(doc) ? "/forms/" + doc + "/guide" : ""}});
    return out;
}

const std::vector<std::string>& purposes() {
    static const std::vector<std::string> k{"unlock", "rekey", "recovery", "registration"};
    return k;
}

json appointment_view(const PublicPageServices& s, const std::string& lang, const ra::Appointment& a) {
    return {{"purpose", translate(lang, "book.purposes." + a.purpose)},
            {"when", s.calendar.local_text(a.slot_start)},
            {"status", translate(lang, "booked.statuses." + a.status)},
            {"can_cancel", a.status == "booked" && a.slot_start > s.clock.unix_seconds()}};
}

}  // namespace

void register_page_assets(Router& router, const PageRenderer& pages, const std::string& pdfjs_dir) {
    router.add("GET", "/language/{code}", [&pages](const Request& req) {
                   std::string code = req.param("code");
                   std::string next = local_path_or_root(parse_urlencoded(req.query)["next"]);
                   if (!is_ui_language(code)) return see_other(next);
                   return see_other(next, {set_cookie(kLanguageCookie, code, pages.settings().secure_cookies, 365L * 86400)});
               },
               Execution::Inline, "ui_public");

    router.add("GET", "/static/{name}", [](const Request& req) {
                   const auto& all = embedded_assets();
                   auto it = all.find("static/" + req.param("name"));
                   if (it == all.end()) throw Error("ui.not_found", 404, "no such file");
                   Response r = Response::bytes(content_type_of(req.param("name")), it->second);
                   r.headers.emplace_back("Cache-Control", "public, max-age=3600");
                   return r;
               },
               Execution::Inline, "ui_static");

    // pdf.js from the Debian package, two files only, read once at start-up (the signing page's preview).
    auto pdfjs = std::make_shared<std::map<std::string, std::string>>();
    for (const char* name : {"pdf.js", "pdf.worker.js"}) {
        std::ifstream in(std::filesystem::path(pdfjs_dir) / name, std::ios::binary);
        if (in) (*pdfjs)[name] = std::string(std::istreambuf_iterator<char>(in), {});
    }
    router.add("GET", "/static/pdfjs/{name}", [files = std::shared_ptr<const std::map<std::string, std::string>>(pdfjs)](const Request& req) {
                   auto it = files->find(req.param("name"));
                   if (it == files->end()) throw Error("ui.not_found", 404, "no such file");
                   Response r = Response::bytes("text/javascript; charset=utf-8", it->second);
                   r.headers.emplace_back("Cache-Control", "public, max-age=86400");
                   return r;
               },
               Execution::Inline, "ui_static");
}

namespace {

Response home_page(const PublicPageServices& s, const Request& req) {
    std::string lang = choose_language(req);
    json data{{"office", PageRenderer::render_template("office", office_view(s, lang))}};
    return s.pages.render(req, "home", "home.title", data, 200, "home");
}

Response registration_page(const PublicPageServices& s, const Request& req) {
    std::string lang = choose_language(req);
    json other = json::array();
    for (const char* request : {"revocation", "renewal", "unlock", "rekey", "recovery"})
        other.push_back({{"title", translate(lang, std::string("requests.") + request)},
                         {"documents", document_names(s, lang, request)}});
    json data{{"agency_documents", document_names(s, lang, "agency")},
              {"delegate_documents", document_names(s, lang, "agency_delegate")},
              {"application_documents", document_names(s, lang, "application")},
              {"other_requests", other}};
    return s.pages.render(req, "register", "register.title", data, 200, "register");
}

Response booking_page(const PublicPageServices& s, const Request& req) {
    std::string lang = choose_language(req);
    auto q = parse_urlencoded(req.query);
    std::string purpose = q["purpose"], date = q["date"];
    std::int64_t now = s.clock.unix_seconds();
    std::string today = s.calendar.local_text(now).substr(0, 10);
    json choices = json::array();
    for (const auto& p : purposes())
        choices.push_back({{"value", p}, {"label", translate(lang, "book.purposes." + p)}, {"checked", p == purpose}});
    json data{{"purposes", choices}, {"purpose", purpose}, {"today", today}, {"date", date.empty() ? today : date}};
    bool known_purpose = std::find(purposes().begin(), purposes().end(), purpose) != purposes().end();
    data["show_slots"] = known_purpose && !date.empty();
    // what the clerk needs (#16): the agency to register, the username to unlock, re-key or recover
    data["needs_agency"] = purpose == "registration";
    data["needs_username"] = known_purpose && purpose != "registration";
    if (known_purpose && !date.empty()) {
        json slots = json::array();
        for (const auto& [slot, left] : s.appointments.seats_on(date)) {
            if (slot.start <= now) continue;
            slots.push_back({{"start", std::to_string(slot.start)},
                             {"time", slot.local_start.substr(11)},
                             {"left", std::to_string(left)},
                             {"free", left > 0}});
        }
        data["slots"] = slots;
        data["has_slots"] = !slots.empty();
    }
    return s.pages.render(req, "book", "book.title", data, 200, "book");
}

Response book_appointment(const PublicPageServices& s, const Request& req) {
    auto f = form_fields(req);
    require_csrf(req, f);
    std::string lang = choose_language(req);
    std::int64_t now = s.clock.unix_seconds();
    if (std::int64_t wait = s.bookings.wait_seconds("ip:" + req.remote_address, now); wait > 0) {
        Response r = s.pages.render(req, "error", "error.title",
                                    json{{"message", too_many_attempts_message(lang, wait)}}, 429, "book");
        r.headers.emplace_back("Retry-After", std::to_string(wait));
        return r;
    }
    s.bookings.record("ip:" + req.remote_address, now);
    std::int64_t start = 0;
    try {
        start = std::stoll(f["slot"]);
    } catch (const std::exception&) {
        throw Error("appointments.outside_office_hours", 422, "no time chosen");
    }
    auto booking = s.appointments.book(f["purpose"], start, f["name"], f["contact"],
                                       "public-web:" + req.remote_address,
                                       ra::BookingDetails{f["agency"], f["username"]});
    json data = appointment_view(s, lang, booking.appointment);
    data["heading"] = translate(lang, "booked.title");
    data["code"] = booking.confirmation_code;
    data["lookup_code"] = booking.confirmation_code;
    return s.pages.render(req, "appointment", "booked.title", data, 201, "book");
}

Response find_appointment_page(const PublicPageServices& s, const Request& req) {
    std::string lang = choose_language(req);
    std::string code = parse_urlencoded(req.query)["code"];
    json data = appointment_view(s, lang, s.appointments.find(code));
    data["heading"] = translate(lang, "book.title");
    data["lookup_code"] = code;
    return s.pages.render(req, "appointment", "book.title", data, 200, "book");
}

Response cancel_appointment(const PublicPageServices& s, const Request& req) {
    auto f = form_fields(req);
    require_csrf(req, f);
    std::string lang = choose_language(req);
    s.appointments.cancel(f["code"], "public-web:" + req.remote_address);
    json data = appointment_view(s, lang, s.appointments.find(f["code"]));
    data["heading"] = translate(lang, "book.title");
    data["cancelled_now"] = true;
    return s.pages.render(req, "appointment", "book.title", data, 200, "book");
}

Response verify_page(const PublicPageServices& s, const Request& req) {
    std::string reference = parse_urlencoded(req.query)["ref"];
    if (!reference.empty()) return signature_record_page(s, req, reference, nullptr);
    return s.pages.render(req, "verify", "verify.title", json::object(), 200, "verify");
}

Response verify_document(const PublicPageServices& s, const Request& req) {
    UploadForm upload = parse_upload_form(req);
    require_csrf(req, upload.fields);
    const std::string& file = upload.files["file"];
    if (file.find("%PDF-") == std::string::npos) throw Error("ui.not_pdf", 422, "the upload is not a PDF");
    std::string lang = choose_language(req);
    validation::Report report = s.validator.validate(file);
    std::string html = report_section_html(report, lang, upload.file_names["file"]);
    if (std::string reference = upload.fields["ref"]; !reference.empty())
        return signature_record_page(s, req, reference, &report, html);
    return s.pages.render(req, "verify", "verify.report", json{{"report", html}}, 200, "verify");
}

Response guide_page(const PublicPageServices& s, const Request& req) {
    auto root = s.ca.ca_material("root");
    json data{{"root_fingerprint", root ? fingerprint_text(root->certificate_der) : ""},
              {"base_url", s.config.ca.base_url},
              {"scripts", json::array({"/static/pdfjs/pdf.js", "/static/pdf-figure.js", "/static/print.js"})}};
    return s.pages.render(req, "verify_guide", "guide.title", data, 200, "verify");
}

Response guide_appearance_file(const PublicPageServices& s, const Request&) {
    // the same sample for everyone, made once per process
    static std::mutex made_once;
    static std::string pdf;
    std::lock_guard lock(made_once);
    if (pdf.empty()) pdf = s.pades.appearance_sample(guide_sample_appearance(s));
    Response r = Response::bytes("application/pdf", pdf);
    r.headers.emplace_back("Content-Disposition", "inline; filename=\"signature-appearance.pdf\"");
    r.headers.emplace_back("Cache-Control", "public, max-age=3600");
    return r;
}

Response guide_file(const PublicPageServices& s, const Request& req) {
    static std::mutex made_once;
    static std::map<std::string, std::string> pdfs;
    const std::string lang = choose_language(req);
    std::lock_guard lock(made_once);
    std::string& pdf = pdfs[lang];
    if (pdf.empty()) {
        auto root = s.ca.ca_material("root");
        pdf = s.pades.verification_guide_pdf(
            guide_blocks(lang, root ? fingerprint_text(root->certificate_der) : "", s.config.ca.base_url),
            guide_sample_appearance(s), translate(lang, "guide.title") + " · " + s.config.ca.base_url);
    }
    Response r = Response::bytes("application/pdf", pdf);
    r.headers.emplace_back("Content-Disposition", "inline; filename=\"verification-guide-" + lang + ".pdf\"");
    r.headers.emplace_back("Cache-Control", "public, max-age=3600");
    r.headers.emplace_back("Vary", "Accept-Language, Cookie");
    return r;
}

Response repository_page(const PublicPageServices& s, const Request& req) {
    std::string lang = choose_language(req);
    json certs = json::array();
    for (const char* name : {"root", "issuing", "ocsp", "tsa"}) {
        auto m = s.ca.ca_material(name);
        if (!m) continue;
        auto cert = pki::certificate_from_der(m->certificate_der);
        certs.push_back({{"label", translate(lang, std::string("repository.") + name)},
                         {"subject", pki::name_text(X509_get_subject_name(cert.get()))},
                         {"fingerprint", fingerprint_text(m->certificate_der)},
                         {"href", std::string("/repo/") + name + ".crt"},
                         {"file", std::string(name) + ".crt"}});
    }
    json data{{"certificates", certs}, {"base_url", s.config.ca.base_url}};
    return s.pages.render(req, "repository", "repository.title", data, 200, "repository");
}

}  // namespace

void register_public_pages(Router& router, const PublicPageServices& s) {
    const PageRenderer& pages = s.pages;

    router.add("GET", "/", page(pages, with(s, home_page)), Execution::Inline, "ui_public");

    router.add("GET", "/register", page(pages, with(s, registration_page)), Execution::Inline, "ui_public");

    router.add("GET", "/forms/{name}",
               page(pages, [&s](const Request& req) { return printable_form_page(s, req, false); }), Execution::Inline,
               "ui_public");
    // 申請表填寫指引: the same form filled with a sample, callouts numbered on it and explained above it
    router.add("GET", "/forms/{name}/guide",
               page(pages, [&s](const Request& req) { return printable_form_page(s, req, true); }), Execution::Inline,
               "ui_public");

    register_page_assets(router, pages, s.config.ui.pdfjs_dir);

    // Appointment booking (office hours only, by the calendar; the code is shown once).
    router.add("GET", "/appointments/book", page(pages, with(s, booking_page)), Execution::Blocking, "ui_public");

    router.add("POST", "/appointments/book", page(pages, with(s, book_appointment)), Execution::Blocking, "ui_public");

    router.add("GET", "/appointments/find", page(pages, with(s, find_appointment_page)),
               Execution::Blocking, "ui_public");

    router.add("POST", "/appointments/cancel", page(pages, with(s, cancel_appointment)),
               Execution::Blocking, "ui_public");

    // The verify page: the upload is validated in memory and dropped with the request. With ?ref= (the link in a
    // signature's QR code) it is that signature's public record (#16).
    router.add("GET", "/verify", page(pages, with(s, verify_page)), Execution::Blocking, "ui_public");

    router.add("GET", "/verify/proof", page(pages, [&s](const Request& req) { return signature_record_proof(s, req); }),
               Execution::Blocking, "ui_public");

    router.add("POST", "/verify", page(pages, with(s, verify_document)), Execution::Blocking, "ui_verify");

    // #16 電子簽署驗證指引: what a signature looks like (the real appearance, drawn by the PDF worker) and how to verify
    // a signed PDF here, in Adobe Acrobat Reader and in Foxit PDF Reader; printable.
    router.add("GET", "/verify/guide", page(pages, with(s, guide_page)), Execution::Blocking, "ui_public");
    router.add("GET", "/verify/guide/appearance.pdf", with(s, guide_appearance_file), Execution::Blocking, "ui_public");
    // The same guide as a PDF made by the product (#16), in the visitor's language; made once per language and process.
    router.add("GET", "/verify/guide.pdf", with(s, guide_file), Execution::Blocking, "ui_public");

    router.add("GET", "/repository", page(pages, with(s, repository_page)), Execution::Blocking, "ui_public");
}

}  // namespace yq::web
