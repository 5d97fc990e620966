#include "support/pdf_tools.hpp"

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "core/bytes.hpp"

namespace yq::test {

std::string ghostscript_pdf(const TempDir& dir, int pages, const std::string& name) {
    std::string ps;
    for (int i = 1; i <= pages; ++i)
        ps += "/Helvetica findfont 20 scalefont setfont 72 720 moveto (Agency circular, page " + std::to_string(i) +
              ") show 72 690 moveto (Text for the signature test.) show showpage\n";
    write_file(dir.file(name + ".ps"), ps);
    auto r = run_command("gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=pdfwrite -o " + dir.file(name) + " " +
                         dir.file(name + ".ps"));
    if (r.exit_code != 0) throw std::runtime_error("ghostscript failed: " + r.output);
    return dir.file(name);
}

std::string qpdf_object_streams(const TempDir& dir, const std::string& input, const std::string& name) {
    auto r = run_command("qpdf --object-streams=generate " + input + " " + dir.file(name));
    if (r.exit_code != 0) throw std::runtime_error("qpdf failed: " + r.output);
    return dir.file(name);
}

std::string cairo_pdf(const TempDir& dir, const std::string& input, const std::string& name) {
    auto r = run_command("pdftocairo -pdf " + input + " " + dir.file(name));
    if (r.exit_code != 0) throw std::runtime_error("pdftocairo failed: " + r.output);
    return dir.file(name);
}

std::string write_pdf(const std::vector<std::string>& objs) {
    std::string pdf = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < objs.size(); ++i) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(i + 1) + " 0 obj\n" + objs[i] + "\nendobj\n";
    }
    std::size_t xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(objs.size() + 1) + "\n0000000000 65535 f\r\n";
    for (std::size_t o : offsets) {
        char e[32];
        std::snprintf(e, sizeof e, "%010zu 00000 n\r\n", o);
        pdf += e;
    }
    pdf += "trailer\n<< /Size " + std::to_string(objs.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
           std::to_string(xref) + "\n%%EOF\n";
    return pdf;
}

std::string large_pdf(int megabytes) {
    // objects: 1 catalog, 2 pages, then per page: page, contents, image
    std::vector<std::string> objs = {"<< /Type /Catalog /Pages 2 0 R >>", ""};
    std::string kids;
    const int side = 591;  // 591 × 591 × 3 ≈ 1 MB
    for (int p = 0; p < megabytes; ++p) {
        int page = static_cast<int>(objs.size()) + 1, contents = page + 1, image = page + 2;
        kids += std::to_string(page) + " 0 R ";
        objs.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents " + std::to_string(contents) +
                       " 0 R /Resources << /XObject << /Im0 " + std::to_string(image) + " 0 R >> >> >>");
        std::string draw = "q 500 0 0 500 47 300 cm /Im0 Do Q";
        objs.push_back("<< /Length " + std::to_string(draw.size()) + " >>\nstream\n" + draw + "\nendstream");
        core::Bytes pixels = core::random_bytes(static_cast<std::size_t>(side) * side * 3);
        objs.push_back("<< /Type /XObject /Subtype /Image /Width " + std::to_string(side) + " /Height " +
                       std::to_string(side) + " /ColorSpace /DeviceRGB /BitsPerComponent 8 /Length " +
                       std::to_string(pixels.size()) + " >>\nstream\n" + std::string(pixels.begin(), pixels.end()) +
                       "\nendstream");
    }
    objs[1] = "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(megabytes) + " >>";
    return write_pdf(objs);
}

std::string pdf_with_empty_signature_field(const TempDir& dir, const std::string& field) {
    std::string pdf = write_pdf({
        "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R /Annots [4 0 R] >>",
        "<< /Type /Annot /Subtype /Widget /FT /Sig /T (" + field + ") /Rect [72 72 272 132] /F 4 /P 3 0 R >>",
        "<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 760 Td (Approval form) Tj ET\nendstream",
    });
    write_file(dir.file("field.pdf"), pdf);
    return dir.file("field.pdf");
}

std::string nss_trusting(const TempDir& dir, const std::string& ca_pem, const std::string& nickname) {
    std::string db = dir.file("nss");
    run_command("test -d " + db + " || (mkdir -p " + db + " && certutil -N -d sql:" + db + " --empty-password)");
    write_file(dir.file(nickname + ".pem"), ca_pem);
    auto r = run_command("certutil -A -n " + nickname + " -t CT,C,C -i " + dir.file(nickname + ".pem") + " -d sql:" + db);
    if (r.exit_code != 0) throw std::runtime_error("certutil failed: " + r.output);
    return "sql:" + db;
}

