// libFuzzer: the registration office's JSON API (/api/v1: staff, documents, agencies, representatives, letters,
// applications, requests, appointments, audit search) through its real routes (registration_environment.hpp).
// Input: one byte choosing the caller (bit 0: officer or supervisor), then "METHOD PATH[?QUERY]\n" and the body;
// "@A" and "@D" name the start-up agency and document.
// Must hold: every answer below 500 (bad input is the caller's error, with a stable code), JSON where the route
// answers JSON, and every 512 inputs the audit chain verifies with its head row naming its last event (no failed
// request left anything half-written).
#include "fuzz/registration_environment.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto& env = yq::fuzz::registration_environment();
    if (size < 2) return 0;
    std::string input(reinterpret_cast<const char*>(data + 1), size - 1);
    std::size_t line_end = input.find('\n');
    if (line_end == std::string::npos) return 0;
    std::string line = input.substr(0, line_end);
    std::size_t space = line.find(' ');
    if (space == std::string::npos) return 0;
    yq::web::Request req;
    req.method = line.substr(0, space);
    std::string target = line.substr(space + 1);
    req.body = input.substr(line_end + 1);
    for (std::string* s : {&target, &req.body}) {
        yq::fuzz::replace_all(*s, "@A", env.agency);
        yq::fuzz::replace_all(*s, "@D", env.document);
    }
    if (yq::fuzz::ends_a_fuzz_session(target)) return 0;
    std::size_t q = target.find('?');
    req.path = target.substr(0, q);
    req.query = q == std::string::npos ? "" : target.substr(q + 1);
    req.headers["authorization"] = "Bearer " + env.tokens[data[0] & 1];
    req.headers["content-type"] = "application/json";
    yq::web::Response r = env.respond(req);
    if (r.status >= 500) std::abort();
    bool json_answer = r.content_type.find("json") != std::string::npos;
    if (r.status != 204 && json_answer && nlohmann::json::parse(r.body, nullptr, false).is_discarded()) {
        std::cerr << req.method << " " << req.path << ": " << r.status << " answer is not JSON\n";
        std::abort();
    }
    if (++env.inputs % 512 == 0) env.check_audit_chain();
    return 0;
}
