#include "cli/commands.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "accounts/totp.hpp"
#include "audit/head_signer.hpp"
#include "cli/app.hpp"
#include "cli/audit_commands.hpp"
#include "cli/backup_commands.hpp"
#include "cli/transparency_commands.hpp"
#include "cli/serve.hpp"
#include "core/error.hpp"
#include "pades/pades_service.hpp"
#include "validation/cms_validator.hpp"
#include "validation/pdf_validator.hpp"
#include "web/ui/report_view.hpp"
#include "web/validation_html.hpp"
#include "pki/revocation_reason.hpp"
#include "pki/time_stamp_authority.hpp"
#include "signing/csc_service.hpp"
#include "ra/appointments.hpp"
#include "ra/office_calendar.hpp"
#include "ra/staff.hpp"
#include "storage/copy.hpp"
#include "validation/etsi_report.hpp"
#include "validation/signed_report.hpp"

namespace yq::cli {

namespace {

void write_file(const std::string& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw_bad_input("cli.file_unwritable", "cannot write " + path);
    out << content;
}

std::string actor() {
    const char* user = std::getenv("SUDO_USER");
    if (!user) user = std::getenv("USER");
    return std::string("cli:") + (user ? user : "unknown");
}

// One line from standard input, without echo when it is a terminal. Never logged.
core::SecureString read_secret_line(const char* what) {
    bool tty = isatty(STDIN_FILENO);
    termios old{};
    if (tty) {
        std::cerr << what << ": " << std::flush;
        tcgetattr(STDIN_FILENO, &old);
        termios quiet = old;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    core::SecureString line;
    int ch;
    while ((ch = std::getchar()) != EOF && ch != '\n') line.push_back(static_cast<char>(ch));
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        std::cerr << "\n";
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) throw_bad_input("cli.missing_secret", std::string("no ") + what + " on standard input");
    return line;
}

struct PdfSignArgs {
    std::vector<std::string> in;
    std::string out, username, level, otp, field, rect, reason, location;
    int page = 1;
    bool invisible = false;
    int certify = 0;
    std::string image;
};

pades::Placement placement_of(const PdfSignArgs& a) {
    pades::Placement p;
    if (!a.field.empty()) {
        p.kind = pades::Placement::Kind::Field;
        p.field_name = a.field;
    } else if (a.invisible || a.rect.empty()) {
        if (!a.invisible) throw_bad_input("cli.placement", "give --rect x1,y1,x2,y2 (with --page), --field NAME or --invisible");
        p.kind = pades::Placement::Kind::Invisible;
    } else {
        p = pades::rectangle_from_text(a.page, a.rect);
    }
    return p;
}

// Never a half-written output: write beside the target, then rename.
void write_whole_file(const std::string& path, const std::string& content) {
    std::string tmp = path + ".partial";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        if (!out.flush()) {
            std::remove(tmp.c_str());
            throw_bad_input("cli.file_unwritable", "cannot write " + path);
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) throw_bad_input("cli.file_unwritable", "cannot write " + path);
}

// The signing services of an opened home, for the sign commands.
struct SigningServices {
    pki::TimeStampAuthority tsa;
    signing::CscService csc;
    pades::PadesService pades;
    explicit SigningServices(App& app)
        : tsa(*app.ca),
          csc(app.config, *app.accounts, *app.store, *app.store, *app.store, *app.custody, *app.ca, tsa, *app.keys,
              *app.log, app.clock),
          pades(app.config, csc, *app.store, tsa, *app.store, app.clock, *app.store) {}
};

pades::SignPdfRequest signer_request(App& app, const std::string& username, const std::string& level,
                                     const std::string& otp) {
    auto account = app.store->account_by_username(username);
    if (!account) throw_not_found("accounts.unknown_username", "no account named '" + username + "'");
    pades::SignPdfRequest r;
    r.account_id = account->id;
    r.level = pades::parse_level(level);
    r.otp = otp;
    r.client = "cli";
    return r;
}

int sign_file_command(App& app, const std::string& in, const std::string& out, const std::string& username,
                      const std::string& level, const std::string& otp) {
    pades::SignPdfRequest r = signer_request(app, username, level, otp);
    std::string content = read_whole_file(in);
    r.signing_password = read_secret_line("signing password");
    SigningServices services(app);
    core::Bytes p7s = services.pades.sign_detached(core::sha256(content), r);
    write_whole_file(out, std::string(p7s.begin(), p7s.end()));
    std::cout << "signed " << in << " → " << out << " (CAdES detached, " << level << ")\n";
    return 0;
}

// "[=======>      ] 3/10 signed" on standard error, redrawn in place.
void draw_progress(std::size_t done, std::size_t total, const char* stage) {
    constexpr int kWidth = 30;
    int filled = static_cast<int>(kWidth * done / (total ? total : 1));
    std::cerr << "\r[" << std::string(static_cast<std::size_t>(filled), '=') << std::string(static_cast<std::size_t>(kWidth - filled), ' ')
              << "] " << done << "/" << total << " " << stage << "   " << std::flush;
    if (done == total && std::string(stage) == "signed") std::cerr << "\n";
}

int sign_pdf_command(App& app, const PdfSignArgs& a) {
    pades::SignPdfRequest r = signer_request(app, a.username, a.level, a.otp);
    std::vector<std::string> documents;
    for (const auto& in : a.in) documents.push_back(read_whole_file(in));
    bool batch = documents.size() > 1;
    std::vector<std::string> outputs;
    if (batch) {
        std::filesystem::create_directories(a.out);
        for (const auto& in : a.in) outputs.push_back((std::filesystem::path(a.out) / std::filesystem::path(in).filename()).string());
    } else {
        outputs.push_back(a.out);
    }
    r.placement = placement_of(a);
    r.reason = a.reason;
    r.location = a.location;
    r.certification = a.certify;
    if (!a.image.empty()) r.image = read_whole_file(a.image);
    r.signing_password = read_secret_line("signing password");
    SigningServices services(app);
    std::vector<const std::string*> pointers;
    for (const auto& d : documents) pointers.push_back(&d);
    // All documents are signed before any is written: a failure writes nothing.
    auto signed_pdfs = services.pades.sign_pdfs(pointers, r, batch ? pades::PadesService::Progress(draw_progress) : nullptr);
    for (std::size_t i = 0; i < signed_pdfs.size(); ++i) {
        write_whole_file(outputs[i], signed_pdfs[i].file);
        std::cout << "signed " << outputs[i] << " (" << a.level << "), reference " << signed_pdfs[i].reference
                  << ", signed digest (SHA-256 of the byte ranges) " << core::hex_encode(signed_pdfs[i].signed_digest)
                  << "\n";
    }
    return 0;
}

int verify_command(const std::string& home, const std::string& file, const std::string& format, const std::string& lang,
                   const std::vector<std::string>& trust, std::string content_file, bool signed_report) {
    std::unique_ptr<App> app;
    if (std::filesystem::exists(std::filesystem::path(home) / "yunqian.json")) app = App::open(home);
    if ((signed_report || format == "pdf") && !app)
        throw_bad_input("cli.no_home", "--signed-report and --format pdf need a home (its validation key, its PDF "
                                       "worker): give --home or set YQ_HOME");
    std::vector<core::Bytes> anchors = validation_anchors(app.get(), trust);
    validation::RevocationSource revocation;
    if (app) revocation = ca_revocation_source(*app);
    std::ifstream probe(file, std::ios::binary);
    if (!probe) {
        std::cerr << "error: cannot read " << file << " [cli.file_unreadable]\n";
        return 2;
    }
    std::string bytes = read_whole_file(file);
    validation::Report report;
    if (bytes.compare(0, 5, "%PDF-") == 0 || bytes.find("%PDF-") < 1024) {  // ISO 32000-2 §7.5.2: header near the start
        report = validation::PdfValidator(anchors, revocation).validate(bytes);
    } else {
        if (content_file.empty() && file.size() > 4 && file.compare(file.size() - 4, 4, ".p7s") == 0 &&
            std::filesystem::exists(file.substr(0, file.size() - 4)))
            content_file = file.substr(0, file.size() - 4);
        std::optional<std::string> content;
        if (!content_file.empty()) content = read_whole_file(content_file);
        report = validation::CmsValidator(anchors, revocation).validate(core::to_bytes(bytes), content);
    }
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

void print_staff_secrets(const std::string& username, const ra::NewStaffSecrets& s) {
    std::cout << "one-time password for " << username << " (shown only now; change it at first sign-in):\n  "
              << std::string(s.one_time_password.begin(), s.one_time_password.end())
              << "\nat the first sign-in " << username
              << " enrols their own authenticator app (nobody else sees its secret); later sign-ins need its codes\n";
}

}  // namespace

int run(int argc, char** argv) {
    CLI::App cli{"yunqian (雲簽) — remote signing service for a certification authority"};
    cli.require_subcommand(1);
    std::string home_flag;
    cli.add_option("--home", home_flag, "state directory (default: $YQ_HOME or ./var)");

    auto* init = cli.add_subcommand("init", "create the HSM token, database, CA hierarchy and first admin (idempotent)");
    std::string init_listen;
    init->add_option("--listen", init_listen, "HOST:PORT written into a new config (listener and certificate URLs)");
    auto* serve_cmd = cli.add_subcommand("serve", "run the HTTP server");
    std::string listen;
    serve_cmd->add_option("--listen", listen, "HOST:PORT, overrides server.listener");

    auto* ca = cli.add_subcommand("ca", "certification authority operations");
    ca->require_subcommand(1);
    auto* issue = ca->add_subcommand("issue", "issue a certificate from a PKCS#10 request");
    std::string profile, csr_file, out_file;
    issue->add_option("--profile", profile, "organisation | signer | ocsp | tsa")->required();
    issue->add_option("--csr", csr_file, "PKCS#10 request, PEM or DER")->required();
    issue->add_option("--out", out_file, "where to write the certificate (PEM)")->required();
    auto* revoke = ca->add_subcommand("revoke", "revoke a certificate");
    std::string serial, reason = "unspecified", invalidity;
    revoke->add_option("--serial", serial, "certificate serial number (hex)")->required();
    revoke->add_option("--reason", reason, "RFC 5280 reason: " + pki::reason_names());
    revoke->add_option("--invalidity-date", invalidity, "when the key is known or suspected to have been compromised (UTC)");
    auto* crl = ca->add_subcommand("crl", "publish a new CRL now");
    std::string crl_out;
    crl->add_option("--out", crl_out, "also write the CRL (DER) to this file");
    auto* list = ca->add_subcommand("list", "list issued certificates");

    auto* audit_cmd = cli.add_subcommand("audit", "audit log");
    audit_cmd->require_subcommand(1);
    auto* verify = audit_cmd->add_subcommand(
        "verify", "recompute the hash chain and check the HSM head signatures with the audit key chained to the root");
    AuditVerifyArgs verify_args;
    verify->add_option("--root", verify_args.root_file,
                       "the root certificate as published (PEM or DER); default: the one carrying the HSM's root key");
    verify->add_option("--heads", verify_args.heads_file, "heads exported earlier with `audit export-heads`");
    auto* export_heads = audit_cmd->add_subcommand(
        "export-heads", "time-stamp the signed chain head and append it to a file kept outside the database");
    std::string heads_out;
    export_heads->add_option("--out", heads_out, "the file to append to")->required();
    auto* sign_head = audit_cmd->add_subcommand("sign-head", "sign the current chain head with the HSM audit key now");

    auto* log_cmd = cli.add_subcommand("transparency", "the signing transparency log (every use of a signer's key)");
    log_cmd->require_subcommand(1);
    auto* log_verify = log_cmd->add_subcommand(
        "verify", "check an inclusion proof offline (--proof), or recompute this home's whole log and its signed heads");
    std::string log_proof, log_root, log_out;
    std::int64_t log_leaf = -1;
    log_verify->add_option("--proof", log_proof, "a proof file from the portal, the record page or `transparency proof`");
    log_verify->add_option("--root", log_root,
                           "the root certificate as published (/repo/root.crt); required with --proof, default for the "
                           "stored log: the one carrying the HSM's root key");
    auto* log_sign = log_cmd->add_subcommand("sign-head", "sign the log's current tree head with the HSM log key now");
    auto* log_proof_cmd = log_cmd->add_subcommand("proof", "write a leaf's inclusion proof to a file");
    log_proof_cmd->add_option("--leaf", log_leaf, "the leaf index")->required();
    log_proof_cmd->add_option("--out", log_out, "the proof file to write")->required();

    auto* account = cli.add_subcommand("account", "signer accounts (operator tools until the RA flow lands)");
    account->require_subcommand(1);
    auto* acreate = account->add_subcommand(
        "create", "create an account with a key and certificate; reads the login password, then the signing password, "
                  "one per line on standard input");
    std::string a_user, a_name, a_agency, a_email, a_dept, a_title, a_key;
    acreate->add_option("--username", a_user, "immutable username")->required();
    acreate->add_option("--name", a_name, "name as on the ID, e.g. '陳大文 Chan Tai Man'")->required();
    acreate->add_option("--agency", a_agency, "agency (certificate O)")->required();
    acreate->add_option("--email", a_email, "verified e-mail (certificate emailAddress and SAN)");
    acreate->add_option("--department", a_dept, "department (certificate OU)");
    acreate->add_option("--title", a_title, "post (certificate title)");
    acreate->add_option("--key", a_key, "ec-p256 | ec-p384 | rsa-2048 | rsa-3072 (default: accounts.default_key)");
    std::string a_qr;
    acreate->add_option("--qr-svg", a_qr, "also write the enrolment QR code (SVG) to this file, mode 0600");
    auto* aunlock = account->add_subcommand("unlock", "unlock a locked account (after the in-person appointment)");
    aunlock->add_option("--username", a_user, "username")->required();
    auto* arekey = account->add_subcommand(
        "rekey", "forgotten signing password: new key and certificate, old certificate revoked as superseded; reads the "
                 "new signing password from standard input");
    arekey->add_option("--username", a_user, "username")->required();

    auto* sign_cmd = cli.add_subcommand("sign", "sign documents with a signer's credential");
    sign_cmd->require_subcommand(1);
    auto* sign_pdf = sign_cmd->add_subcommand(
        "pdf", "PAdES-sign a PDF; reads the signing password from standard input");
    std::vector<std::string> s_in;
    std::string s_out, s_user, s_level = "B-T", s_otp, s_field, s_rect, s_reason, s_location;
    int s_page = 1;
    bool s_invisible = false;
    sign_pdf->add_option("--in", s_in, "PDF to sign; repeat for a batch of up to 50 under one authorisation")->required();
    sign_pdf->add_option("--out", s_out, "the signed PDF; for a batch, a directory (same file names)")->required();
    sign_pdf->add_option("--username", s_user, "the signer")->required();
    sign_pdf->add_option("--level", s_level, "B-B | B-T | B-LT | B-LTA (default B-T)");
    sign_pdf->add_option("--otp", s_otp, "one-time password from the authenticator app");
    auto* o_field = sign_pdf->add_option("--field", s_field, "sign into this existing empty signature field");
    auto* o_page = sign_pdf->add_option("--page", s_page, "page for a new visible signature (1 = first)");
    auto* o_rect = sign_pdf->add_option("--rect", s_rect, "x1,y1,x2,y2 in points from the bottom-left corner");
    auto* o_inv = sign_pdf->add_flag("--invisible", s_invisible, "no visible appearance");
    o_field->excludes(o_rect)->excludes(o_inv)->excludes(o_page);
    o_inv->excludes(o_rect);
    sign_pdf->add_option("--reason", s_reason, "reason shown in the signature");
    sign_pdf->add_option("--location", s_location, "location shown in the signature");
    int s_certify = 0;
    std::string s_image;
    sign_pdf->add_option("--image", s_image, "PNG or JPEG shown in the visible signature (e.g. a handwritten signature)");
    sign_pdf->add_option("--certify", s_certify,
                         "certify the document (first signature only): 1 no changes, 2 forms and signing, 3 also annotations");

    auto* sign_file = sign_cmd->add_subcommand(
        "file", "detached CAdES signature (.p7s) of any file; reads the signing password from standard input");
    std::string f_in, f_out, f_user, f_level = "B-T", f_otp;
    sign_file->add_option("--in", f_in, "file to sign")->required();
    sign_file->add_option("--out", f_out, "where to write the signature (default: IN.p7s)");
    sign_file->add_option("--username", f_user, "the signer")->required();
    sign_file->add_option("--level", f_level, "B-B | B-T | B-LT (default B-T)");
    sign_file->add_option("--otp", f_otp, "one-time password from the authenticator app");

    auto* verify_cmd = cli.add_subcommand(
        "verify", "validate the signatures of a PDF; exit 0 only when every signature passes, 1 otherwise, 2 unreadable");
    std::string v_file, v_format = "text", v_lang = "zh-Hant";
    std::vector<std::string> v_trust;
    verify_cmd->add_option("file", v_file, "the PDF")->required();
    verify_cmd->add_option("--format", v_format,
                           "text | json | html | etsi (ETSI TS 119 102-2 XML) | pdf (the printed report, to standard output)");
    verify_cmd->add_option("--lang", v_lang, "language of the HTML report: zh-Hant | pt | en");
    verify_cmd->add_option("--trust", v_trust, "more trust anchors (PEM); our root is trusted when a home is initialised");
    std::string v_content;
    verify_cmd->add_option("--content", v_content, "for a detached CMS signature: the signed file (default: FILE without .p7s)");
    bool v_signed = false;
    verify_cmd->add_flag("--signed-report", v_signed,
                         "the report signed by this home's validation key in the HSM: JSON as a JWS (RFC 7515), or "
                         "with --format etsi the XML with an enveloped XAdES signature");
    auto* report_cmd = cli.add_subcommand("report", "signed validation reports");
    report_cmd->require_subcommand(1);
    auto* report_check = report_cmd->add_subcommand(
        "check", "check a signed report (JWS) offline: its signature and its certificate's chain to the root");
    std::string r_file, r_root;
    report_check->add_option("file", r_file, "the signed report (what `verify --signed-report` or the API gave)")->required();
    report_check->add_option("--root", r_root, "the root certificate as published (/repo/root.crt)")->required();

    auto* db_cmd = cli.add_subcommand("db", "database operations");
    db_cmd->require_subcommand(1);
    auto* copy = db_cmd->add_subcommand("copy", "copy every table into a new database (e.g. SQLite → PostgreSQL)");
    std::string copy_to;
    copy->add_option("--to", copy_to, "target database URL (postgresql://… or sqlite:PATH)")->required();

    auto* backup_cmd = cli.add_subcommand("backup", "copy the home while it serves: configuration, database (SQLite), "
                                                    "HSM token store; the PIN file apart (docs/reliability.md)");
    BackupArgs backup_args;
    backup_cmd->add_option("--to", backup_args.to, "a new or empty directory for the backup")->required();
    backup_cmd->add_option("--pins-to", backup_args.pins_to,
                           "a new or empty directory for the HSM PIN file (another custodian's medium)");
    auto* restore_cmd = cli.add_subcommand("restore", "restore a backup onto a new or empty --home and verify it");
    RestoreArgs restore_args;
    restore_cmd->add_option("--from", restore_args.from, "the directory `backup --to` wrote")->required();
    restore_cmd->add_option("--pins-from", restore_args.pins_from, "the directory `backup --pins-to` wrote")->required();
    restore_cmd->add_option("--database-url", restore_args.database_url,
                            "PostgreSQL: the database pg_restore filled (default: the configuration's)");

    auto* admin = cli.add_subcommand("admin", "staff administration");
    admin->require_subcommand(1);
    auto* reset = admin->add_subcommand("reset-password",
                                        "issue a new one-time password and TOTP enrolment for a staff user (clears a lock)");
    std::string staff_user = ra::kInitialAdmin;
    reset->add_option("--user", staff_user, "staff username");
    auto* screate = admin->add_subcommand("create-staff", "create a staff sign-in (one-time password + TOTP enrolment)");
    std::string s_roles, s_rep;
    screate->add_option("--user", staff_user, "staff username")->required();
    screate->add_option("--roles", s_roles, "comma-separated: officer, supervisor, ca_admin, auditor, representative")
        ->required();
    screate->add_option("--representative", s_rep, "representative id (for role representative)");
    auto* slist = admin->add_subcommand("list-staff", "list staff sign-ins");
    auto* sapprove = admin->add_subcommand(
        "approve-staff", "approve a decision role's sign-in an administrator asked for (shows the password's second part)");
    sapprove->add_option("--user", staff_user, "staff username")->required();

    auto* apt_cmd = cli.add_subcommand("appointments", "registration-office appointments");
    apt_cmd->require_subcommand(1);
    auto* apt_list = apt_cmd->add_subcommand("list", "appointments of one office day");
    std::string apt_date;
    apt_list->add_option("--date", apt_date, "YYYY-MM-DD (office time)")->required();

    auto* asearch = audit_cmd->add_subcommand("search", "search the audit log (newest first)");
    audit::EventFilter filter;
    std::string since, until;
    asearch->add_option("--object", filter.object, "object, e.g. application:app_… or a prefix with *: 'account:*'");
    asearch->add_option("--actor", filter.actor, "actor, e.g. staff:alice");
    asearch->add_option("--action", filter.action, "action, e.g. application.approved");
    asearch->add_option("--since", since, "from this time (RFC 3339, UTC)");
    asearch->add_option("--until", until, "before this time (RFC 3339, UTC)");
    asearch->add_option("--limit", filter.limit, "at most this many events (default 200)");

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cli.exit(e) == 0 ? 0 : 2;
    }

