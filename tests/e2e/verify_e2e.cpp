// `yunqian verify` as people use it: our signatures at each level agree with pdfsig, over HTTP and as text, JSON and
// HTML; CMS files with their content; unreadable input. The verdict table over the whole corpus is in
// validation_corpus_e2e.cpp.
#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "core/bytes.hpp"
#include "core/clock.hpp"
#include "support/fixtures.hpp"
#include "support/http_client.hpp"
#include "support/pdf_tools.hpp"

using namespace yq;
using nlohmann::json;

class VerifyTest : public ::testing::Test {
protected:
    test::TempDir work;
    test::ServerProcess server{
        test::ServerProcess::Options{test::DbKind::Sqlite, R"({"accounts": {"otp_required": false}})", true}};

    std::string sign(const std::string& in, const std::string& out, const std::string& level) {
        test::write_file(work.file("pin"), "signing-password-1\n");
        auto r = server.cli("sign pdf --in " + in + " --out " + out + " --username chan.taiman --level " + level +
                            " --page 1 --rect 300,60,560,160 < " + work.file("pin"));
        EXPECT_EQ(r.exit_code, 0) << r.output;
        return out;
    }
    json verify(const std::string& file, int expected_exit) {
        auto r = server.cli("verify --format json " + file);
        EXPECT_EQ(r.exit_code, expected_exit) << r.output;
        return json::parse(r.output.substr(r.output.find('{')), nullptr, false);
    }
};

TEST_F(VerifyTest, OurSignaturesPassAtTheirLevelAndAgreeWithPdfsig) {
    test::create_account(server, work, "chan.taiman");
    std::string input = test::ghostscript_pdf(work, 1);
    std::string nss = test::nss_trusting(work, test::read_file(server.root_pem()));
    for (const char* level : {"B-B", "B-T", "B-LT", "B-LTA"}) {
        std::string file = sign(input, work.file(std::string(level) + ".pdf"), level);
        json report = verify(file, 0);
        ASSERT_FALSE(report.is_discarded());
        EXPECT_EQ(report["signatures"][0]["indication"], "TOTAL-PASSED") << report.dump(2);
        EXPECT_EQ(report["signatures"][0]["level"], level) << report.dump(2);
        // EN 319 102-1 best-signature-time: the signature time-stamp's time from B-T on, the validation time at B-B
        const json& first = report["signatures"][0];
        if (std::string(level) == "B-B") {
            EXPECT_EQ(first["timestamp_time"], "");
            EXPECT_EQ(first["best_signature_time"], report["validation_time"]) << report.dump(2);
        } else {
            ASSERT_NE(first["timestamp_time"], "");
            EXPECT_EQ(first["best_signature_time"], first["timestamp_time"]) << report.dump(2);
            EXPECT_LE(core::parse_rfc3339(first["best_signature_time"]),
                      core::parse_rfc3339(report["validation_time"]));
        }
        // B-LT and B-LTA carry our responder's OCSP response in the DSS; the others are checked against our records
        EXPECT_EQ(report["signatures"][0]["revocation"], std::string(level).find("LT") != std::string::npos
                                                             ? "good (embedded OCSP response)"
                                                             : "good (yunqian CA records)");
        auto sigs = test::pdfsig(nss, file);
        ASSERT_FALSE(sigs.empty());
        EXPECT_EQ(sigs[0].validation, "Signature is Valid.");  // pdfsig agrees
        if (std::string(level) == "B-LTA") {
            ASSERT_EQ(report["signatures"].size(), 2u);
            EXPECT_EQ(report["signatures"][1]["kind"], "document time-stamp");
            EXPECT_EQ(report["signatures"][1]["indication"], "TOTAL-PASSED");
        }
    }
    // the same verdict over HTTP, for anyone, nothing kept
    auto http = test::http_request("POST", server.port(), "/api/v1/validate", test::read_file(work.file("B-LT.pdf")),
                                   "application/pdf");
    ASSERT_EQ(http.status, 200) << http.body.substr(0, 300);
    json over_http = json::parse(http.body);
    EXPECT_EQ(over_http["signatures"][0]["indication"], "TOTAL-PASSED");
    EXPECT_EQ(over_http["signatures"][0]["level"], "B-LT");
    EXPECT_EQ(test::http_request("POST", server.port(), "/api/v1/validate", "not a pdf", "application/pdf").status, 422);
    auto page = test::http_request("POST", server.port(), "/api/v1/validate", test::read_file(work.file("B-LT.pdf")),
                                   "application/pdf", "", "127.0.0.1", {{"Accept", "text/html"}});
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("此檔案的所有簽署均有效。"), std::string::npos);  // zh-Hant by default (catalogue)
    EXPECT_NE(page.body.find("陳大文 Chan Tai Man"), std::string::npos);
    auto html = server.cli("verify --format html " + work.file("B-T.pdf"));
    EXPECT_NE(html.output.find("<!doctype html>"), std::string::npos);
    EXPECT_EQ(html.output.find("<script"), std::string::npos);
    auto text = server.cli("verify " + work.file("B-T.pdf"));
    EXPECT_NE(text.output.find("TOTAL-PASSED"), std::string::npos) << text.output;
    EXPECT_NE(text.output.find("all signatures passed"), std::string::npos);
}

