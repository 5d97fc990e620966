#pragma once
// What HTML forms send: application/x-www-form-urlencoded fields (WHATWG URL §5.1), multipart/form-data parts
// (RFC 7578) and cookies (RFC 6265 §5.4). Error style: throws yq::Error 400 "ui.bad_form".
#include <map>
#include <string>
#include <vector>

#include "core/secure_buffer.hpp"
#include "web/http_types.hpp"

namespace yq::web {

std::map<std::string, std::string> parse_urlencoded(const std::string& body);

struct FormPart {
    std::string name;
    std::string filename;      // empty for plain fields
    std::string content_type;  // of a file part
    std::string data;
};
// The parts of a multipart/form-data body; `content_type` is the request's header (it carries the boundary).
std::vector<FormPart> parse_multipart(const std::string& content_type, const std::string& body);

// A multipart/form-data form split into its fields and its files (by field name; a file input left empty by the
// browser comes as an empty field). Throws 400 "ui.bad_form" when the request is not multipart.
struct UploadForm {
    std::map<std::string, std::string> fields;
    std::map<std::string, std::string> files;
    std::map<std::string, std::string> file_names;  // the name the browser gave each file (for a download's name)
};
UploadForm parse_upload_form(const Request& req);

// The form's fields, whichever of the two encodings the request used (files left out).
std::map<std::string, std::string> form_fields(const Request& req);

// A password from a form: copied into zeroizing memory and the form's copy wiped (the body goes with the request).
core::SecureString take_secret(std::map<std::string, std::string>& fields, const std::string& key);

// 303 See Other to a local path, with Set-Cookie headers.
Response see_other(const std::string& location, const std::vector<std::string>& cookies = {});

std::string cookie_value(const Request& req, const std::string& name);
// A Set-Cookie value: Path=/, HttpOnly, SameSite=Strict, Secure when `secure`; `max_age` seconds (0: session cookie).
std::string set_cookie(const std::string& name, const std::string& value, bool secure, long max_age = 0);
// The Set-Cookie value that removes a cookie (sign-out).
std::string cleared_cookie(const std::string& name);

}  // namespace yq::web
