// libFuzzer: multipart/form-data uploads to the back office's pages (documents for an agency, an application or a
// request, the unlock counter, new cases) through their real routes (registration_environment.hpp), signed in by
// cookie with a valid CSRF pair. Input: one byte choosing the caller (bit 0), then "PATH\n", then the Content-Type
// line, then the body; "@X" in the body stands for the CSRF token, "@A" and "@D" for the start-up agency and document.
// Must hold: no answer of 500 or more (a bad upload is refused with the error page and a 4xx or sent back to its case
// page), and every 512 inputs the audit chain verifies with its head row naming its last event.
#include "fuzz/registration_environment.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto& env = yq::fuzz::registration_environment();
    static const std::string kCsrf(64, 'c');
    if (size < 2) return 0;
    std::string input(reinterpret_cast<const char*>(data + 1), size - 1);
    std::size_t path_end = input.find('\n');
    if (path_end == std::string::npos) return 0;
    std::size_t type_end = input.find('\n', path_end + 1);
    if (type_end == std::string::npos) return 0;
    yq::web::Request req;
    req.method = "POST";
    req.path = input.substr(0, path_end);
    req.headers["content-type"] = input.substr(path_end + 1, type_end - path_end - 1);
    req.body = input.substr(type_end + 1);
    yq::fuzz::replace_all(req.path, "@A", env.agency);
    yq::fuzz::replace_all(req.body, "@A", env.agency);
    yq::fuzz::replace_all(req.body, "@D", env.document);
    yq::fuzz::replace_all(req.body, "@X", kCsrf);
    if (req.path.rfind("/office/", 0) != 0 || yq::fuzz::ends_a_fuzz_session(req.path)) return 0;
    req.headers["cookie"] = "yq_staff=" + env.tokens[data[0] & 1] + "; yq_csrf=" + kCsrf;
    yq::web::Response r = env.respond(req);
    if (r.status >= 500) {
        std::cerr << req.path << ": " << r.status << "\n";
        std::abort();
    }
    if (++env.inputs % 512 == 0) env.check_audit_chain();
    return 0;
}
