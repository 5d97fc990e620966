// `yunqian sign pdf` as a new user would run it: a signer made with the CLI, the signing password on standard input,
// the key used through the CSC service; the output judged by pdfsig (trusting our root), qpdf and openssl.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>

#include <nlohmann/json.hpp>

#include "core/bytes.hpp"
#include "support/fixtures.hpp"
#include "support/http_client.hpp"
#include "support/pdf_tools.hpp"

using namespace yq;
using nlohmann::json;
using test::run_command;

class PadesCliTest : public ::testing::Test {
protected:
    test::TempDir work;
    test::ServerProcess server{
        test::ServerProcess::Options{test::DbKind::Sqlite, R"({"accounts": {"otp_required": false}})", true}};

    test::CommandResult sign(const std::string& args, const std::string& password = "signing-password-1") {
        test::write_file(work.file("pin"), password + "\n");
        return server.cli("sign pdf " + args + " < " + work.file("pin"));
    }
    std::string chain_pem() { return test::read_file(server.root_pem()) + test::read_file(server.issuing_pem()); }
    // The root certificate's SHA-256 fingerprint as openssl reads it from the repository's file ("AB:CD:…").
    std::string root_fingerprint() {
        std::string f = run_command("openssl x509 -noout -fingerprint -sha256 -in " + server.root_pem()).output;
        f = f.substr(f.find('=') + 1);
        return f.substr(0, f.find('\n'));
    }
    static json catalogue(const std::string& lang) {
        std::ifstream file(std::string(YQ_SOURCE_DIR) + "/src/web/i18n/" + lang + ".json");
        return json::parse(file);
    }

    json csc(const std::string& method, const json& body, const std::string& token, int expected_status = 200) {
        auto r = test::http_request("POST", server.port(), "/csc/v2/" + method, body.dump(), "application/json", "",
                                    "127.0.0.1", {{"Authorization", "Bearer " + token}});
        EXPECT_EQ(r.status, expected_status) << method << " " << r.body;
        return json::parse(r.body, nullptr, false);
    }
    std::string login(const std::string& user) {
        std::string basic = core::base64_encode(core::to_bytes(user + ":login-password-1"));
        auto r = test::http_request("POST", server.port(), "/csc/v2/auth/login", "", "", "", "127.0.0.1",
                                    {{"Authorization", "Basic " + basic}});
        return json::parse(r.body)["access_token"];
    }
    // credentials/authorize for these documents' SHA-256 digests (SCAL2)
    std::string authorize(const std::string& token, const test::TestAccount& a, const std::vector<std::string>& docs) {
        json hashes = json::array();
        for (const auto& d : docs) hashes.push_back(core::base64_encode(core::sha256(d)));
        auto r = csc("credentials/authorize", {{"credentialID", a.credential}, {"numSignatures", docs.size()},
                                               {"hashes", hashes}, {"hashAlgorithmOID", "2.16.840.1.101.3.4.2.1"},
                                               {"authData", {{{"id", "PIN"}, {"value", "signing-password-1"}}}}},
                     token);
        return r.value("SAD", "");
    }
};

