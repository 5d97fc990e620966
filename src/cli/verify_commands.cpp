// `yunqian verify` and `yunqian report check`: signatures validated from the console, and a signed validation report
// checked offline.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/command.hpp"
#include "cli/signing_services.hpp"
#include "core/error.hpp"
#include "validation/cms_validator.hpp"
#include "validation/etsi_report.hpp"
#include "validation/pdf_validator.hpp"
#include "validation/signed_report.hpp"
#include "web/ui/report_view.hpp"
#include "web/validation_html.hpp"

namespace yq::cli {

namespace {

struct VerifyArgs {
    std::string file, format = "text", lang = "zh-Hant", content;
    std::vector<std::string> trust;
    bool signed_report = false;
};

// The validation report of a PDF or of a CMS signature file (with its content: given, or FILE without .p7s).
validation::Report validate_file(const VerifyArgs& a, std::string bytes, const std::vector<core::Bytes>& anchors,
                                 const validation::RevocationSource& revocation) {
    if (bytes.compare(0, 5, "%PDF-") == 0 || bytes.find("%PDF-") < 1024)  // ISO 32000-2 §7.5.2: header near the start
        return validation::PdfValidator(anchors, revocation).validate(bytes);
    std::string content_file = a.content;
    const std::string& file = a.file;
    if (content_file.empty() && file.size() > 4 && file.compare(file.size() - 4, 4, ".p7s") == 0 &&
        std::filesystem::exists(file.substr(0, file.size() - 4)))
        content_file = file.substr(0, file.size() - 4);
    std::optional<std::string> content;
    if (!content_file.empty()) content = read_whole_file(content_file);
    return validation::CmsValidator(anchors, revocation).validate(core::to_bytes(bytes), content);
}

int verify_command(const std::string& home, const VerifyArgs& a) {
    const std::string &file = a.file, &format = a.format, &lang = a.lang;
    const bool signed_report = a.signed_report;
    std::unique_ptr<App> app;
    if (std::filesystem::exists(std::filesystem::path(home) / "yunqian.json")) app = App::open(home);
    if ((signed_report || format == "pdf") && !app)
        throw_bad_input("cli.no_home", "--signed-report and --format pdf need a home (its validation key, its PDF "
                                       "worker): give --home or set YQ_HOME");
    std::vector<core::Bytes> anchors = validation_anchors(app.get(), a.trust);
    validation::RevocationSource revocation;
    if (app) revocation = ca_revocation_source(*app);
    std::ifstream probe(file, std::ios::binary);
    if (!probe) {
        std::cerr << "error: cannot read " << file << " [cli.file_unreadable]\n";
        return 2;
    }
    validation::Report report = validate_file(a, read_whole_file(file), anchors, revocation);
    if (format == "pdf") {  // the printed report in `lang`, PAdES-signed by the validation service with --signed-report
        SigningServices services(*app);
        std::string document = services.pades.text_document_pdf(web::report_document_blocks(report, lang, file),
                                                                 "yunqian · " + report.validation_time);
        if (signed_report) document = validation::ReportSigner(*app->keys, *app->store).sign_pdf(document, services.pades);
        std::cout.write(document.data(), static_cast<std::streamsize>(document.size()));
    } else if (signed_report && format == "etsi")
        std::cout << validation::ReportSigner(*app->keys, *app->store)
                         .sign_xml(validation::to_etsi_xml(report), app->clock.unix_seconds());
    else if (signed_report)
        std::cout << validation::ReportSigner(*app->keys, *app->store).sign(validation::to_json(report)) << "\n";
    else if (format == "json") std::cout << validation::to_json(report).dump(2) << "\n";
    else if (format == "etsi") std::cout << validation::to_etsi_xml(report);
    else if (format == "html") std::cout << web::validation_report_html(report, file, lang);
    else std::cout << validation::to_text(report);
    if (!report.problem.empty()) return 2;
    return report.all_passed() ? 0 : 1;
}

// `yunqian report check FILE --root root.crt`: a signed validation report checked offline (no home).
int report_check_command(const std::string& file, const std::string& root_file) {
    std::string jws = read_whole_file(file);
    while (!jws.empty() && (jws.back() == '\n' || jws.back() == '\r' || jws.back() == ' ')) jws.pop_back();
    validation::SignedReportCheck check =
        validation::verify_signed_report(jws, certificate_from_file(root_file), core::SystemClock().unix_seconds());
    if (!check.ok) {
        std::cout << "signed report NOT VALID: " << check.problem << "\n";
        return 3;
    }
    std::cout << "signed report OK: signed by " << check.signed_by << ", chained to the root given\n"
              << "  validated at " << check.report.value("validation_time", "") << ", file SHA-256 "
              << check.report.value("file_sha256", "") << "\n";
    for (const auto& s : check.report.value("signatures", nlohmann::json::array()))
        std::cout << "  " << s.value("kind", "") << " \"" << s.value("field", "") << "\": " << s.value("indication", "")
                  << (s.value("sub_indication", "").empty() ? "" : "/" + s.value("sub_indication", "")) << "\n";
    return 0;
}

}  // namespace

void add_verify_commands(CLI::App& cli, Commands& commands) {
    auto v = std::make_shared<VerifyArgs>();
    auto* verify = cli.add_subcommand(
        "verify", "validate the signatures of a PDF; exit 0 only when every signature passes, 1 otherwise, 2 unreadable");
    verify->add_option("file", v->file, "the PDF")->required();
    verify->add_option("--format", v->format,
                       "text | json | html | etsi (ETSI TS 119 102-2 XML) | pdf (the printed report, to standard output)");
    verify->add_option("--lang", v->lang, "language of the HTML report: zh-Hant | pt | en");
    verify->add_option("--trust", v->trust, "more trust anchors (PEM); our root is trusted when a home is initialised");
    verify->add_option("--content", v->content, "for a detached CMS signature: the signed file (default: FILE without .p7s)");
    verify->add_flag("--signed-report", v->signed_report,
                     "the report signed by this home's validation key in the HSM: JSON as a JWS (RFC 7515), or "
                     "with --format etsi the XML with an enveloped XAdES signature");
    commands.push_back({verify, [v](const std::string& home) { return verify_command(home, *v); }});

    auto* report = cli.add_subcommand("report", "signed validation reports");
    report->require_subcommand(1);
    auto r = std::make_shared<std::pair<std::string, std::string>>();  // the report file, the root certificate
    auto* check = report->add_subcommand(
        "check", "check a signed report (JWS) offline: its signature and its certificate's chain to the root");
    check->add_option("file", r->first, "the signed report (what `verify --signed-report` or the API gave)")->required();
    check->add_option("--root", r->second, "the root certificate as published (/repo/root.crt)")->required();
    commands.push_back({check, [r](const std::string&) { return report_check_command(r->first, r->second); }});
}

}  // namespace yq::cli
