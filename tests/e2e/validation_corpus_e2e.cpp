// The validation corpus (issue: validation service): every file is generated here, written under
// tests/data/validation in the build directory with a verdicts.md table, and validated by `yunqian verify` and by
// POST /api/v1/validate. For each file the table states our verdict per signature and, where the independent tool
// (pdfsig for PDFs, `openssl cms -verify` for CMS) sees it otherwise, why. A disagreement that the table does not
// explain fails the test, and so does an explanation for a disagreement that no longer exists.
#include <gtest/gtest.h>
#include <openssl/pem.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "cms/cades_signature.hpp"
#include "pades/dss.hpp"
#include "pades/incremental_writer.hpp"
#include "pades/signature_preparer.hpp"
#include "pki/openssl_ptr.hpp"
#include "support/fixtures.hpp"
#include "support/http_client.hpp"
#include "support/local_signer.hpp"
#include "support/pdf_tools.hpp"

using namespace yq;
using nlohmann::json;

namespace {

namespace fs = std::filesystem;

struct Row {
    std::string file;
    std::vector<std::string> verdicts;  // per signature, in signing order: INDICATION[/SUB_INDICATION][ LEVEL]
    std::string explained;              // why the independent tool disagrees; empty when it agrees
    bool over_http = true;              // also POST it to /api/v1/validate (PDFs)
    std::string content;                // CMS: the signed file
};

std::string verdict_of(const json& s) {
    std::string v = s["indication"].get<std::string>();
    if (!s["sub_indication"].get<std::string>().empty()) v += "/" + s["sub_indication"].get<std::string>();
    if (s["indication"] == "TOTAL-PASSED" && !s["level"].get<std::string>().empty()) v += " " + s["level"].get<std::string>();
    return v;
}

// Another CA's signer (the foreign trust-list case): the CMS made here, the time-stamp from our TSA over HTTP
// (asked with `openssl ts`), validation data in a DSS.
class ForeignSigner {
public:
    ForeignSigner(const test::ServerProcess& server, const test::TempDir& work) : m_server(server), m_work(work) {}

    core::Bytes timestamp_token(const core::Bytes& imprint) const {
        test::run_command("openssl ts -query -sha256 -digest " + core::hex_encode(imprint) + " -cert -out " + m_work.file("q.tsq"));
        auto reply = test::http_request("POST", m_server.port(), "/tsa", test::read_file(m_work.file("q.tsq")),
                                        "application/timestamp-query");
        test::write_file(m_work.file("r.tsr"), reply.body);
        test::run_command("openssl ts -reply -in " + m_work.file("r.tsr") + " -token_out -out " + m_work.file("t.der"));
        return core::to_bytes(test::read_file(m_work.file("t.der")));
    }

    std::string sign(const std::string& original, const test::LocalSigner& signer, bool timestamp) const {
        pades::SignatureRequest request;
        request.dictionary.signing_time = pades::pdf_date(std::time(nullptr), 480);
        auto prepared = pades::prepare_signature(*m_parsers, original, request);
        cms::CadesSignature cades(signer.cert.get(), {signer.ca_cert.get()}, prepared.digest);
        core::Bytes der = cades.finish(test::sign_digest(signer.key.get(), cades.to_be_signed_digest()));
        if (timestamp) der = cms::add_signature_timestamp(der, [&](const core::Bytes& h) { return timestamp_token(h); });
        return pades::finish_signature(std::move(prepared), der);
    }

    // The signature CMS made by plain `openssl cms -sign` (signing-time, S/MIME capabilities) over the byte ranges.
    std::string sign_with_openssl(const std::string& original, const test::LocalSigner& signer) const {
        pades::SignatureRequest request;
        request.dictionary.signing_time = pades::pdf_date(std::time(nullptr), 480);
        auto prepared = pades::prepare_signature(*m_parsers, original, request);
        std::string blank = pades::finish_signature(prepared, core::Bytes{0x30, 0x00});
        std::smatch m;
        std::string tail = blank.substr(original.size());
        std::regex_search(tail, m, std::regex(R"(/ByteRange\s*\[\s*0\s+(\d+)\s+(\d+)\s+(\d+)\s*\])"));
        std::size_t a = std::stoul(m[1]), b = std::stoul(m[2]), c = std::stoul(m[3]);
        test::write_file(m_work.file("ranges.bin"), blank.substr(0, a) + blank.substr(b, c));
        test::write_file(m_work.file("f-cert.pem"), pki::to_pem(signer.cert.get()));
        test::write_file(m_work.file("f-key.pem"), key_pem(signer.key.get()));
        auto r = test::run_command("openssl cms -sign -binary -outform DER -in " + m_work.file("ranges.bin") + " -signer " +
                                   m_work.file("f-cert.pem") + " -inkey " + m_work.file("f-key.pem") + " -out " +
                                   m_work.file("ranges.p7s"));
        EXPECT_EQ(r.exit_code, 0) << r.output;
        return pades::finish_signature(std::move(prepared), core::to_bytes(test::read_file(m_work.file("ranges.p7s"))));
    }