TEST_F(PadesCliTest, SignsVisiblyAtBTAndIndependentToolsAccept) {
    test::create_account(server, work, "chan.taiman");
    std::string input = test::ghostscript_pdf(work, 2);
    auto r = sign("--in " + input + " --out " + work.file("signed.pdf") + " --username chan.taiman --level B-T --page 2 "
                  "--rect 300,60,560,160 --reason " + test::shell_quote("核准 Approved") + " --location " +
                  test::shell_quote("澳門 Macau"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("signed " + work.file("signed.pdf") + " (B-T)"), std::string::npos) << r.output;

    std::string nss = test::nss_trusting(work, test::read_file(server.root_pem()));
    auto sigs = test::pdfsig(nss, work.file("signed.pdf"));
    ASSERT_EQ(sigs.size(), 1u);
    EXPECT_EQ(sigs[0].validation, "Signature is Valid.");
    EXPECT_EQ(sigs[0].certificate, "Certificate is Trusted.");
    EXPECT_EQ(sigs[0].signer, "陳大文 Chan Tai Man");
    EXPECT_TRUE(sigs[0].total_document);
    EXPECT_NE(test::qpdf_check(work.file("signed.pdf")).find("No syntax or stream encoding errors found"), std::string::npos);
    EXPECT_NE(test::openssl_verify_pdf_signature(work, work.file("signed.pdf"), 0, chain_pem()).find("Verification successful"),
              std::string::npos);
    // B-T: the CMS carries a signature time-stamp from our TSA.
    std::string printed = run_command("openssl cms -cmsout -print -inform DER -in " + work.file("sig.der")).output;
    EXPECT_NE(printed.find("id-smime-aa-timeStampToken"), std::string::npos);
    // the signing is in the audit log, with the output's hash
    auto audit = server.cli("audit search --action document.signed");
    EXPECT_NE(audit.output.find("account:chan.taiman"), std::string::npos) << audit.output;
}

// B-LTA: the signature, then a DSS with the chain, OCSP response and CRL, then a document time-stamp over it all.
TEST_F(PadesCliTest, SignsAtBLTAWithValidationDataAndADocumentTimestamp) {
    test::create_account(server, work, "wong.user", "rsa-2048");
    std::string input = test::qpdf_object_streams(work, test::ghostscript_pdf(work, 1));
    auto r = sign("--in " + input + " --out " + work.file("lta.pdf") + " --username wong.user --level B-LTA --page 1 "
                  "--rect 40,40,300,140");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    std::string pdf = test::read_file(work.file("lta.pdf"));
    EXPECT_NE(pdf.find("/DSS"), std::string::npos);
    EXPECT_NE(pdf.find("/VRI"), std::string::npos);
    EXPECT_NE(pdf.find("/Type /DocTimeStamp"), std::string::npos);
    EXPECT_NE(pdf.find("/SubFilter /ETSI.RFC3161"), std::string::npos);
    std::string nss = test::nss_trusting(work, test::read_file(server.root_pem()));
    auto sigs = test::pdfsig(nss, work.file("lta.pdf"));
    ASSERT_EQ(sigs.size(), 2u) << test::run_command("pdfsig " + work.file("lta.pdf")).output;
    EXPECT_EQ(sigs[0].validation, "Signature is Valid.");
    EXPECT_EQ(sigs[0].certificate, "Certificate is Trusted.");
    EXPECT_FALSE(sigs[0].total_document);  // the DSS and the document time-stamp came after it
    // pdfsig 22.12 lists the document time-stamp but does not know its type ("unknown"); it must cover the whole file.
    EXPECT_TRUE(sigs[1].total_document);
    EXPECT_NE(test::qpdf_check(work.file("lta.pdf")).find("No syntax or stream encoding errors found"), std::string::npos);
    // the document time-stamp token verifies with openssl ts over the byte ranges it covers
    EXPECT_NE(test::openssl_verify_pdf_signature(work, work.file("lta.pdf"), 0, chain_pem()).find("Verification successful"),
              std::string::npos);
    (void)test::openssl_verify_pdf_signature(work, work.file("lta.pdf"), 1, chain_pem());  // writes the token's ranges
    test::write_file(work.file("ts-root.pem"), test::read_file(server.root_pem()));
    auto ts = run_command("openssl ts -verify -data " + work.file("signed.bin") + " -in " + work.file("sig.der") +
                     " -token_in -CAfile " + work.file("ts-root.pem") + " -untrusted " + server.issuing_pem());
    EXPECT_NE(ts.output.find("Verification: OK"), std::string::npos) << ts.output;
}

// CSC signatures/signDoc: two PDFs at B-LTA with the default visible appearance and a detached CAdES signature over
// a digest, each under a SAD authorised for exactly those documents.
TEST_F(PadesCliTest, CscSignDocSignsPdfsAndDigestsAuthorisedByTheSad) {
    test::TestAccount a = test::create_account(server, work, "doc.user");
    std::string token = login("doc.user");
    std::string one = test::read_file(test::ghostscript_pdf(work, 1, "one.pdf"));
    std::string two = test::read_file(test::qpdf_object_streams(work, test::ghostscript_pdf(work, 2, "two-src.pdf"), "two.pdf"));
    std::string sad = authorize(token, a, {one, two});
    json docs = json::array();
    for (const auto* d : {&one, &two})
        docs.push_back({{"document", core::base64_encode(core::to_bytes(*d))},
                        {"signature_format", "P"},
                        {"conformance_level", "AdES-B-LTA"},
                        {"signAlgo", "1.2.840.10045.4.3.2"},
                        {"signed_props", {{{"attribute_name", "reason"}, {"attribute_value", "批准 Approved"}}}}});
    json out = csc("signatures/signDoc", {{"credentialID", a.credential}, {"SAD", sad}, {"documents", docs}}, token);
    ASSERT_EQ(out["DocumentWithSignature"].size(), 2u) << out;
    std::string nss = test::nss_trusting(work, test::read_file(server.root_pem()));
    for (int i = 0; i < 2; ++i) {
        core::Bytes pdf = core::base64_decode(out["DocumentWithSignature"][i].get<std::string>());
        std::string file = work.file("signdoc-" + std::to_string(i) + ".pdf");
        test::write_file(file, std::string(pdf.begin(), pdf.end()));
        auto sigs = test::pdfsig(nss, file);
        ASSERT_EQ(sigs.size(), 2u) << file;  // the signature and the document time-stamp
        EXPECT_EQ(sigs[0].validation, "Signature is Valid.");
        EXPECT_EQ(sigs[0].certificate, "Certificate is Trusted.");
        EXPECT_NE(test::qpdf_check(file).find("No syntax or stream encoding errors found"), std::string::npos);
    }
    // the SAD is spent; another document is not covered by a fresh SAD for `one`
    json again = csc("signatures/signDoc", {{"credentialID", a.credential}, {"SAD", sad}, {"documents", {docs[0]}}}, token, 400);
    EXPECT_EQ(again["error"], "invalid_request");
    std::string sad_one = authorize(token, a, {one});
    json other = csc("signatures/signDoc", {{"credentialID", a.credential}, {"SAD", sad_one}, {"documents", {docs[1]}}},
                     token, 400);
    EXPECT_EQ(other["error_description"], "documentDigests or documents are not authorized by the SAD");

    // detached CAdES over a digest
    std::string content = "a contract in any format";
    std::string sad_c = authorize(token, a, {content});
    json c = csc("signatures/signDoc",
                 {{"credentialID", a.credential}, {"SAD", sad_c},
                  {"documentDigests", {{{"hashes", {core::base64_encode(core::sha256(content))}},
                                        {"hashAlgorithmOID", "2.16.840.1.101.3.4.2.1"},
                                        {"signature_format", "C"},
                                        {"conformance_level", "Ades-B-T"},
                                        {"signAlgo", "1.2.840.10045.4.3.2"}}}}},
                 token);
    ASSERT_EQ(c["SignatureObject"].size(), 1u) << c;
    core::Bytes p7s = core::base64_decode(c["SignatureObject"][0].get<std::string>());
    test::write_file(work.file("c.p7s"), std::string(p7s.begin(), p7s.end()));
    test::write_file(work.file("content.txt"), content);
    test::write_file(work.file("chain.pem"), chain_pem());
    auto verdict = run_command("openssl cms -verify -binary -cades -inform DER -in " + work.file("c.p7s") + " -content " +
                               work.file("content.txt") + " -CAfile " + work.file("chain.pem") + " -purpose any -out /dev/null");
    EXPECT_NE(verdict.output.find("Verification successful"), std::string::npos) << verdict.output;
}

// The signer portal's JSON API: upload, sign with password (+ OTP), download.
TEST_F(PadesCliTest, ThePortalApiSignsAnUploadedPdf) {
    test::create_account(server, work, "portal.user");
    std::string token = login("portal.user");
    std::string pdf = test::read_file(test::ghostscript_pdf(work, 2));
    json body = {{"document", core::base64_encode(core::to_bytes(pdf))},
                 {"signing_password", "signing-password-1"},
                 {"level", "B-T"},
                 {"reason", "同意 Agreed"},
                 {"placement", {{"page", 2}, {"rect", {300, 60, 560, 160}}}}};
    auto call = [&](const json& b) {
        return test::http_request("POST", server.port(), "/api/v1/me/signatures", b.dump(), "application/json", "",
                                  "127.0.0.1", {{"Authorization", "Bearer " + token}});
    };
    auto r = call(body);
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
    json out = json::parse(r.body);
    EXPECT_EQ(out["level"], "B-T");
    core::Bytes signed_pdf = core::base64_decode(out["document"].get<std::string>());
    test::write_file(work.file("portal.pdf"), std::string(signed_pdf.begin(), signed_pdf.end()));
    auto sigs = test::pdfsig(test::nss_trusting(work, test::read_file(server.root_pem())), work.file("portal.pdf"));
    ASSERT_EQ(sigs.size(), 1u);
    EXPECT_EQ(sigs[0].validation, "Signature is Valid.");
    EXPECT_EQ(sigs[0].certificate, "Certificate is Trusted.");
    body["signing_password"] = "not-the-password";
    auto wrong = call(body);
    EXPECT_EQ(wrong.status, 400);
    EXPECT_EQ(json::parse(wrong.body)["error"], "accounts.wrong_signing_secrets");
    body["signing_password"] = "signing-password-1";
    body["document"] = core::base64_encode(core::to_bytes(std::string("%PDF-1.7 broken")));
    auto broken = call(body);
    EXPECT_EQ(broken.status, 422);
    EXPECT_EQ(json::parse(broken.body)["error"], "pades.broken_pdf");
}

// A batch: three PDFs under one authorisation, a progress bar, every output valid.
TEST_F(PadesCliTest, ABatchOfPdfsIsSignedUnderOneAuthorisation) {
    test::create_account(server, work, "batch.user");
    std::string ins;
    for (int i = 1; i <= 3; ++i) ins += " --in " + test::ghostscript_pdf(work, i, "doc" + std::to_string(i) + ".pdf");
    auto r = sign(ins + " --out " + work.file("signed") + " --username batch.user --level B-B --invisible");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("3/3 signed"), std::string::npos) << r.output;
    std::string nss = test::nss_trusting(work, test::read_file(server.root_pem()));
    for (int i = 1; i <= 3; ++i) {
        auto sigs = test::pdfsig(nss, work.file("signed/doc" + std::to_string(i) + ".pdf"));
        ASSERT_EQ(sigs.size(), 1u);
        EXPECT_EQ(sigs[0].validation, "Signature is Valid.");
    }
    // one SAD for the three: one credentials authorisation event with count 3
    auto audit = server.cli("audit search --action csc.signatures.created");
    EXPECT_NE(audit.output.find("\"count\":\"3\""), std::string::npos) << audit.output;
}