// CMS files: our detached .p7s at each level, one made by plain `openssl cms` (enveloping, with signing-time), a
// changed content; the verdicts agree with openssl cms -verify.
TEST_F(VerifyTest, CmsFilesAreValidatedLikeOpensslSeesThem) {
    test::create_account(server, work, "chan.taiman");
    test::write_file(work.file("minutes.txt"), "minutes of the meeting");
    test::write_file(work.file("pin"), "signing-password-1\n");
    for (const char* level : {"B-B", "B-T", "B-LT"}) {
        std::string out = work.file(std::string("minutes-") + level + ".p7s");
        ASSERT_EQ(server.cli("sign file --in " + work.file("minutes.txt") + " --out " + out + " --username chan.taiman --level " +
                             level + " < " + work.file("pin")).exit_code, 0);
        auto r = server.cli("verify --format json --content " + work.file("minutes.txt") + " " + out);
        EXPECT_EQ(r.exit_code, 0) << r.output;
        json report = json::parse(r.output.substr(r.output.find('{')));
        EXPECT_EQ(report["signatures"][0]["indication"], "TOTAL-PASSED");
        EXPECT_EQ(report["signatures"][0]["level"], level);
    }
    // the default content is the file without .p7s
    std::string p7s = work.file("minutes.txt.p7s");
    ASSERT_EQ(server.cli("sign file --in " + work.file("minutes.txt") + " --username chan.taiman < " + work.file("pin")).exit_code, 0);
    EXPECT_EQ(server.cli("verify " + p7s).exit_code, 0);
    test::write_file(work.file("changed.txt"), "minutes of the meeting, changed");
    auto changed = server.cli("verify --format json --content " + work.file("changed.txt") + " " + p7s);
    EXPECT_EQ(changed.exit_code, 1);
    EXPECT_NE(changed.output.find("HASH_FAILURE"), std::string::npos);
    auto openssl_changed = test::run_command("openssl cms -verify -binary -inform DER -in " + p7s + " -content " +
                                             work.file("changed.txt") + " -CAfile " + server.root_pem() +
                                             " -certfile " + server.issuing_pem() + " -purpose any -out /dev/null");
    EXPECT_NE(openssl_changed.output.find("Verification failure"), std::string::npos);  // openssl agrees
    // plain openssl: enveloping, signing-time present, a self-made CA we do not trust
    test::run_command("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout " + work.file("k.pem") +
                      " -out " + work.file("c.pem") + " -subj /CN=elsewhere -days 2");
    test::run_command("openssl cms -sign -binary -nodetach -outform DER -in " + work.file("minutes.txt") + " -signer " +
                      work.file("c.pem") + " -inkey " + work.file("k.pem") + " -out " + work.file("env.p7m"));
    auto envelope = server.cli("verify --format json " + work.file("env.p7m"));
    EXPECT_EQ(envelope.exit_code, 1) << envelope.output;
    EXPECT_NE(envelope.output.find("NO_CERTIFICATE_CHAIN_FOUND"), std::string::npos) << envelope.output;
    auto trusted = server.cli("verify --format json --trust " + work.file("c.pem") + " " + work.file("env.p7m"));
    EXPECT_NE(trusted.output.find("signing-time attribute"), std::string::npos) << trusted.output;
    EXPECT_NE(trusted.output.find("TRY_LATER"), std::string::npos);  // not our certificate: no revocation data
}