    static std::string key_pem(EVP_PKEY* key) {
        pki::BioPtr bio(BIO_new(BIO_s_mem()));
        PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
        char* data = nullptr;
        long n = BIO_get_mem_data(bio.get(), &data);
        return std::string(data, static_cast<std::size_t>(n));
    }

    std::string add_validation_material(const std::string& pdf, const pades::ValidationMaterial& m) const {
        return pades::add_validation_material(*m_parsers, pdf, m);
    }

private:
    const test::ServerProcess& m_server;
    const test::TempDir& m_work;
    std::shared_ptr<pades::PdfParsers> m_parsers = pades::make_pdf_parsers();
};

}  // namespace

class ValidationCorpusTest : public ::testing::Test {
protected:
    test::TempDir work;
    test::LocalSigner foreign = test::make_local_signer("EC", "Lei Foreign");  // another CA on our trust list
    test::LocalSigner expired = test::make_local_signer("RSA", "Expired Signer", {-3 * 86400, -86400});
    test::LocalSigner stranger = test::make_local_signer("EC", "Stranger");  // a CA nobody trusts
    std::string trust_file = write_trust();
    test::ServerProcess server{test::ServerProcess::Options{
        test::DbKind::Sqlite,
        R"({"accounts": {"otp_required": false}, "validation": {"trust_files": [")" + trust_file + R"("]}})", true}};
    fs::path corpus = fs::current_path() / "tests" / "data" / "validation";

    std::string write_trust() {
        std::string path = work.file("trust-list.pem");
        test::write_file(path, pki::to_pem(foreign.ca_cert.get()) + pki::to_pem(expired.ca_cert.get()));
        return path;
    }
    std::string at(const std::string& name) const { return (corpus / name).string(); }
    void sign(const std::string& user, const std::string& in, const std::string& out, const std::string& options,
              const std::string& rect = "300,60,560,160") {
        test::write_file(work.file("pin"), "signing-password-1\n");
        auto r = server.cli("sign pdf --in " + in + " --out " + at(out) + " --username " + user + " " + options +
                            " --page 1 --rect " + rect + " < " + work.file("pin"));
        ASSERT_EQ(r.exit_code, 0) << r.output;
    }
};

