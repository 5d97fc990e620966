// `yunqian sign pdf` as a new user would run it: a signer made with the CLI, the signing password on standard input,
// the key used through the CSC service; the output judged by pdfsig (trusting our root), qpdf and openssl.
#include <gtest/gtest.h>

#include <filesystem>

#include "support/fixtures.hpp"
#include "support/pdf_tools.hpp"

using namespace yq;
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

TEST_F(PadesCliTest, AWrongSigningPasswordWritesNothingAndCounts) {
    test::create_account(server, work, "lee.user");
    std::string input = test::ghostscript_pdf(work, 1);
    auto r = sign("--in " + input + " --out " + work.file("out.pdf") + " --username lee.user --invisible", "wrong-password");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.output.find("accounts.wrong_signing_password"), std::string::npos) << r.output;
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
