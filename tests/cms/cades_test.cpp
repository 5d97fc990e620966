// CAdES detached signatures with a key held elsewhere (here: a local OpenSSL key standing in for the remote signer),
// judged by `openssl cms -verify -cades` and by the attribute list openssl prints.
#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "cms/cades_signature.hpp"
#include "support/fixtures.hpp"
#include "support/local_signer.hpp"

using namespace yq;
using test::LocalSigner;
using test::run_command;
using test::sign_digest;

namespace {

class CadesTest : public ::testing::TestWithParam<const char*> {
protected:
    test::TempDir work;

    std::string verify(const core::Bytes& cms, const std::string& content, const LocalSigner& s) {
        test::write_file(work.file("sig.der"), std::string(cms.begin(), cms.end()));
        test::write_file(work.file("content.bin"), content);
        test::write_file(work.file("ca.pem"), pki::to_pem(s.ca_cert.get()));
        return run_command("openssl cms -verify -binary -cades -inform DER -in " + work.file("sig.der") + " -content " +
                           work.file("content.bin") + " -CAfile " + work.file("ca.pem") + " -purpose any -out /dev/null")
            .output;
    }
};

}  // namespace

TEST_P(CadesTest, ExternallySignedSignatureVerifiesWithCadesAttributesAndNoSigningTime) {
    LocalSigner s = test::make_local_signer(GetParam());
    std::string content = "%PDF-1.7 the signed byte ranges of a document";
    cms::CadesSignature sig(s.cert.get(), {}, core::sha256(content));
    EXPECT_EQ(sig.to_be_signed_digest().size(), 32u);
    EXPECT_EQ(sig.signature_algorithm_oid(),
              std::string(GetParam()) == "EC" ? "1.2.840.10045.4.3.2" : "1.2.840.113549.1.1.11");
    core::Bytes der = sig.finish(sign_digest(s.key.get(), sig.to_be_signed_digest()));
    EXPECT_NE(verify(der, content, s).find("CAdES Verification successful"), std::string::npos) << verify(der, content, s);
    EXPECT_NE(verify(der, content + "x", s).find("Verification failure"), std::string::npos);

    test::write_file(work.file("sig.der"), std::string(der.begin(), der.end()));
    std::string printed = run_command("openssl cms -cmsout -print -inform DER -in " + work.file("sig.der")).output;
    EXPECT_NE(printed.find("id-smime-aa-signingCertificateV2"), std::string::npos) << printed;
    EXPECT_NE(printed.find("contentType"), std::string::npos);
    EXPECT_NE(printed.find("messageDigest"), std::string::npos);
    EXPECT_EQ(printed.find("signingTime"), std::string::npos) << "PAdES baseline forbids signing-time";
    EXPECT_EQ(printed.find("SMIMECapabilities"), std::string::npos);
    EXPECT_EQ(cms::signature_value(der).size() > 60, true);
}

TEST_P(CadesTest, ASignatureOverOtherAttributesIsRejectedByOpenssl) {
    LocalSigner s = test::make_local_signer(GetParam());
    cms::CadesSignature sig(s.cert.get(), {}, core::sha256(std::string("content")));
    core::Bytes wrong = sign_digest(s.key.get(), core::sha256(std::string("something else")));
    core::Bytes der = sig.finish(wrong);
    EXPECT_NE(verify(der, "content", s).find("Verification failure"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Keys, CadesTest, ::testing::Values("EC", "RSA"));
