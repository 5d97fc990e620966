// CAdES detached signatures with a key held elsewhere (here: a local OpenSSL key standing in for the remote signer),
// judged by `openssl cms -verify -cades` and by the attribute list openssl prints.
#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "cms/cades_signature.hpp"
#include "support/fixtures.hpp"

using namespace yq;
using test::run_command;

namespace {

struct LocalSigner {
    pki::EvpPkeyPtr key;
    pki::X509Ptr cert;
};

// A self-signed certificate with keyUsage nonRepudiation, like a signer's.
LocalSigner make_signer(const char* type) {
    LocalSigner s;
    s.key.reset(std::string(type) == "EC" ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")
                                          : EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048)));
    s.cert.reset(X509_new());
    X509_set_version(s.cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(s.cert.get()), 7);
    X509_gmtime_adj(X509_getm_notBefore(s.cert.get()), -60);
    X509_gmtime_adj(X509_getm_notAfter(s.cert.get()), 3600);
    X509_NAME* name = X509_get_subject_name(s.cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("陳大文 Chan"), -1, -1, 0);
    X509_set_issuer_name(s.cert.get(), name);
    X509_set_pubkey(s.cert.get(), s.key.get());
    X509_EXTENSION* ku = X509V3_EXT_conf_nid(nullptr, nullptr, NID_key_usage, "critical,digitalSignature,nonRepudiation");
    X509_add_ext(s.cert.get(), ku, -1);
    X509_EXTENSION_free(ku);
    X509_sign(s.cert.get(), s.key.get(), EVP_sha256());
    return s;
}

// What the remote signer does with the digest: RSA PKCS#1 v1.5 with DigestInfo, or ECDSA as DER.
core::Bytes sign_digest(EVP_PKEY* key, const core::Bytes& digest) {
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key, nullptr);
    EVP_PKEY_sign_init(ctx);
    if (EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA) EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256());
    std::size_t len = 0;
    EVP_PKEY_sign(ctx, nullptr, &len, digest.data(), digest.size());
    core::Bytes sig(len);
    EVP_PKEY_sign(ctx, sig.data(), &len, digest.data(), digest.size());
    sig.resize(len);
    EVP_PKEY_CTX_free(ctx);
    return sig;
}

class CadesTest : public ::testing::TestWithParam<const char*> {
protected:
    test::TempDir work;

    std::string verify(const core::Bytes& cms, const std::string& content, const LocalSigner& s) {
        test::write_file(work.file("sig.der"), std::string(cms.begin(), cms.end()));
        test::write_file(work.file("content.bin"), content);
        test::write_file(work.file("ca.pem"), pki::to_pem(s.cert.get()));
        return run_command("openssl cms -verify -binary -cades -inform DER -in " + work.file("sig.der") + " -content " +
                           work.file("content.bin") + " -CAfile " + work.file("ca.pem") + " -purpose any -out /dev/null")
            .output;
    }
};

}  // namespace

TEST_P(CadesTest, ExternallySignedSignatureVerifiesWithCadesAttributesAndNoSigningTime) {
    LocalSigner s = make_signer(GetParam());
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
    LocalSigner s = make_signer(GetParam());
    cms::CadesSignature sig(s.cert.get(), {}, core::sha256(std::string("content")));
    core::Bytes wrong = sign_digest(s.key.get(), core::sha256(std::string("something else")));
    core::Bytes der = sig.finish(wrong);
    EXPECT_NE(verify(der, "content", s).find("Verification failure"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Keys, CadesTest, ::testing::Values("EC", "RSA"));
