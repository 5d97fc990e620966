#pragma once
// Server-rendered pages: a Mustache template (templates/<name>.html, HTML-escaped by default) inside the layout, in
// the visitor's language, with the headers every page carries — a strict Content-Security-Policy without inline
// script or style, no caching of pages that hold a form token — and the CSRF cookie (double submit: the token in the
// HttpOnly, SameSite=Strict cookie `yq_csrf` must come back in the form field `csrf`).
#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "core/config.hpp"
#include "core/error.hpp"
#include "web/http_types.hpp"

namespace yq::web {

struct UiSettings {
    bool secure_cookies = false;  // Secure on cookies when the server speaks TLS
    core::OfficeConfig office;    // its contacts: every page's footer and printed letters (`office_contact`)
};

inline constexpr const char* kCsrfCookie = "yq_csrf";

class PageRenderer {
public:
    explicit PageRenderer(UiSettings settings) : m_settings(settings) {}

    // `data` is what the template sees besides `t` (the catalogue), `lang` and `csrf`; `title_key` names the
    // catalogue string for <title>; `section` marks the navigation entry that is current.
    Response render(const Request& req, const std::string& name, const std::string& title_key, nlohmann::json data,
                    int status = 200, const std::string& section = "") const;
    // A page that says what went wrong in the visitor's language (`message_key`) and what to do.
    Response error_page(const Request& req, int status, const std::string& message_key) const;
    // The same for an error a page caught: its HTTP status when it is an error status, else 500.
    Response error_page(const Request& req, const Error& error, const std::string& message_key) const;
    const UiSettings& settings() const { return m_settings; }

    // Renders one template with the data (no layout); for the standalone report the CLI writes.
    static std::string render_template(const std::string& name, const nlohmann::json& data);

private:
    UiSettings m_settings;
};

// "Too many attempts … {minutes}": the catalogue message for a wait of `seconds`.
std::string too_many_attempts_message(const std::string& lang, std::int64_t seconds);

// The form's token must equal the cookie's (compared in constant time). Throws 403 "ui.csrf".
void require_csrf(const Request& req, const std::map<std::string, std::string>& fields);
// Where a language switch or form may send the visitor back to: a local path only, else "/".
std::string local_path_or_root(const std::string& path);

}  // namespace yq::web