// Bad input (the verdicts on tampered, foreign and revoked files are in the corpus: validation_corpus_e2e.cpp).
TEST_F(VerifyTest, BrokenTruncatedEncryptedAndUnsignedFilesGetAClearAnswer) {
    test::create_account(server, work, "chan.taiman");
    std::string input = test::ghostscript_pdf(work, 1);
    std::string signed_file = sign(input, work.file("b-t.pdf"), "B-T");
    // not a PDF at all, truncated, encrypted: a clear answer, never a crash
    test::write_file(work.file("junk.pdf"), "%PDF-1.7 nothing else");
    auto junk = server.cli("verify " + work.file("junk.pdf"));
    EXPECT_EQ(junk.exit_code, 2) << junk.output;
    EXPECT_NE(junk.output.find("pades.broken_pdf"), std::string::npos);
    std::string whole = test::read_file(signed_file);
    test::write_file(work.file("truncated.pdf"), whole.substr(0, whole.size() / 2));
    auto truncated = server.cli("verify " + work.file("truncated.pdf"));
    EXPECT_NE(truncated.exit_code, 0) << truncated.output;
    EXPECT_TRUE(truncated.output.find("pades.broken_pdf") != std::string::npos ||
                truncated.output.find("TOTAL-FAILED") != std::string::npos)
        << truncated.output;
    test::run_command("qpdf --encrypt user owner 256 -- " + signed_file + " " + work.file("encrypted.pdf"));
    auto encrypted = server.cli("verify " + work.file("encrypted.pdf"));
    EXPECT_EQ(encrypted.exit_code, 2) << encrypted.output;
    EXPECT_NE(encrypted.output.find("pades.encrypted"), std::string::npos) << encrypted.output;
    auto none = server.cli("verify " + input);
    EXPECT_EQ(none.exit_code, 1);
    EXPECT_NE(none.output.find("no signature"), std::string::npos);
}

