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