    std::string home = resolve_home(home_flag);
    try {
        if (*init) {
            auto secrets = initialise_home(home, init_listen);
            std::cout << "yunqian home ready: " << home << "\n";
            if (secrets) {
                print_staff_secrets(ra::kInitialAdmin, *secrets);
            } else {
                std::cout << "admin account exists; `yunqian admin reset-password` issues a new one-time password\n";
            }
            return 0;
        }
        if (*serve_cmd) return serve(home, listen);
        if (*backup_cmd) return backup_home(home, backup_args);
        if (*restore_cmd) return restore_home(home, restore_args);
        if (*verify_cmd) return verify_command(home, v_file, v_format, v_lang, v_trust, v_content, v_signed);
        if (*report_check) return report_check_command(r_file, r_root);
        if (*log_verify && !log_proof.empty()) {  // offline: no home needed
            if (log_root.empty())
                throw_bad_input("cli.root_required", "give --root: the root certificate the proof must chain to "
                                                     "(download it from the repository, /repo/root.crt)");
            return transparency_verify_proof(log_proof, log_root);
        }

        auto app = App::open(home);
        if (*issue) {
            auto issued = app->ca->issue_from_csr(core::to_bytes(read_whole_file(csr_file)), profile, actor());
            write_file(out_file, pki::to_pem(issued.certificate.get()));
            std::cout << "issued " << issued.record.serial << " " << issued.record.subject << "\n";
            return 0;
        }
        if (*revoke) {
            std::optional<std::int64_t> inv;
            if (!invalidity.empty()) inv = core::parse_rfc3339(invalidity);
            app->ca->revoke(serial, reason, inv, actor());
            std::cout << "revoked " << serial << " (" << reason << ")\n";
            return 0;
        }
        if (*crl) {
            auto record = app->ca->publish_crl(actor());
            if (!crl_out.empty()) write_file(crl_out, std::string(record.der.begin(), record.der.end()));
            std::cout << "published CRL number " << record.number << "\n";
            return 0;
        }
        if (*list) {
            for (std::int64_t offset = 0;; offset += 500) {
                auto page = app->store->list_certificates(500, offset);
                for (const auto& r : page)
                    std::cout << r.serial << "  " << r.status << "  " << r.profile << "  "
                              << core::to_rfc3339(r.not_after) << "  " << r.subject << "\n";
                if (page.size() < 500) break;
            }
            return 0;
        }
        if (*verify) return audit_verify(*app, verify_args);
        if (*log_verify) return transparency_verify_log(*app, log_root);
        if (*log_proof_cmd) return transparency_write_proof(*app, log_leaf, log_out);
        if (*log_sign) {
            auto head = app->log->sign_head();
            std::cout << (head ? "the log's tree head is signed at size " + std::to_string(head->tree_size)
                               : std::string("the log is empty"))
                      << "\n";
            return 0;
        }
        if (*export_heads) return audit_export_heads(*app, heads_out);
        if (*sign_head) {
            auto s = audit::sign_head(*app->store, *app->keys, pki::kAuditKeyLabel, app->clock);
            std::cout << (s ? "signed chain head at event " + std::to_string(s->seq) : std::string("head already signed"))
                      << "\n";
            return 0;
        }
        if (*acreate) {
            accounts::NewAccountRequest r;
            r.username = a_user;
            r.display_name = a_name;
            r.agency = a_agency;
            r.email = a_email;
            r.department = a_dept;
            r.title = a_title;
            r.key_type = keystore::parse_key_type(a_key.empty() ? app->config.accounts.default_key : a_key);
            r.login_password = read_secret_line("login password");
            r.signing_password = read_secret_line("signing password");
            accounts::AccountService::ensure_hsm_keys(*app->keys);
            auto created = app->accounts->create(r, actor());
            std::cout << "created account " << created.account.username << " (" << created.account.id << ")\n"
                      << "credential " << created.credential.id << ", certificate " << created.credential.certificate_serial
                      << "\nenrol this in the user's authenticator app (shown once):\n  " << created.otpauth_uri << "\n";
            if (!a_qr.empty()) {
                int fd = ::open(a_qr.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);  // it holds the TOTP secret
                std::string svg = accounts::otpauth_qr_svg(created.otpauth_uri);
                bool ok = fd >= 0 && ::write(fd, svg.data(), svg.size()) == static_cast<ssize_t>(svg.size());
                if (fd >= 0) ::close(fd);
                if (!ok) throw_bad_input("cli.file_unwritable", "cannot write " + a_qr);
                std::cout << "enrolment QR code written to " << a_qr << "\n";
            }
            return 0;
        }
        if (*aunlock) {
            app->accounts->unlock(a_user, actor());
            std::cout << "unlocked " << a_user << "\n";
            return 0;
        }
        if (*arekey) {
            auto c = app->accounts->rekey(a_user, read_secret_line("new signing password"), actor());
            std::cout << "re-keyed " << a_user << ": credential " << c.id << ", certificate " << c.certificate_serial << "\n";
            return 0;
        }
        if (*sign_pdf) return sign_pdf_command(*app, PdfSignArgs{s_in, s_out, s_user, s_level, s_otp, s_field, s_rect,
                                                                 s_reason, s_location, s_page, s_invisible, s_certify, s_image});
        if (*sign_file) return sign_file_command(*app, f_in, f_out.empty() ? f_in + ".p7s" : f_out, f_user, f_level, f_otp);
        if (*copy) {
            auto target = storage::Database::open(copy_to, app->config.database.busy_timeout_ms, 2);
            for (const auto& [table, n] : storage::copy_database(*app->db, *target))
                std::cout << "copied " << n << " rows of " << table << "\n";
            std::cout << "point database.url at the target, start the server and run `yunqian audit verify` there\n";
            return 0;
        }
        if (*reset) {
            print_staff_secrets(staff_user, app->staff->reset(staff_user, actor(), ra::StaffIssuer::Console));
            return 0;
        }
        if (*screate) {
            std::vector<std::string> roles;
            for (const auto& r : ra::parse_roles(s_roles)) roles.emplace_back(ra::role_name(r));
            print_staff_secrets(staff_user,
                                app->staff->create(staff_user, roles, s_rep, actor(), ra::StaffIssuer::Console));
            return 0;
        }
        if (*sapprove) {
            // the operator at the console is the second person (e.g. while the office has one CA administrator)
            core::SecureString part = app->staff->approve(staff_user, std::nullopt, actor());
            std::cout << "second part of the one-time password for " << staff_user << " (shown only now):\n  "
                      << std::string(part.begin(), part.end()) << "\n" << staff_user
                      << " types the first part (from the administrator who asked) and then this one, as one password\n";
            return 0;
        }
        if (*slist) {
            for (const auto& u : app->staff->list())
                std::cout << u.username << "  " << u.roles << "  " << u.status
                          << (u.awaiting_approval() ? "  (awaiting approval; asked by " + u.requested_by + ")" : "")
                          << (u.must_change_password ? "  (one-time password)" : "") << "\n";
            return 0;
        }
        if (*apt_list) {
            ra::OfficeCalendar calendar(app->config.office);
            ra::AppointmentBook book(calendar, *app->store, *app->keys, app->clock);
            for (const auto& a : book.on_date(apt_date))
                std::cout << calendar.local_text(a.slot_start) << "  " << a.purpose << "  " << a.status << "  "
                          << a.person_name << "  " << a.contact << "\n";
            return 0;
        }
        if (*asearch) {
            if (!since.empty()) filter.from = core::parse_rfc3339(since);
            if (!until.empty()) filter.to = core::parse_rfc3339(until);
            for (const auto& e : app->store->search_events(filter))
                std::cout << e.seq << "  " << core::to_rfc3339(e.event.time) << "  " << e.event.actor << "  "
                          << e.event.action << "  " << e.event.object << "  " << e.event.details << "\n";
            return 0;
        }
    } catch (const Error& e) {
        std::cerr << "error: " << e.what() << " [" << e.code() << "]\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
    return 2;
}

}  // namespace yq::cli
