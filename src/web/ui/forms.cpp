#include "web/ui/forms.hpp"

#include <sodium.h>

#include "core/error.hpp"

namespace yq::web {

namespace {

[[noreturn]] void bad_form(const std::string& why) { throw Error("ui.bad_form", 400, why); }

std::string form_decode(std::string s) {
    for (auto& c : s)
        if (c == '+') c = ' ';
    return url_decode(s);
}

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
    return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// A parameter of a header value: `boundary=...` or `name="..."` (quotes removed; RFC 7578 §4.2).
std::string header_parameter(const std::string& value, const std::string& name) {
    std::size_t p = 0;
    while ((p = value.find(';', p)) != std::string::npos) {
        ++p;
        std::size_t eq = value.find('=', p);
        if (eq == std::string::npos) return "";
        if (trim(value.substr(p, eq - p)) != name) continue;
        std::string v = trim(value.substr(eq + 1));
        if (!v.empty() && v.front() == '"') {
            std::size_t close = v.find('"', 1);
            return v.substr(1, close == std::string::npos ? std::string::npos : close - 1);
        }
        return v.substr(0, v.find(';'));
    }
    return "";
}

}  // namespace

std::map<std::string, std::string> parse_urlencoded(const std::string& body) {
    std::map<std::string, std::string> out;
    std::size_t start = 0;
    while (start <= body.size()) {
        std::size_t end = body.find('&', start);
        if (end == std::string::npos) end = body.size();
        std::string pair = body.substr(start, end - start);
        if (!pair.empty()) {
            std::size_t eq = pair.find('=');
            out[form_decode(pair.substr(0, eq))] = eq == std::string::npos ? "" : form_decode(pair.substr(eq + 1));
        }
        start = end + 1;
    }
    return out;
}

std::vector<FormPart> parse_multipart(const std::string& content_type, const std::string& body) {
    std::string boundary = header_parameter(content_type, "boundary");
    if (boundary.empty() || boundary.size() > 70) bad_form("the upload has no valid multipart boundary");
    const std::string delimiter = "--" + boundary;
    std::vector<FormPart> parts;
    std::size_t p = body.find(delimiter);
    if (p == std::string::npos) bad_form("the upload is not multipart/form-data");
    while (true) {
        p += delimiter.size();
        if (body.compare(p, 2, "--") == 0) break;  // close delimiter
        if (body.compare(p, 2, "\r\n") != 0) bad_form("a multipart delimiter is not followed by CRLF");
        p += 2;
        std::size_t headers_end = body.find("\r\n\r\n", p);
        if (headers_end == std::string::npos) bad_form("a multipart part has no header end");
        FormPart part;
        std::size_t line = p;
        while (line < headers_end) {
            std::size_t eol = body.find("\r\n", line);
            if (eol == std::string::npos || eol > headers_end) eol = headers_end;
            std::string header = body.substr(line, eol - line);
            std::size_t colon = header.find(':');
            if (colon != std::string::npos) {
                std::string name = header.substr(0, colon);
                for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                std::string value = trim(header.substr(colon + 1));
                if (name == "content-disposition") {
                    part.name = header_parameter(value, "name");
                    part.filename = header_parameter(value, "filename");
                } else if (name == "content-type") {
                    part.content_type = value;
                }
            }
            line = eol + 2;
        }
        std::size_t data_start = headers_end + 4;
        std::size_t next = body.find("\r\n" + delimiter, data_start);
        if (next == std::string::npos) bad_form("the upload ends before its last part");
        part.data = body.substr(data_start, next - data_start);
        if (part.name.empty()) bad_form("a multipart part has no field name");
        parts.push_back(std::move(part));
        p = next + 2;
        if (parts.size() > 64) bad_form("the form has too many parts");
    }
    return parts;
}

UploadForm parse_upload_form(const Request& req) {
    std::string type = req.header("content-type");
    if (type.rfind("multipart/form-data", 0) != 0) bad_form("the form must be sent as multipart/form-data");
    UploadForm form;
    for (auto& part : parse_multipart(type, req.body)) {
        if (part.filename.empty()) form.fields[part.name] = std::move(part.data);
        else {
            form.file_names[part.name] = part.filename;
            form.files[part.name] = std::move(part.data);
        }
    }
    return form;
}

std::map<std::string, std::string> form_fields(const Request& req) {
    std::string type = req.header("content-type");
    if (type.rfind("multipart/form-data", 0) == 0) {
        std::map<std::string, std::string> out;
        for (auto& part : parse_multipart(type, req.body))
            if (part.filename.empty()) out[part.name] = std::move(part.data);
        return out;
    }
    return parse_urlencoded(req.body);
}

core::SecureString take_secret(std::map<std::string, std::string>& fields, const std::string& key) {
    std::string& value = fields[key];
    core::SecureString secret = core::to_secure(value);
    sodium_memzero(value.data(), value.size());
    value.clear();
    return secret;
}

Response see_other(const std::string& location, const std::vector<std::string>& cookies) {
    Response r;
    r.status = 303;
    r.headers.emplace_back("Location", location);
    for (const auto& c : cookies) r.headers.emplace_back("Set-Cookie", c);
    return r;
}

std::string cleared_cookie(const std::string& name) { return name + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"; }

std::string cookie_value(const Request& req, const std::string& name) {
    std::string header = req.header("cookie");
    std::size_t p = 0;
    while (p < header.size()) {
        std::size_t end = header.find(';', p);
        if (end == std::string::npos) end = header.size();
        std::string pair = trim(header.substr(p, end - p));
        std::size_t eq = pair.find('=');
        if (eq != std::string::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
        p = end + 1;
    }
    return "";
}

std::string set_cookie(const std::string& name, const std::string& value, bool secure, long max_age) {
    std::string c = name + "=" + value + "; Path=/; HttpOnly; SameSite=Strict";
    if (max_age > 0) c += "; Max-Age=" + std::to_string(max_age);
    if (secure) c += "; Secure";
    return c;
}

}  // namespace yq::web