// #18: a report is evidence a third party can check — signed by the service's validation key (HSM), as a JWS with the
// certificate in x5c. Checked by `yunqian report check` with the published root, by an independent JOSE library
// (python3-jwcrypto) and by openssl for the certificate's chain. A changed verdict, a header claiming "none", and a
// certificate from another root are refused (docs/threat-model.md).
TEST_F(VerifyTest, ASignedReportIsCheckedByOutsideToolsAndAnAlteredVerdictIsRefused) {
    test::create_account(server, work, "chan.taiman");
    std::string file = sign(test::ghostscript_pdf(work, 1), work.file("B-T.pdf"), "B-T");
    const std::string jws_check = std::string(YQ_SOURCE_DIR) + "/tests/support/jws_verify.py";
    auto check = [&](const std::string& jws_file) {
        return test::run_command(test::yunqian_binary() + " report check " + jws_file + " --root " + server.root_pem());
    };

    // from the command line
    auto cli = server.cli("verify --signed-report " + file);
    ASSERT_EQ(cli.exit_code, 0) << cli.output;
    test::write_file(work.file("cli.jws"), cli.output);
    auto ours = check(work.file("cli.jws"));
    EXPECT_EQ(ours.exit_code, 0) << ours.output;
    EXPECT_NE(ours.output.find("signed report OK: signed by"), std::string::npos) << ours.output;
    EXPECT_NE(ours.output.find("Validation Service"), std::string::npos) << ours.output;
    EXPECT_NE(ours.output.find("signature \"Signature1\": TOTAL-PASSED"), std::string::npos) << ours.output;

    // over HTTP, for anyone
    auto http = test::http_request("POST", server.port(), "/api/v1/validate?signed=true", test::read_file(file),
                                   "application/pdf");
    ASSERT_EQ(http.status, 200) << http.body.substr(0, 300);
    EXPECT_EQ(http.headers["content-type"], "application/jose");
    test::write_file(work.file("http.jws"), http.body);
    EXPECT_EQ(check(work.file("http.jws")).exit_code, 0);
    auto outside = test::run_command("/usr/bin/python3 " + jws_check + " " + work.file("http.jws") + " " +
                                     work.file("signer.pem"));
    EXPECT_EQ(outside.output, "jws OK ES256 TOTAL-PASSED\n") << outside.output;
    auto chain = test::run_command("openssl verify -CAfile " + server.root_pem() + " -untrusted " +
                                   server.issuing_pem() + " " + work.file("signer.pem"));
    EXPECT_NE(chain.output.find(": OK"), std::string::npos) << chain.output;

    // Attack: change the verdict in the payload (re-encoded, signature kept).
    std::string jws = http.body;
    std::size_t dot1 = jws.find('.'), dot2 = jws.find('.', dot1 + 1);
    json payload = json::parse(core::to_string(core::base64_decode(jws.substr(dot1 + 1, dot2 - dot1 - 1))));
    ASSERT_EQ(payload["signatures"][0]["indication"], "TOTAL-PASSED");
    payload["file_sha256"] = core::hex_encode(core::sha256(std::string("another file")));
    test::write_file(work.file("altered.jws"), jws.substr(0, dot1 + 1) + core::base64url_encode(core::to_bytes(payload.dump())) +
                                                   jws.substr(dot2));
    auto altered = check(work.file("altered.jws"));
    EXPECT_EQ(altered.exit_code, 3) << altered.output;
    EXPECT_NE(altered.output.find("does not verify"), std::string::npos) << altered.output;
    EXPECT_NE(test::run_command("/usr/bin/python3 " + jws_check + " " + work.file("altered.jws")).output.find("jws FAILED"),
              std::string::npos);

    // Attack: claim "alg": "none" and drop the signature.
    json header = json::parse(core::to_string(core::base64_decode(jws.substr(0, dot1))));
    header["alg"] = "none";
    test::write_file(work.file("none.jws"),
                     core::base64url_encode(core::to_bytes(header.dump())) + jws.substr(dot1, dot2 - dot1) + ".");
    EXPECT_EQ(check(work.file("none.jws")).exit_code, 3);

    // Attack: the report checked against another root (a CA that is not this one).
    test::run_command("openssl req -x509 -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -keyout " +
                      work.file("other.key") + " -out " + work.file("other-root.pem") + " -subj /CN=yunqian\\ Root\\ CA -days 2");
    auto other = test::run_command(test::yunqian_binary() + " report check " + work.file("http.jws") + " --root " +
                                   work.file("other-root.pem"));
    EXPECT_EQ(other.exit_code, 3) << other.output;
    EXPECT_NE(other.output.find("does not chain to the root given"), std::string::npos) << other.output;
}

