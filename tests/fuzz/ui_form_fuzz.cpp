// libFuzzer: what browsers send to the web UI — multipart/form-data bodies (the verify upload), urlencoded forms and
// cookie headers. Any input gives fields or a 400 "ui.bad_form", never a crash; parts always lie inside the body.
#include <cstdlib>
#include <iostream>

#include "core/error.hpp"
#include "web/ui/forms.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string input(reinterpret_cast<const char*>(data), size);
    std::size_t split = input.find('\n');
    std::string type = split == std::string::npos ? "multipart/form-data; boundary=B" : input.substr(0, split);
    std::string body = split == std::string::npos ? input : input.substr(split + 1);
    try {
        for (const auto& part : yq::web::parse_multipart(type, body))
            if (part.data.size() > body.size()) std::abort();
    } catch (const yq::Error& e) {
        if (e.code() != "ui.bad_form") std::abort();
    }
    try {
        (void)yq::web::parse_urlencoded(body);
    } catch (const yq::Error&) {
    }
    yq::web::Request req;
    req.headers["cookie"] = body;
    (void)yq::web::cookie_value(req, "yq_csrf");
    return 0;
}