TEST_F(PadesCliTest, SignFileWritesADetachedCadesSignatureOpensslAccepts) {
    test::create_account(server, work, "file.user", "rsa-2048");
    test::write_file(work.file("minutes.odt"), std::string("PK\x03\x04 any bytes at all \x00\x01", 24));
    test::write_file(work.file("pin"), "signing-password-1\n");
    auto r = server.cli("sign file --in " + work.file("minutes.odt") + " --username file.user --level B-LT < " + work.file("pin"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    test::write_file(work.file("chain.pem"), chain_pem());
    auto verdict = run_command("openssl cms -verify -binary -cades -inform DER -in " + work.file("minutes.odt.p7s") +
                               " -content " + work.file("minutes.odt") + " -CAfile " + work.file("chain.pem") +
                               " -purpose any -out /dev/null");
    EXPECT_NE(verdict.output.find("Verification successful"), std::string::npos) << verdict.output;
    std::string printed = run_command("openssl cms -cmsout -print -inform DER -in " + work.file("minutes.odt.p7s")).output;
    EXPECT_NE(printed.find("id-smime-aa-timeStampToken"), std::string::npos);  // B-T and above
    EXPECT_NE(printed.find("id-smime-aa-ets-certValues"), std::string::npos) << printed.substr(0, 3000);  // B-LT
    EXPECT_NE(printed.find("id-smime-aa-ets-revocationValues"), std::string::npos);
}

TEST_F(PadesCliTest, AWrongSigningPasswordWritesNothingAndCounts) {
    test::create_account(server, work, "lee.user");
    std::string input = test::ghostscript_pdf(work, 1);
    auto r = sign("--in " + input + " --out " + work.file("out.pdf") + " --username lee.user --invisible", "wrong-password");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.output.find("accounts.wrong_signing_secrets"), std::string::npos) << r.output;
    EXPECT_FALSE(std::filesystem::exists(work.file("out.pdf")));
    EXPECT_FALSE(std::filesystem::exists(work.file("out.pdf.partial")));
    auto bad = sign("--in " + work.file("nothing.pdf") + " --out " + work.file("out.pdf") + " --username lee.user --invisible");
    EXPECT_EQ(bad.exit_code, 1);
    test::write_file(work.file("junk.pdf"), "%PDF-1.7 but nothing else");
    auto junk = sign("--in " + work.file("junk.pdf") + " --out " + work.file("out.pdf") + " --username lee.user --invisible");
    EXPECT_EQ(junk.exit_code, 1);
    EXPECT_NE(junk.output.find("pades.broken_pdf"), std::string::npos) << junk.output;
    EXPECT_FALSE(std::filesystem::exists(work.file("out.pdf")));
}

// #16: scanning the QR code of a signature (the page rendered by pdftoppm, read by zbarimg) opens that signature's
// public record: who signed, the digest of the bytes signed (checked here with openssl over the file's ByteRange), and
// the certificate's status now (revoked after a revocation). The record page tells whether a file carries this
// signature; an unknown reference is 404.
TEST_F(PadesCliTest, ScanningTheSignaturesQrCodeOpensItsRecordWhichKnowsTheFileAndTheStatus) {
    test::create_account(server, work, "chan.taiman");
    std::string input = test::ghostscript_pdf(work, 1);
    ASSERT_EQ(sign("--in " + input + " --out " + work.file("signed.pdf") +
                   " --username chan.taiman --level B-B --page 1 --rect 300,60,560,160")
                  .exit_code,
              0);
    ASSERT_EQ(sign("--in " + input + " --out " + work.file("other.pdf") + " --username chan.taiman --level B-B --invisible").exit_code, 0);
    ASSERT_EQ(run_command("pdftoppm -r 200 -f 1 -l 1 -png " + work.file("signed.pdf") + " " + work.file("page")).exit_code, 0);
    std::string scanned = run_command("zbarimg --quiet --raw " + work.file("page-1.png") + " 2>/dev/null").output;
    scanned = scanned.substr(0, scanned.find('\n'));
    const std::string base = "http://127.0.0.1:" + std::to_string(server.port());
    ASSERT_EQ(scanned.rfind(base + "/verify?ref=", 0), 0u) << scanned;
    const std::string path = scanned.substr(base.size());

    std::ifstream en_file(std::string(YQ_SOURCE_DIR) + "/src/web/i18n/en.json");
    json en = json::parse(en_file);
    auto shown = [](const json& text) {  // as the page's HTML escaping writes the catalogue's text
        std::string out;
        for (char c : text.get<std::string>()) out += c == '\'' ? std::string("&apos;") : std::string(1, c);
        return out;
    };
    auto get = [&](const std::string& target) {
        return test::http_request("GET", server.port(), target, "", "", "", "127.0.0.1", {{"Cookie", "yq_lang=en"}});
    };
    auto record = get(path);
    ASSERT_EQ(record.status, 200) << record.body.substr(0, 300);
    EXPECT_NE(record.body.find("陳大文 Chan Tai Man"), std::string::npos);
    EXPECT_NE(record.body.find(shown(en["record"]["status_valid"])), std::string::npos);
    // the digest of what was signed, worked out by openssl from the file's ByteRange
    std::string pdf = test::read_file(work.file("signed.pdf"));
    std::smatch br;
    ASSERT_TRUE(std::regex_search(pdf, br, std::regex(R"(/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\])")));
    test::write_file(work.file("covered.bin"), pdf.substr(std::stoul(br[1]), std::stoul(br[2])) +
                                                   pdf.substr(std::stoul(br[3]), std::stoul(br[4])));
    std::string digest = run_command("openssl dgst -sha256 -r " + work.file("covered.bin")).output.substr(0, 64);
    EXPECT_NE(record.body.find("id=\"record-digest\">" + digest + "<"), std::string::npos) << digest;

    // #18: the record names the signature's entry in the signing transparency log; its proof, downloaded from the
    // record, is checked offline with the published root alone
    std::smatch entry;
    ASSERT_TRUE(std::regex_search(record.body, entry, std::regex("id=\"record-log-index\">(\\d+)<"))) << record.body;
    auto proof = get("/verify/proof?" + path.substr(path.find("ref=")));
    ASSERT_EQ(proof.status, 200) << proof.body.substr(0, 300);
    EXPECT_EQ(json::parse(proof.body)["leaf_index"].get<std::int64_t>(), std::stoll(entry[1].str()));
    test::write_file(work.file("record-proof.json"), proof.body);
    auto proved = run_command(test::yunqian_binary() + " transparency verify --proof " + work.file("record-proof.json") +
                              " --root " + server.root_pem());
    EXPECT_EQ(proved.exit_code, 0) << proved.output;
    EXPECT_NE(proved.output.find("transparency proof OK: leaf " + entry[1].str()), std::string::npos) << proved.output;
    EXPECT_NE(proved.output.find("via cli"), std::string::npos) << proved.output;  // signed with `yunqian sign pdf`
    EXPECT_EQ(get("/verify/proof?ref=AAAAAAAAAAAAAAAA").status, 404);

    // is my file the one signed? this one is; the other signed file is not
    std::string csrf = record.headers["set-cookie"].substr(record.headers["set-cookie"].find("yq_csrf=") + 8, 64);
    auto check = [&](const std::string& file) {
        const std::string boundary = "----yq-record-boundary";
        std::string body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + csrf + "\r\n--" +
                           boundary + "\r\nContent-Disposition: form-data; name=\"ref\"\r\n\r\n" +
                           path.substr(path.find("ref=") + 4) + "\r\n--" + boundary +
                           "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.pdf\"\r\n"
                           "Content-Type: application/pdf\r\n\r\n" + test::read_file(file) + "\r\n--" + boundary + "--\r\n";
        return test::http_request("POST", server.port(), "/verify", body, "multipart/form-data; boundary=" + boundary, "",
                                  "127.0.0.1", {{"Cookie", "yq_lang=en; yq_csrf=" + csrf}});
    };
    auto same = check(work.file("signed.pdf"));
    ASSERT_EQ(same.status, 200) << same.body.substr(0, 300);
    EXPECT_NE(same.body.find(shown(en["record"]["file_carries"])), std::string::npos);
    auto other = check(work.file("other.pdf"));
    EXPECT_NE(other.body.find(shown(en["record"]["file_lacks"])), std::string::npos);

    // the certificate revoked: the record says so from now on
    std::smatch serial;
    ASSERT_TRUE(std::regex_search(record.body, serial, std::regex("<code>([0-9a-f]+)</code>")));
    ASSERT_EQ(server.cli("ca revoke --serial " + serial[1].str() + " --reason keyCompromise").exit_code, 0);
    auto after = get(path);
    EXPECT_NE(after.body.find(shown(en["record"]["status_revoked"])), std::string::npos);
    EXPECT_NE(after.body.find(shown(en["backoffice"]["reasons"]["keyCompromise"])), std::string::npos);
    EXPECT_EQ(get("/verify?ref=AAAAAAAAAAAAAAAA").status, 404);
    EXPECT_EQ(get("/verify?ref=%3Cscript%3E").status, 404);
}

// #16 電子簽署驗證指引: the guide page in each language, with the root certificate's fingerprint as openssl reads it
// from the repository's file, and the real appearance as a PDF made by the product: its text (pdftotext) and its QR
// code (pdftoppm + zbarimg) are what a signature carries.
TEST_F(PadesCliTest, TheVerificationGuideShowsTheRealAppearanceAndTheRootFingerprint) {
    const std::string fingerprint = root_fingerprint();
    for (const std::string lang : {"zh-Hant", "pt", "en"}) {
        const json catalogue = PadesCliTest::catalogue(lang);
        auto guide = test::http_request("GET", server.port(), "/verify/guide", "", "", "", "127.0.0.1",
                                        {{"Cookie", "yq_lang=" + lang}});
        ASSERT_EQ(guide.status, 200) << lang;
        EXPECT_NE(guide.body.find("<h1>" + catalogue["guide"]["title"].get<std::string>() + "</h1>"), std::string::npos);
        std::string shown = fingerprint;
        std::transform(shown.begin(), shown.end(), shown.begin(), [](unsigned char c) { return std::tolower(c); });
        std::string page = guide.body;
        std::transform(page.begin(), page.end(), page.begin(), [](unsigned char c) { return std::tolower(c); });
        EXPECT_NE(page.find("id=\"root-fingerprint\">" + shown + "<"), std::string::npos) << lang << " " << fingerprint;
        EXPECT_NE(guide.body.find("data-pdf=\"/verify/guide/appearance.pdf\""), std::string::npos);
        EXPECT_NE(guide.body.find("/static/pdf-figure.js"), std::string::npos);
    }
    auto sample = test::http_request("GET", server.port(), "/verify/guide/appearance.pdf");
    ASSERT_EQ(sample.status, 200);
    EXPECT_EQ(sample.headers["content-type"], "application/pdf");
    test::write_file(work.file("appearance.pdf"), sample.body);
    std::string text = run_command("pdftotext -enc UTF-8 " + work.file("appearance.pdf") + " -").output;
    for (const char* line : {"陳大文 Chan Tai Man", "核准 Approved", "雲簽 yunqian", "電子簽署"})
        EXPECT_NE(text.find(line), std::string::npos) << line << " in:\n" << text;
    ASSERT_EQ(run_command("pdftoppm -r 300 -png " + work.file("appearance.pdf") + " " + work.file("sample")).exit_code, 0);
    std::string scanned = run_command("zbarimg --quiet --raw " + work.file("sample-1.png") + " 2>/dev/null").output;
    EXPECT_EQ(scanned.substr(0, scanned.find('\n')), "http://127.0.0.1:" + std::to_string(server.port()) + "/verify/guide");
    auto verify = test::http_request("GET", server.port(), "/verify");
    EXPECT_NE(verify.body.find("href=\"/verify/guide\""), std::string::npos);
}

// #16 "a printable PDF made by the product": the guide as a PDF in each language — pdftotext (poppler, an outside
// reader) finds the language's title, every step of verifying in Acrobat, the root's fingerprint as openssl reads it and
// the sample signer of the 簽署式樣 drawn in it; the pages are A4 and numbered; the QR code of the drawn appearance scans.
TEST_F(PadesCliTest, TheVerificationGuideIsAlsoAPrintablePdfInEachLanguage) {
    const std::string fingerprint = root_fingerprint();
    for (const std::string lang : {"zh-Hant", "pt", "en"}) {
        const json catalogue = PadesCliTest::catalogue(lang);
        auto page = test::http_request("GET", server.port(), "/verify/guide", "", "", "", "127.0.0.1",
                                       {{"Cookie", "yq_lang=" + lang}});
        EXPECT_NE(page.body.find("href=\"/verify/guide.pdf\""), std::string::npos) << lang;
        auto pdf = test::http_request("GET", server.port(), "/verify/guide.pdf", "", "", "", "127.0.0.1",
                                      {{"Cookie", "yq_lang=" + lang}});
        ASSERT_EQ(pdf.status, 200) << lang << pdf.body.substr(0, 300);
        EXPECT_EQ(pdf.headers["content-type"], "application/pdf");
        const std::string path = work.file("guide-" + lang + ".pdf");
        test::write_file(path, pdf.body);
        // pdftotext joins what the layout wrapped only within a line: compare without line breaks and spaces
        auto squeezed = [](std::string t) {  // and in lower case (the fingerprint is shown as the page shows it)
            t.erase(std::remove_if(t.begin(), t.end(), [](unsigned char c) { return c == '\n' || c == ' '; }), t.end());
            std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
            return t;
        };
        std::string text = squeezed(run_command("pdftotext -enc UTF-8 " + path + " -").output);
        EXPECT_NE(text.find(squeezed(catalogue["guide"]["title"])), std::string::npos) << lang;
        for (const auto& step : catalogue["guide"]["acrobat_steps"])
            EXPECT_NE(text.find(squeezed(step.get<std::string>())), std::string::npos) << lang << ": " << step;
        EXPECT_NE(text.find(squeezed(fingerprint)), std::string::npos) << lang << ": the root's fingerprint";
        EXPECT_NE(text.find("陳大文chantaiman"), std::string::npos) << lang << ": the appearance is drawn in";
        std::string info = run_command("pdfinfo " + path).output;
        EXPECT_NE(info.find("595.28 x 841.89 pts (A4)"), std::string::npos) << info;
        EXPECT_EQ(info.find("Pages:          1\n"), std::string::npos) << "the guide spans pages:\n" << info;
    }
    ASSERT_EQ(run_command("pdftoppm -r 200 -f 1 -l 1 -png " + work.file("guide-zh-Hant.pdf") + " " + work.file("guide")).exit_code, 0);
    std::string scanned = run_command("zbarimg --quiet --raw " + work.file("guide-1.png") + " 2>/dev/null").output;
    EXPECT_EQ(scanned.substr(0, scanned.find('\n')), "http://127.0.0.1:" + std::to_string(server.port()) + "/verify/guide");
}