// #18: the report in ETSI TS 119 102-2's XML, read back by an outside XML tool (xmllint --xpath) by the schema's element
// names and URIs; its certificates are validation objects openssl reads.
TEST_F(VerifyTest, TheReportInEtsiXmlCarriesTheIndicationUrisTimesAndCertificates) {
    test::create_account(server, work, "chan.taiman");
    std::string file = sign(test::ghostscript_pdf(work, 1), work.file("B-T.pdf"), "B-T");
    std::string tampered = test::read_file(file);
    std::size_t comment = tampered.find('\n') + 2;  // inside the binary comment line after the header: still a PDF
    tampered[comment] = static_cast<char>(tampered[comment] ^ 0x01);
    test::write_file(work.file("tampered.pdf"), tampered);

    auto xpath = [&](const std::string& xml_file, const std::string& path) {
        std::string out = test::run_command("xmllint --xpath " + test::shell_quote(path) + " " + xml_file + " 2>&1").output;
        while (!out.empty() && out.back() == '\n') out.pop_back();
        return out;
    };
    auto local = [](const std::string& name) { return "*[local-name()='" + name + "']"; };
    auto report_of = [&](const std::string& pdf, const std::string& out, int expected_exit) {
        auto r = server.cli("verify --format etsi " + pdf);
        EXPECT_EQ(r.exit_code, expected_exit) << r.output;
        test::write_file(out, r.output);
        return out;
    };

    std::string good = report_of(file, work.file("good.xml"), 0);
    EXPECT_EQ(xpath(good, "namespace-uri(/*)"), "http://uri.etsi.org/19102/v1.2.1#");
    EXPECT_EQ(xpath(good, "local-name(/*)"), "ValidationReport");
    const std::string status = "//" + local("SignatureValidationReport") + "/" + local("SignatureValidationStatus");
    EXPECT_EQ(xpath(good, "string(" + status + "/" + local("MainIndication") + ")"),
              "urn:etsi:019102:mainindication:total-passed");
    // the best signature time is the signature time-stamp's
    std::string poe = xpath(good, "string(//" + local("BestSignatureTime") + "/" + local("POETime") + ")");
    EXPECT_FALSE(poe.empty());
    EXPECT_EQ(poe, xpath(good, "string(//" + local("SignatureTimeStamp") + "/" + local("TimeStampValue") + ")"));
    EXPECT_EQ(xpath(good, "string(//" + local("SignatureIdentifier") + "/" + local("DAIdentifier") + ")"), "Signature1");
    // the signer's certificate is a validation object that openssl reads
    std::string ref = xpath(good, "string(//" + local("SignerCertificate") + "/@VOReference)");
    ASSERT_EQ(ref, "C-1");
    std::string b64 = xpath(good, "string(//" + local("ValidationObject") + "[@id='" + ref + "']//" + local("base64") + ")");
    test::write_file(work.file("signer.der"), core::to_string(core::base64_decode(b64)));
    EXPECT_NE(test::run_command("openssl x509 -inform DER -in " + work.file("signer.der") + " -noout -subject").output
                  .find("Chan Tai Man"),
              std::string::npos);
    // the chain ends at a trust anchor that is also an object
    std::string anchor = xpath(good, "string(//" + local("CertificateChain") + "/" + local("TrustAnchor") + "/@VOReference)");
    EXPECT_EQ(xpath(good, "count(//" + local("ValidationObject") + "[@id='" + anchor + "'])"), "1");

    std::string bad = report_of(work.file("tampered.pdf"), work.file("bad.xml"), 1);
    EXPECT_EQ(xpath(bad, "string(" + status + "/" + local("MainIndication") + ")"),
              "urn:etsi:019102:mainindication:total-failed");
    EXPECT_EQ(xpath(bad, "string(" + status + "/" + local("SubIndication") + ")"),
              "urn:etsi:019102:subindication:HASH_FAILURE");

    // the same over HTTP
    auto http = test::http_request("POST", server.port(), "/api/v1/validate?report=etsi", test::read_file(file),
                                   "application/pdf");
    ASSERT_EQ(http.status, 200) << http.body.substr(0, 200);
    EXPECT_EQ(http.headers["content-type"], "application/xml");
    test::write_file(work.file("http.xml"), http.body);
    EXPECT_EQ(xpath(work.file("http.xml"), "string(" + status + "/" + local("MainIndication") + ")"),
              "urn:etsi:019102:mainindication:total-passed");

    // signed: an enveloped XAdES signature by the validation service, checked by the xmlsec1 CLI (an independent
    // XML-DSig implementation) with our root as the only trusted certificate; a changed verdict breaks it
    auto signed_http = test::http_request("POST", server.port(), "/api/v1/validate?report=etsi&signed=true",
                                          test::read_file(file), "application/pdf");
    ASSERT_EQ(signed_http.status, 200) << signed_http.body.substr(0, 300);
    test::write_file(work.file("signed.xml"), signed_http.body);
    auto xmlsec = [&](const std::string& xml_file) {
        return test::run_command("xmlsec1 --verify --trusted-pem " + server.root_pem() + " --untrusted-pem " +
                                 server.issuing_pem() + " --id-attr:Id SignedProperties " + xml_file + " 2>&1");
    };
    auto verified = xmlsec(work.file("signed.xml"));
    EXPECT_EQ(verified.exit_code, 0) << verified.output;
    EXPECT_NE(verified.output.find("OK"), std::string::npos) << verified.output;
    EXPECT_NE(verified.output.find("References (ok/all): 2/2"), std::string::npos) << verified.output;
    EXPECT_EQ(xpath(work.file("signed.xml"), "string(" + status + "/" + local("MainIndication") + ")"),
              "urn:etsi:019102:mainindication:total-passed");
    // XAdES SigningCertificateV2 names the signing certificate by its SHA-256
    std::string cert_b64 = xpath(work.file("signed.xml"), "string(//" + local("X509Certificate") + ")");
    EXPECT_EQ(xpath(work.file("signed.xml"), "string(//" + local("CertDigest") + "/" + local("DigestValue") + ")"),
              core::base64_encode(core::sha256(core::base64_decode(cert_b64))));
    std::string forged = signed_http.body;
    std::size_t at = forged.find("mainindication:total-passed");
    ASSERT_NE(at, std::string::npos);
    forged.replace(at, 27, "mainindication:total-failed");
    test::write_file(work.file("forged.xml"), forged);
    EXPECT_NE(xmlsec(work.file("forged.xml")).exit_code, 0);
    auto cli_signed = server.cli("verify --format etsi --signed-report " + file);
    ASSERT_EQ(cli_signed.exit_code, 0) << cli_signed.output;
    test::write_file(work.file("cli-signed.xml"), cli_signed.output);
    EXPECT_EQ(xmlsec(work.file("cli-signed.xml")).exit_code, 0);
}

