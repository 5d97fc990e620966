// `yunqian sign pdf | file`: a signer's own signature from the console (the signing password on standard input).
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/command.hpp"
#include "cli/signing_services.hpp"
#include "core/error.hpp"

namespace yq::cli {

namespace {

struct PdfSignArgs {
    std::vector<std::string> in;
    std::string out, username, level = "B-T", otp, field, rect, reason, location;
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

struct FileSignArgs {
    std::string in, out, username, level = "B-T", otp;
};

int sign_file_command(App& app, const FileSignArgs& a) {
    const std::string& in = a.in;
    const std::string out = a.out.empty() ? a.in + ".p7s" : a.out;
    const std::string& level = a.level;
    pades::SignPdfRequest r = signer_request(app, a.username, a.level, a.otp);
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

}  // namespace

void add_sign_commands(CLI::App& cli, Commands& commands) {
    auto* sign = cli.add_subcommand("sign", "sign documents with a signer's credential");
    sign->require_subcommand(1);

    auto p = std::make_shared<PdfSignArgs>();
    auto* pdf = sign->add_subcommand("pdf", "PAdES-sign a PDF; reads the signing password from standard input");
    pdf->add_option("--in", p->in, "PDF to sign; repeat for a batch of up to 50 under one authorisation")->required();
    pdf->add_option("--out", p->out, "the signed PDF; for a batch, a directory (same file names)")->required();
    pdf->add_option("--username", p->username, "the signer")->required();
    pdf->add_option("--level", p->level, "B-B | B-T | B-LT | B-LTA (default B-T)");
    pdf->add_option("--otp", p->otp, "one-time password from the authenticator app");
    auto* field = pdf->add_option("--field", p->field, "sign into this existing empty signature field");
    auto* page = pdf->add_option("--page", p->page, "page for a new visible signature (1 = first)");
    auto* rect = pdf->add_option("--rect", p->rect, "x1,y1,x2,y2 in points from the bottom-left corner");
    auto* invisible = pdf->add_flag("--invisible", p->invisible, "no visible appearance");
    field->excludes(rect)->excludes(invisible)->excludes(page);
    invisible->excludes(rect);
    pdf->add_option("--reason", p->reason, "reason shown in the signature");
    pdf->add_option("--location", p->location, "location shown in the signature");
    pdf->add_option("--image", p->image, "PNG or JPEG shown in the visible signature (e.g. a handwritten signature)");
    pdf->add_option("--certify", p->certify,
                    "certify the document (first signature only): 1 no changes, 2 forms and signing, 3 also annotations");
    commands.push_back({pdf, [p](const std::string& home) { return sign_pdf_command(*App::open(home), *p); }});

    auto f = std::make_shared<FileSignArgs>();
    auto* file = sign->add_subcommand(
        "file", "detached CAdES signature (.p7s) of any file; reads the signing password from standard input");
    file->add_option("--in", f->in, "file to sign")->required();
    file->add_option("--out", f->out, "where to write the signature (default: IN.p7s)");
    file->add_option("--username", f->username, "the signer")->required();
    file->add_option("--level", f->level, "B-B | B-T | B-LT (default B-T)");
    file->add_option("--otp", f->otp, "one-time password from the authenticator app");
    commands.push_back({file, [f](const std::string& home) { return sign_file_command(*App::open(home), *f); }});
}

}  // namespace yq::cli