TEST_F(ValidationCorpusTest, EveryCorpusFileGetsTheRightVerdictAndIndependentToolsAgreeOrTheTableSaysWhy) {
    fs::remove_all(corpus);
    fs::create_directories(corpus);
    test::create_account(server, work, "chan.taiman");
    test::create_account(server, work, "lei.siuming");
    test::create_account(server, work, "wong.kaming");
    const std::string input = test::ghostscript_pdf(work, 1);
    const std::string original = test::read_file(input);
    ForeignSigner other(server, work);

    // our four levels
    for (const char* level : {"B-B", "B-T", "B-LT", "B-LTA"})
        sign("chan.taiman", input, std::string("ours-") + level + ".pdf", std::string("--level ") + level);
    // one byte flipped inside the signed range
    std::string bytes = test::read_file(at("ours-B-T.pdf"));
    bytes[original.find("/MediaBox") + 1] = 'm';
    test::write_file(at("flipped-byte.pdf"), bytes);
    // a later incremental update that replaces the page's content
    {
        std::string signed_pdf = test::read_file(at("ours-B-T.pdf"));
        std::smatch m, t;
        ASSERT_TRUE(std::regex_search(original, m, std::regex(R"(/Contents (\d+) 0 R)")));
        int contents = std::stoi(m[1]);
        std::string tail = signed_pdf.substr(signed_pdf.rfind("trailer"));
        ASSERT_TRUE(std::regex_search(tail, t, std::regex(R"(/Size (\d+) /Root (\d+ \d+ R))")));
        std::string stream = "BT /F1 24 Tf 72 700 Td (Pay 1,000,000 MOP) Tj ET";
        pades::TrailerFields fields{std::stoll(t[1]), t[2], "", ""};
        std::string update = pades::update_section(
            signed_pdf,
            {{contents, 0, std::to_string(contents) + " 0 obj\n<< /Length " + std::to_string(stream.size()) +
                               " >>\nstream\n" + stream + "\nendstream\nendobj\n"}},
            fields, pades::read_xref_tail(signed_pdf));
        test::write_file(at("page-changed-later.pdf"), signed_pdf + update);
    }
    // A shadow attack ("replace", after Mainka et al., "Shadow Attacks", NDSS 2021): the signed revision carries a
    // stream nothing shows; a later incremental update changes only the page dictionary so that the page draws it.
    // No signed byte changes, and the update touches no content stream.
    {
        std::smatch page, trailer;
        ASSERT_TRUE(std::regex_search(original, page, std::regex(R"((\d+) 0 obj\s*<<\s*/Type\s*/Page\b[\s\S]*?endobj)")));
        const int page_object = std::stoi(page[1]);
        std::string prepared = original;
        auto grow = [](const std::string& pdf, const std::vector<pades::ObjectText>& objects, std::int64_t size) {
            std::smatch t;
            std::string tail = pdf.substr(pdf.rfind("trailer"));
            EXPECT_TRUE(std::regex_search(tail, t, std::regex(R"(/Root (\d+ \d+ R))")));
            pades::TrailerFields fields{size, t[1], "", ""};
            return pdf + pades::update_section(pdf, objects, fields, pades::read_xref_tail(pdf));
        };
        std::smatch size_match;
        ASSERT_TRUE(std::regex_search(original, size_match, std::regex(R"(/Size (\d+))")));
        const int hidden = std::stoi(size_match[1]);
        const std::string stream = "BT /F1 24 Tf 72 700 Td (Pay 1,000,000 MOP) Tj ET";
        prepared = grow(prepared,
                        {{hidden, 0, std::to_string(hidden) + " 0 obj\n<< /Length " + std::to_string(stream.size()) +
                                         " >>\nstream\n" + stream + "\nendstream\nendobj\n"}},
                        hidden);
        test::write_file(work.file("shadow-prepared.pdf"), prepared);
        sign("chan.taiman", work.file("shadow-prepared.pdf"), "shadow-signed.pdf", "--level B-T");
        std::string page_text = page[0].str();
        page_text = std::regex_replace(page_text, std::regex(R"(/Contents\s+\d+\s+0\s+R)"),
                                       "/Contents " + std::to_string(hidden) + " 0 R");
        std::string signed_pdf = test::read_file(at("shadow-signed.pdf"));
        std::smatch signed_size;
        std::string signed_tail = signed_pdf.substr(signed_pdf.rfind("trailer"));
        ASSERT_TRUE(std::regex_search(signed_tail, signed_size, std::regex(R"(/Size (\d+))")));
        test::write_file(at("shadow-replace-contents.pdf"),
                         grow(signed_pdf, {{page_object, 0, page_text + "\n"}}, std::stoll(signed_size[1])));
        fs::remove(at("shadow-signed.pdf"));
    }
    // a broken signature time-stamp: the last byte of the CMS — the end of the TSA's own signature inside the token, an
    // unsigned attribute outside what the signer signed — flipped in /Contents. The time-stamp then proves nothing: the
    // signature stands on its own at B-B.
    {
        std::string broken = test::read_file(at("ours-B-T.pdf"));
        std::size_t hex = broken.rfind("/Contents <") + 11;
        ASSERT_EQ(broken.substr(hex, 4), "3082");  // a DER SEQUENCE with a two-byte length (X.690 §8.1.3.5)
        std::size_t total = 4 + std::stoul(broken.substr(hex + 4, 4), nullptr, 16);
        std::size_t last = hex + 2 * (total - 1);
        int value = std::stoi(broken.substr(last, 2), nullptr, 16) ^ 0x01;
        char flipped[3];
        std::snprintf(flipped, sizeof flipped, "%02x", value);
        broken.replace(last, 2, flipped);
        test::write_file(at("broken-timestamp.pdf"), broken);
    }
    // a ByteRange that leaves a gap besides /Contents (the first range 10 bytes shorter)
    {
        std::string gap = test::read_file(at("ours-B-T.pdf"));
        std::size_t num = gap.rfind("/ByteRange [0 ") + 14, end = gap.find(' ', num);
        std::string shorter = std::to_string(std::stoll(gap.substr(num, end - num)) - 10);
        shorter.resize(end - num, ' ');
        gap.replace(num, end - num, shorter);
        test::write_file(at("byterange-gap.pdf"), gap);
    }
    // certification: P1 forbids the approval signature added after it, P2 permits it (the second signer is another
    // user: pdfsig 22.12 reports "Unknown issue with Certificate" for the second signature of one certificate in a file)
    sign("chan.taiman", input, "certified-P1.pdf", "--level B-T --certify 1");
    sign("wong.kaming", at("certified-P1.pdf"), "certified-P1-then-signed.pdf", "--level B-T", "40,60,290,160");
    sign("chan.taiman", input, "certified-P2.pdf", "--level B-T --certify 2");
    sign("wong.kaming", at("certified-P2.pdf"), "certified-P2-then-signed.pdf", "--level B-T", "40,60,290,160");
    sign("wong.kaming", at("ours-B-T.pdf"), "signed-twice.pdf", "--level B-T", "40,60,290,160");
    fs::remove(at("certified-P1.pdf"));
    fs::remove(at("certified-P2.pdf"));
    // signatures of a certificate that is revoked afterwards: without a time-stamp, with one, with B-LT evidence
    sign("lei.siuming", input, "revoked-no-timestamp.pdf", "--level B-B");
    sign("lei.siuming", input, "revoked-after-timestamp.pdf", "--level B-T");
    sign("lei.siuming", input, "revoked-after-B-LT.pdf", "--level B-LT");
    std::string listing = server.cli("ca list").output, serial;
    for (std::istringstream lines(listing); std::getline(lines, serial);)
        if (serial.find("lei.siuming@") != std::string::npos && serial.find("  valid  ") != std::string::npos) break;
    serial = serial.substr(0, serial.find(' '));
    ASSERT_FALSE(serial.empty()) << listing;
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // revoked in a later second than the time-stamps
    ASSERT_EQ(server.cli("ca revoke --serial " + serial + " --reason keyCompromise").exit_code, 0);
    // another CA on our trust list: B-LT with its CRL in the DSS, good and revoked before signing
    {
        std::string good = other.sign(original, foreign, true);
        pades::ValidationMaterial m{{pki::to_der(foreign.ca_cert.get())}, {}, {test::make_crl(foreign, std::time(nullptr), 0)}};
        test::write_file(at("foreign-CA-B-LT.pdf"), other.add_validation_material(good, m));
        std::string revoked = other.sign(original, foreign, true);
        pades::ValidationMaterial r{{pki::to_der(foreign.ca_cert.get())}, {},
                                    {test::make_crl(foreign, std::time(nullptr), std::time(nullptr) - 3600)}};
        test::write_file(at("foreign-CA-revoked-before-signing.pdf"), other.add_validation_material(revoked, r));
    }
    test::write_file(at("expired-certificate.pdf"), other.sign(original, expired, false));
    test::write_file(at("unknown-CA.pdf"), other.sign(original, stranger, false));
    test::write_file(at("plain-openssl-cms.pdf"), other.sign_with_openssl(original, foreign));
    // CMS files: ours at three levels, a changed content, plain openssl enveloping with signing-time
    test::write_file(at("minutes.txt"), "minutes of the meeting");
    test::write_file(work.file("pin"), "signing-password-1\n");
    for (const char* level : {"B-B", "B-T", "B-LT"})
        ASSERT_EQ(server.cli("sign file --in " + at("minutes.txt") + " --out " + at(std::string("minutes-") + level + ".p7s") +
                             " --username chan.taiman --level " + level + " < " + work.file("pin")).exit_code, 0);
    test::write_file(at("minutes-changed.txt"), "minutes of the meeting, changed");
    fs::copy_file(at("minutes-B-T.p7s"), at("minutes-changed.p7s"));
    test::write_file(work.file("f-cert.pem"), pki::to_pem(foreign.cert.get()));
    test::write_file(work.file("f-key.pem"), ForeignSigner::key_pem(foreign.key.get()));
    test::run_command("openssl cms -sign -binary -nodetach -outform DER -in " + at("minutes.txt") + " -signer " +
                      work.file("f-cert.pem") + " -inkey " + work.file("f-key.pem") + " -out " + at("plain-openssl-enveloping.p7m"));

    const std::string pdfsig_differs_revocation = "pdfsig asks OCSP now, not at the time-stamp: it sees the later revocation";
    const std::vector<Row> table{
        {"ours-B-B.pdf", {"TOTAL-PASSED B-B"}, ""},
        {"ours-B-T.pdf", {"TOTAL-PASSED B-T"}, ""},
        {"ours-B-LT.pdf", {"TOTAL-PASSED B-LT"}, ""},
        {"ours-B-LTA.pdf", {"TOTAL-PASSED B-LTA", "TOTAL-PASSED"}, ""},
        {"flipped-byte.pdf", {"TOTAL-FAILED/HASH_FAILURE"}, ""},
        {"page-changed-later.pdf", {"TOTAL-FAILED/MODIFIED_AFTER_SIGNING"},
         "pdfsig checks only the signed revision (it says the signature does not cover the total document)"},
        {"byterange-gap.pdf", {"TOTAL-FAILED/FORMAT_FAILURE"}, ""},
        {"broken-timestamp.pdf", {"TOTAL-PASSED B-B"}, ""},
        {"shadow-replace-contents.pdf", {"TOTAL-FAILED/MODIFIED_AFTER_SIGNING"},
         "pdfsig checks only the signed revision (it says the signature does not cover the total document)"},
        {"certified-P1-then-signed.pdf", {"TOTAL-FAILED/MODIFIED_AFTER_SIGNING", "TOTAL-PASSED B-T"},
         "pdfsig does not apply DocMDP permissions"},
        {"certified-P2-then-signed.pdf", {"TOTAL-PASSED B-T", "TOTAL-PASSED B-T"}, ""},
        {"signed-twice.pdf", {"TOTAL-PASSED B-T", "TOTAL-PASSED B-T"}, ""},
        {"revoked-no-timestamp.pdf", {"INDETERMINATE/REVOKED_NO_POE"}, ""},
        {"revoked-after-timestamp.pdf", {"TOTAL-PASSED B-T"}, pdfsig_differs_revocation},
        {"revoked-after-B-LT.pdf", {"TOTAL-PASSED B-LT"}, pdfsig_differs_revocation},
        {"foreign-CA-B-LT.pdf", {"TOTAL-PASSED B-LT"}, "", true},
        {"foreign-CA-revoked-before-signing.pdf", {"TOTAL-FAILED/REVOKED"}, "pdfsig does not read the CRL in the DSS"},
        {"expired-certificate.pdf", {"INDETERMINATE/OUT_OF_BOUNDS_NO_POE"}, ""},
        {"unknown-CA.pdf", {"INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND"}, ""},
        {"plain-openssl-cms.pdf", {"INDETERMINATE/TRY_LATER"},
         "the signature carries no revocation data and its CA has no responder; pdfsig does not require any"},
        {"minutes-B-B.p7s", {"TOTAL-PASSED B-B"}, "", true, "minutes.txt"},
        {"minutes-B-T.p7s", {"TOTAL-PASSED B-T"}, "", true, "minutes.txt"},
        {"minutes-B-LT.p7s", {"TOTAL-PASSED B-LT"}, "", true, "minutes.txt"},
        {"minutes-changed.p7s", {"TOTAL-FAILED/HASH_FAILURE"}, "", true, "minutes-changed.txt"},
        {"plain-openssl-enveloping.p7m", {"INDETERMINATE/TRY_LATER"},
         "openssl cms -verify does not check revocation", true},
    };

    std::string nss = test::nss_trusting(work, test::read_file(server.root_pem()));
    test::nss_trusting(work, pki::to_pem(foreign.ca_cert.get()), "foreign");
    test::nss_trusting(work, pki::to_pem(expired.ca_cert.get()), "expired");
    test::write_file(work.file("anchors.pem"), test::read_file(server.root_pem()) + test::read_file(trust_file));
    std::ostringstream md;
    md << "| file | yunqian | independent tool | explained difference |\n|---|---|---|---|\n";
    std::set<std::string> covered;
    for (const Row& row : table) {
        SCOPED_TRACE(row.file);
        covered.insert(row.file);
        bool pdf = row.content.empty() && row.file.size() > 4 && row.file.compare(row.file.size() - 4, 4, ".pdf") == 0;
        auto r = server.cli("verify --format json " + (row.content.empty() ? "" : "--content " + at(row.content) + " ") + at(row.file));
        json report = json::parse(r.output.substr(std::min(r.output.find('{'), r.output.size())), nullptr, false);
        ASSERT_FALSE(report.is_discarded()) << r.output;
        std::vector<std::string> ours;
        for (const auto& s : report["signatures"]) ours.push_back(verdict_of(s));
        EXPECT_EQ(ours, row.verdicts) << report.dump(2);
        // where the revocation answer came from, where that is the point of the file
        const std::map<std::string, std::string> evidence{
            {"revoked-after-B-LT.pdf", "revoked (yunqian CA records)"},  // our records outrank the DSS
            {"foreign-CA-B-LT.pdf", "good (embedded CRL)"},
            {"foreign-CA-revoked-before-signing.pdf", "revoked (embedded CRL)"},
            {"revoked-after-timestamp.pdf", "revoked (yunqian CA records)"}};
        if (row.file == "broken-timestamp.pdf") {  // the report says why the level fell to B-B
            EXPECT_EQ(report["signatures"][0]["timestamp_time"], "");
            EXPECT_EQ(report["signatures"][0]["best_signature_time"], report["validation_time"]);
            EXPECT_NE(report["signatures"][0]["details"].dump().find("the signature time-stamp does not verify"),
                      std::string::npos)
                << report.dump(2);
        }
        if (evidence.count(row.file)) {
            EXPECT_EQ(report["signatures"][0]["revocation"], evidence.at(row.file));
        }
        bool we_accept = report["all_passed"].get<bool>();
        EXPECT_EQ(r.exit_code, we_accept ? 0 : 1);
        // the same verdict over HTTP, for anyone
        if (row.over_http) {
            std::string body = test::read_file(at(row.file)), type = pdf ? "application/pdf" : "application/pkcs7-signature";
            if (!row.content.empty()) {  // a detached signature and its content, as a form would send them
                body = "--yqB\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + row.file + "\"\r\n\r\n" + body +
                       "\r\n--yqB\r\nContent-Disposition: form-data; name=\"content\"; filename=\"" + row.content +
                       "\"\r\n\r\n" + test::read_file(at(row.content)) + "\r\n--yqB--\r\n";
                type = "multipart/form-data; boundary=yqB";
            }
            auto http = test::http_request("POST", server.port(), "/api/v1/validate", body, type);
            ASSERT_EQ(http.status, 200) << http.body.substr(0, 300);
            std::vector<std::string> via_api;
            json api_report = json::parse(http.body);
            for (const auto& s : api_report["signatures"]) via_api.push_back(verdict_of(s));
            EXPECT_EQ(via_api, ours) << http.body.substr(0, 400);
        }
        // the independent tool's view
        bool they_accept = false;
        std::string theirs;
        if (pdf) {
            auto sigs = test::pdfsig(nss, at(row.file));
            they_accept = !sigs.empty();
            for (const auto& s : sigs) {
                // pdfsig 22.12 cannot verify document time-stamps ("Unable to validate this type of signature")
                if (s.validation == "Signature has not yet been verified.") continue;
                bool ok = s.validation == "Signature is Valid." && s.certificate == "Certificate is Trusted.";
                they_accept = they_accept && ok;
                theirs += (theirs.empty() ? "" : "; ") + s.validation + " " + s.certificate;
            }
        } else {
            std::string content = row.content.empty() ? "" : " -content " + at(row.content);
            auto v = test::run_command("openssl cms -verify -binary -inform DER -in " + at(row.file) + content + " -CAfile " +
                                       work.file("anchors.pem") + " -certfile " + server.issuing_pem() +
                                       " -purpose any -out /dev/null");
            they_accept = v.output.find("Verification successful") != std::string::npos;
            theirs = they_accept ? "openssl: Verification successful" : "openssl: Verification failure";
        }
        if (we_accept == they_accept)
            EXPECT_TRUE(row.explained.empty()) << "the tools agree now (" << theirs << "): drop the explanation";
        else
            EXPECT_FALSE(row.explained.empty()) << "unexplained disagreement: " << theirs;
        std::string joined;
        for (const auto& v : ours) joined += (joined.empty() ? "" : "; ") + v;
        md << "| " << row.file << " | " << joined << " | " << theirs << " | " << row.explained << " |\n";
    }
    std::ofstream(at("verdicts.md")) << md.str();
    for (const auto& entry : fs::directory_iterator(corpus)) {  // every file made is in the table
        std::string name = entry.path().filename().string();
        bool data = name == "verdicts.md" || (name.size() > 4 && name.compare(name.size() - 4, 4, ".txt") == 0);
        EXPECT_TRUE(data || covered.count(name)) << name << " is in the corpus but not in the table";
    }
}