// #18: the report printed as a PDF in the reader's language and, on request, signed with PAdES by the validation
// service's key — pdfsig (trusting our root) reads the report's signature as valid and made by the validation
// service; pdftotext reads the verdict, the signer and the file's hash from the page.
TEST_F(VerifyTest, ThePdfReportIsSignedByTheValidationServiceAndPdfsigAcceptsIt) {
    test::create_account(server, work, "chan.taiman");
    std::string file = sign(test::ghostscript_pdf(work, 1), work.file("B-T.pdf"), "B-T");
    auto http = test::http_request("POST", server.port(), "/api/v1/validate?report=pdf&signed=true",
                                   test::read_file(file), "application/pdf", "", "127.0.0.1",
                                   {{"Accept-Language", "en"}});
    ASSERT_EQ(http.status, 200) << http.body.substr(0, 300);
    EXPECT_EQ(http.headers["content-type"], "application/pdf");
    test::write_file(work.file("report.pdf"), http.body);

    std::string nss = test::nss_trusting(work, test::read_file(server.root_pem()));
    auto sigs = test::pdfsig(nss, work.file("report.pdf"));
    ASSERT_EQ(sigs.size(), 1u) << test::run_command("pdfsig " + work.file("report.pdf")).output;
    EXPECT_EQ(sigs[0].validation, "Signature is Valid.");
    EXPECT_EQ(sigs[0].certificate, "Certificate is Trusted.");
    EXPECT_NE(sigs[0].signer.find("Validation Service"), std::string::npos) << sigs[0].signer;
    EXPECT_TRUE(sigs[0].total_document);

    std::string text = test::run_command("pdftotext -layout " + work.file("report.pdf") + " -").output;
    std::ifstream en_file(std::string(YQ_SOURCE_DIR) + "/src/web/i18n/en.json");
    json en = json::parse(en_file);
    EXPECT_NE(text.find(en["verify"]["all_passed"].get<std::string>()), std::string::npos) << text;
    EXPECT_NE(text.find("Chan Tai Man"), std::string::npos) << text;
    EXPECT_NE(text.find(core::hex_encode(core::sha256(test::read_file(file))).substr(0, 32)), std::string::npos) << text;

    // from the command line too, in Portuguese
    auto cli = server.cli("verify --format pdf --signed-report --lang pt " + file + " > " + work.file("cli-report.pdf"));
    ASSERT_EQ(cli.exit_code, 0) << cli.output;
    auto cli_sigs = test::pdfsig(nss, work.file("cli-report.pdf"));
    ASSERT_EQ(cli_sigs.size(), 1u);
    EXPECT_EQ(cli_sigs[0].validation, "Signature is Valid.");
    std::ifstream pt_file(std::string(YQ_SOURCE_DIR) + "/src/web/i18n/pt.json");
    json pt = json::parse(pt_file);
    EXPECT_NE(test::run_command("pdftotext -layout " + work.file("cli-report.pdf") + " -").output.find(
                  pt["verify"]["all_passed"].get<std::string>()),
              std::string::npos);

    // the same, unsigned, unless asked
    auto unsigned_report = test::http_request("POST", server.port(), "/api/v1/validate?report=pdf",
                                              test::read_file(file), "application/pdf");
    ASSERT_EQ(unsigned_report.status, 200);
    test::write_file(work.file("plain.pdf"), unsigned_report.body);
    EXPECT_TRUE(test::pdfsig(nss, work.file("plain.pdf")).empty());
    EXPECT_EQ(test::http_request("POST", server.port(), "/api/v1/validate?report=xml", test::read_file(file),
                                 "application/pdf")
                  .status,
              400);
}
