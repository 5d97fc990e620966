// POST /api/v1/validate (see validation_api.hpp).
#include "web/handlers/public/validation_api.hpp"

#include <optional>

#include "core/error.hpp"
#include "validation/etsi_report.hpp"
#include "web/handlers/api_support.hpp"
#include "web/ui/forms.hpp"
#include "web/ui/i18n.hpp"
#include "web/ui/report_view.hpp"
#include "web/validation_html.hpp"

namespace yq::web {

namespace {

// The file to validate (and a detached signature's content), as sent; dropped with the request.
struct Submission {
    std::string file;
    std::string name;
    std::optional<std::string> content;
};

Submission submission_of(const Request& req) {
    if (req.body.empty()) throw_bad_input("validation.empty", "send the file as the request body");
    if (req.header("content-type").rfind("multipart/form-data", 0) != 0) return {req.body, "", std::nullopt};
    Submission out;
    for (auto& part : parse_multipart(req.header("content-type"), req.body)) {
        if (part.name == "file") out.file = std::move(part.data), out.name = part.filename;
        else if (part.name == "content") out.content = std::move(part.data);
    }
    if (out.file.empty()) throw_bad_input("validation.empty", "send the file in the form field \"file\"");
    return out;
}

Response report_response(const char* media_type, std::string body, int status) {
    Response r = Response::bytes(media_type, std::move(body));
    r.status = status;
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

Response validate(const ValidationApiServices& s, const Request& req) {
    Submission in = submission_of(req);
    bool is_pdf = in.file.find("%PDF-") < 1024;  // ISO 32000-2 §7.5.2: the header near the start
    validation::Report report = is_pdf ? s.pdf.validate(in.file) : s.cms.validate(core::to_bytes(in.file), in.content);
    int status = report.problem.empty() ? 200 : 422;
    const std::string lang = choose_language(req);
    if (req.header("accept").find("text/html") != std::string::npos)
        return report_response("text/html; charset=utf-8", validation_report_html(report, in.name, lang), status);
    const std::string signed_param = query_value(req, "signed"), form = query_value(req, "report");
    if (!form.empty() && form != "json" && form != "etsi" && form != "pdf")
        throw_bad_input("validation.bad_parameter", "report is json, etsi or pdf");
    if (!signed_param.empty() && signed_param != "false" && signed_param != "true")
        throw_bad_input("validation.bad_parameter", "signed is true or false");
    const bool sign = signed_param == "true";
    if (form == "pdf") {  // the report printed, in the reader's language; signed with PAdES on request
        std::string document = s.pades.text_document_pdf(report_document_blocks(report, lang, in.name),
                                                         "yunqian · " + report.validation_time);
        if (sign) document = s.signer.sign_pdf(document, s.pades);
        return report_response("application/pdf", std::move(document), status);
    }
    if (form == "etsi") {  // enveloped XAdES-B-B by the validation service on request
        std::string xml = validation::to_etsi_xml(report);
        if (sign) xml = s.signer.sign_xml(xml, s.clock.unix_seconds());
        return report_response("application/xml", std::move(xml), status);
    }
    if (sign)  // a JWS (RFC 7515 compact), evidence a third party can check
        return report_response("application/jose", s.signer.sign(validation::to_json(report)), status);
    return json_response(validation::to_json(report), status);
}

}  // namespace

void register_validation_api(Router& router, const ValidationApiServices& s) {
    router.add("POST", "/api/v1/validate", with(s, validate), Execution::Blocking, "api_validate");
}

}  // namespace yq::web