namespace {

std::vector<PdfsigSignature> pdfsig_once(const std::string& nssdir, const std::string& file) {
    // Not -no-ocsp: pdfsig 22.12 then reports "Unknown issue with Certificate" for any certificate. Certificates with
    // an AIA OCSP URL are checked online (our responder, in end-to-end tests).
    std::string out = run_command("pdfsig -nssdir " + nssdir + " " + file).output;
    std::vector<PdfsigSignature> sigs;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) {
        auto value = [&](const char* key) {
            auto p = line.find(key);
            return p == std::string::npos ? std::string() : line.substr(p + std::string(key).size());
        };
        if (line.rfind("Signature #", 0) == 0) sigs.emplace_back();
        if (sigs.empty()) continue;
        if (auto v = value("Signature Validation: "); !v.empty()) sigs.back().validation = v;
        if (auto v = value("Certificate Validation: "); !v.empty()) sigs.back().certificate = v;
        if (auto v = value("Signer Certificate Common Name: "); !v.empty()) sigs.back().signer = v;
        if (auto v = value("Signature Type: "); !v.empty()) sigs.back().sub_filter = v;
        if (line.find("Total document signed") != std::string::npos) sigs.back().total_document = true;
    }
    return sigs;
}

}  // namespace

std::vector<PdfsigSignature> pdfsig(const std::string& nssdir, const std::string& file) {
    // pdfsig fetches OCSP online from the test's own responder; when that fetch fails under load (two test processes
    // on two cores, a browser test beside) it says "Unknown issue with Certificate" for that run only. The verdict
    // of a later run counts; a real problem with the certificate shows on every run.
    std::vector<PdfsigSignature> sigs;
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (attempt > 0) std::this_thread::sleep_for(std::chrono::seconds(1));
        sigs = pdfsig_once(nssdir, file);
        bool fetch_failed = false;
        for (const auto& s : sigs) fetch_failed = fetch_failed || s.certificate == "Unknown issue with Certificate or corrupted data.";
        if (!fetch_failed) break;
    }
    return sigs;
}

std::vector<SignatureWidget> signature_widgets(const std::string& file) {
    auto r = run_command("qpdf --json=2 --json-key=pages --json-key=qpdf " + file + " 2>/dev/null");
    auto j = nlohmann::json::parse(r.output, nullptr, false);
    std::vector<SignatureWidget> out;
    if (j.is_discarded() || !j.contains("pages") || !j.contains("qpdf")) return out;
    std::map<std::string, int> page_of;  // "4 0 R" → 1
    for (const auto& p : j["pages"]) page_of[p.value("object", "")] = p.value("pageposfrom1", 0);
    for (const auto& [key, object] : j["qpdf"][1].items()) {
        if (!object.contains("value") || !object["value"].is_object()) continue;
        const auto& v = object["value"];
        if (v.value("/FT", "") != "/Sig" || !v.contains("/Rect") || !v.contains("/P")) continue;
        SignatureWidget w;
        w.page = page_of[v["/P"].get<std::string>()];
        for (const auto& n : v["/Rect"]) w.rect.push_back(n.get<double>());
        out.push_back(w);
    }
    return out;
}

std::string qpdf_check(const std::string& file) { return run_command("qpdf --check " + file).output; }

std::string openssl_verify_pdf_signature(const TempDir& dir, const std::string& file, int index, const std::string& ca_pem) {
    std::string pdf = read_file(file);
    std::regex byte_range(R"(/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\])");
    auto it = std::sregex_iterator(pdf.begin(), pdf.end(), byte_range);
    for (int i = 0; i < index && it != std::sregex_iterator(); ++i) ++it;
    if (it == std::sregex_iterator()) return "no such signature";
    std::size_t a = std::stoull((*it)[1]), b = std::stoull((*it)[2]), c = std::stoull((*it)[3]), d = std::stoull((*it)[4]);
    std::string signed_bytes = pdf.substr(a, b) + pdf.substr(c, d);
    std::string hex = pdf.substr(a + b + 1, c - b - 2);
    core::Bytes der = core::hex_decode(hex);
    write_file(dir.file("sig.der"), std::string(der.begin(), der.end()));
    write_file(dir.file("signed.bin"), signed_bytes);
    write_file(dir.file("ca.pem"), ca_pem);
    return run_command("openssl cms -verify -binary -inform DER -in " + dir.file("sig.der") + " -content " +
                       dir.file("signed.bin") + " -CAfile " + dir.file("ca.pem") + " -purpose any -out /dev/null")
        .output;
}

}  // namespace yq::test
