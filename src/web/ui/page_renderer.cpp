#include "web/ui/page_renderer.hpp"

#include <kainjow/mustache.hpp>
#include <algorithm>
#include <span>
#include <sodium.h>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "core/mustache_json.hpp"
#include "web/ui/assets.hpp"
#include "web/ui/forms.hpp"
#include "web/ui/i18n.hpp"
#include "web/ui/office_contact.hpp"

namespace yq::web {

namespace {

namespace mustache = kainjow::mustache;
using nlohmann::json;

using core::to_mustache;

const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; connect-src 'self'";

struct NavEntry {
    const char* section;
    const char* href;
    const char* key;
};
const NavEntry kNavigation[] = {{"home", "/", "nav.home"},
                                {"register", "/register", "nav.register"},
                                {"book", "/appointments/book", "nav.book"},
                                {"verify", "/verify", "nav.verify"},
                                {"repository", "/repository", "nav.repository"},
                                {"portal", "/portal", "nav.portal"}};
// The back office's own navigation (its pages' sections start with "office").
const NavEntry kOfficeNavigation[] = {{"office", "/office", "nav.office_queue"},
                                      {"office_agencies", "/office/agencies", "nav.office_agencies"},
                                      {"office_week", "/office/appointments/week", "nav.office_week"},
                                      {"office_unlock", "/office/unlock", "nav.office_unlock"}};

// Templates whose names start with "_" are partials: `{{> case_documents}}` includes templates/_case_documents.html
// in the context where it stands.
void add_partials(mustache::data& d) {
    for (const auto& [path, text] : embedded_assets()) {
        const std::string prefix = "templates/_";
        if (path.rfind(prefix, 0) != 0) continue;
        std::string name = path.substr(prefix.size(), path.size() - prefix.size() - 5);  // without ".html"
        const std::string* body = &text;
        d.set(name, mustache::partial([body] { return *body; }));
    }
}

}  // namespace

std::string PageRenderer::render_template(const std::string& name, const json& data) {
    mustache::mustache tmpl{asset("templates/" + name + ".html")};
    if (!tmpl.is_valid()) throw Error("ui.bad_template", 500, "template " + name + ": " + tmpl.error_message());
    mustache::data d = to_mustache(data);
    if (d.is_object()) add_partials(d);
    return tmpl.render(d);
}

Response PageRenderer::render(const Request& req, const std::string& name, const std::string& title_key, json data,
                              int status, const std::string& section) const {
    const std::string lang = choose_language(req);
    std::string csrf = cookie_value(req, kCsrfCookie);
    bool new_token = csrf.size() != 64;
    if (new_token) {
        core::Bytes random(32);
        randombytes_buf(random.data(), random.size());
        csrf = core::hex_encode(random);
    }
    json contact = office_contact_view(m_settings.office, lang);
    data["t"] = catalogue(lang);
    data["lang"] = lang;
    data["csrf"] = csrf;
    data["office_contact"] = contact;
    std::string body = render_template(name, data);

    json page;
    page["t"] = catalogue(lang);
    page["lang"] = lang;
    page["office_contact"] = contact;
    page["title"] = translate(lang, title_key);
    page["body"] = body;
    if (data.contains("scripts")) page["scripts"] = data["scripts"];  // files under /static only (CSP script-src 'self')
    json languages = json::array();
    for (const auto& l : ui_languages())
        languages.push_back({{"code", l},
                             {"label", translate(l, "language.self")},
                             {"href", "/language/" + l + "?next=" + core::percent_encode(local_path_or_root(req.target))},
                             {"current", l == lang}});
    page["languages"] = languages;
    json nav = json::array();
    bool back_office = section.rfind("office", 0) == 0;
    for (const auto& n : back_office ? std::span<const NavEntry>(kOfficeNavigation) : std::span<const NavEntry>(kNavigation))
        nav.push_back({{"href", n.href}, {"label", translate(lang, n.key)}, {"current", section == n.section}});
    page["nav"] = nav;

    Response r = Response::bytes("text/html; charset=utf-8", render_template("layout", page));
    r.status = status;
    r.headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
    r.headers.emplace_back("Referrer-Policy", "same-origin");
    r.headers.emplace_back("Cache-Control", "no-store");
    r.headers.emplace_back("Content-Language", lang);
    if (new_token) r.headers.emplace_back("Set-Cookie", set_cookie(kCsrfCookie, csrf, m_settings.secure_cookies));
    return r;
}

Response PageRenderer::error_page(const Request& req, int status, const std::string& message_key) const {
    return render(req, "error", "error.title", json{{"message", translate(choose_language(req), message_key)},
                                                    {"status", std::to_string(status)}},
                  status);
}

std::string too_many_attempts_message(const std::string& lang, std::int64_t seconds) {
    std::string text = translate(lang, "error.too_many");
    std::size_t at = text.find("{minutes}");
    if (at != std::string::npos) text.replace(at, 9, std::to_string(std::max<std::int64_t>((seconds + 59) / 60, 1)));
    return text;
}

Response PageRenderer::error_page(const Request& req, const Error& error, const std::string& message_key) const {
    return error_page(req, error.http_status() >= 400 ? error.http_status() : 500, message_key);
}

void require_csrf(const Request& req, const std::map<std::string, std::string>& fields) {
    std::string cookie = cookie_value(req, kCsrfCookie);
    auto it = fields.find("csrf");
    bool ok = cookie.size() == 64 && it != fields.end() && it->second.size() == cookie.size() &&
              sodium_memcmp(cookie.data(), it->second.data(), cookie.size()) == 0;
    if (!ok) throw Error("ui.csrf", 403, "the form has expired or did not come from this site: reload the page and try again");
}

std::string local_path_or_root(const std::string& path) {
    // only "/x…": not "//host", not "/\host", no scheme, no control characters
    if (path.empty() || path[0] != '/' || (path.size() > 1 && (path[1] == '/' || path[1] == '\\'))) return "/";
    for (unsigned char c : path)
        if (c < 0x20 || c == 0x7f) return "/";
    return path;
}

}  // namespace yq::web
