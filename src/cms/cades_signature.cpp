#include "cms/cades_signature.hpp"

#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ocsp.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>

#include "core/error.hpp"

namespace yq::cms {

namespace {

using CmsPtr = pki::OsslPtr<CMS_ContentInfo, CMS_ContentInfo_free>;

[[noreturn]] void fail(const std::string& what) { throw Error("cms.build_failed", 500, "building the CMS signature failed: " + what); }

CmsPtr parse(const core::Bytes& der) {
    const unsigned char* p = der.data();
    CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der.size())));
    if (!cms) throw_bad_input("cms.bad_signature", "the CMS signature cannot be parsed");
    return cms;
}

core::Bytes serialise(CMS_ContentInfo* cms) {
    unsigned char* out = nullptr;
    int len = i2d_CMS_ContentInfo(cms, &out);
    if (len <= 0) fail("serialising");
    core::Bytes der(out, out + len);
    OPENSSL_free(out);
    return der;
}

CMS_SignerInfo* only_signer(CMS_ContentInfo* cms) {
    STACK_OF(CMS_SignerInfo)* infos = CMS_get0_SignerInfos(cms);
    if (!infos || sk_CMS_SignerInfo_num(infos) != 1)
        throw_bad_input("cms.bad_signature", "the CMS signature must have exactly one signer");
    return sk_CMS_SignerInfo_value(infos, 0);
}

std::string oid_text(const ASN1_OBJECT* o) {
    char buf[128];
    OBJ_obj2txt(buf, sizeof buf, o, 1);
    return buf;
}

// DER: tag, definite length, content (X.690 §8.1).
core::Bytes der(std::uint8_t tag, const core::Bytes& content) {
    core::Bytes out{tag};
    std::size_t n = content.size();
    if (n < 0x80) {
        out.push_back(static_cast<std::uint8_t>(n));
    } else {
        core::Bytes len;
        for (; n > 0; n >>= 8) len.insert(len.begin(), static_cast<std::uint8_t>(n & 0xFF));
        out.push_back(static_cast<std::uint8_t>(0x80 | len.size()));
        out.insert(out.end(), len.begin(), len.end());
    }
    out.insert(out.end(), content.begin(), content.end());
    return out;
}

core::Bytes concat(const std::vector<core::Bytes>& items) {
    core::Bytes out;
    for (const auto& i : items) out.insert(out.end(), i.begin(), i.end());
    return out;
}

void add_unsigned_sequence(CMS_SignerInfo* si, const char* oid, const core::Bytes& sequence_der) {
    pki::OsslPtr<ASN1_OBJECT, ASN1_OBJECT_free> obj(OBJ_txt2obj(oid, 1));
    pki::OsslPtr<ASN1_STRING, ASN1_STRING_free> value(ASN1_STRING_type_new(V_ASN1_SEQUENCE));
    if (!obj || !value || !ASN1_STRING_set(value.get(), sequence_der.data(), static_cast<int>(sequence_der.size())) ||
        !CMS_unsigned_add1_attr_by_OBJ(si, obj.get(), V_ASN1_SEQUENCE, value.get(), -1))
        fail(std::string("adding the unsigned attribute ") + oid);
}

}  // namespace

struct CadesSignature::Impl {
    CmsPtr cms;
    CMS_SignerInfo* si = nullptr;
};

CadesSignature::CadesSignature(X509* signer, const std::vector<X509*>& chain, const core::Bytes& content_sha256)
    : m_impl(std::make_unique<Impl>()) {
    if (content_sha256.size() != 32) throw_bad_input("cms.bad_digest", "the content digest must be SHA-256");
    m_impl->cms.reset(CMS_sign(nullptr, nullptr, nullptr, nullptr, CMS_PARTIAL | CMS_DETACHED | CMS_BINARY));
    if (!m_impl->cms) fail("CMS_sign");
    // No private key here: the public key passes OpenSSL's key-match check and nothing is signed locally (no
    // CMS_REUSE_DIGEST, no CMS_final). CMS_CADES adds ESS signing-certificate-v2 with the issuer and serial.
    m_impl->si = CMS_add1_signer(m_impl->cms.get(), signer, X509_get0_pubkey(signer), EVP_sha256(),
                                 CMS_NOSMIMECAP | CMS_CADES | CMS_PARTIAL);
    if (!m_impl->si) fail("CMS_add1_signer");
    for (X509* c : chain)
        if (!CMS_add1_cert(m_impl->cms.get(), c)) fail("CMS_add1_cert");
    // RFC 5652 §11.1 content-type and §11.2 message-digest
    if (!CMS_signed_add1_attr_by_NID(m_impl->si, NID_pkcs9_contentType, V_ASN1_OBJECT, OBJ_nid2obj(NID_pkcs7_data), -1) ||
        !CMS_signed_add1_attr_by_NID(m_impl->si, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING, content_sha256.data(),
                                     static_cast<int>(content_sha256.size())))
        fail("adding the signed attributes");
    // The DER of the attributes as SET OF, sorted (PKCS7_ATTR_SIGN orders them as DER requires).
    STACK_OF(X509_ATTRIBUTE)* attrs = sk_X509_ATTRIBUTE_new_null();
    for (int i = 0; i < CMS_signed_get_attr_count(m_impl->si); ++i)
        X509at_add1_attr(&attrs, CMS_signed_get_attr(m_impl->si, i));
    unsigned char* der = nullptr;
    int len = ASN1_item_i2d(reinterpret_cast<ASN1_VALUE*>(attrs), &der, ASN1_ITEM_rptr(PKCS7_ATTR_SIGN));
    sk_X509_ATTRIBUTE_pop_free(attrs, X509_ATTRIBUTE_free);
    if (len <= 0) fail("encoding the signed attributes");
    m_tbs_digest = core::sha256(der, static_cast<std::size_t>(len));
    OPENSSL_free(der);

    X509_ALGOR* sig_alg = nullptr;
    CMS_SignerInfo_get0_algs(m_impl->si, nullptr, nullptr, nullptr, &sig_alg);
    const ASN1_OBJECT* alg_oid = nullptr;
    X509_ALGOR_get0(&alg_oid, nullptr, nullptr, sig_alg);
    std::string oid = oid_text(alg_oid);
    // OpenSSL writes rsaEncryption for RSA v1.5 signers; the CSC signAlgo is sha256WithRSAEncryption.
    m_sign_algo_oid = oid == "1.2.840.113549.1.1.1" ? "1.2.840.113549.1.1.11" : oid;
}

CadesSignature::~CadesSignature() = default;

core::Bytes CadesSignature::finish(const core::Bytes& signature_value) {
    if (signature_value.empty()) throw_bad_input("cms.bad_signature", "the signature value is empty");
    unsigned char* copy = static_cast<unsigned char*>(OPENSSL_malloc(signature_value.size()));
    std::copy(signature_value.begin(), signature_value.end(), copy);
    ASN1_STRING_set0(CMS_SignerInfo_get0_signature(m_impl->si), copy, static_cast<int>(signature_value.size()));
    return serialise(m_impl->cms.get());
}

core::Bytes signature_value(const core::Bytes& cms_der) {
    CmsPtr cms = parse(cms_der);
    ASN1_OCTET_STRING* sig = CMS_SignerInfo_get0_signature(only_signer(cms.get()));
    return core::Bytes(ASN1_STRING_get0_data(sig), ASN1_STRING_get0_data(sig) + ASN1_STRING_length(sig));
}

core::Bytes add_signature_timestamp(const core::Bytes& cms_der,
                                    const std::function<core::Bytes(const core::Bytes& sha256)>& stamp) {
    CmsPtr cms = parse(cms_der);
    CMS_SignerInfo* si = only_signer(cms.get());
    ASN1_OCTET_STRING* sig = CMS_SignerInfo_get0_signature(si);
    core::Bytes token = stamp(core::sha256(ASN1_STRING_get0_data(sig), static_cast<std::size_t>(ASN1_STRING_length(sig))));
    // The attribute value is the TimeStampToken itself (a ContentInfo SEQUENCE): passed as an ASN1_STRING of type
    // V_ASN1_SEQUENCE holding its DER.
    pki::OsslPtr<ASN1_STRING, ASN1_STRING_free> value(ASN1_STRING_type_new(V_ASN1_SEQUENCE));
    if (!value || !ASN1_STRING_set(value.get(), token.data(), static_cast<int>(token.size())) ||
        !CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE, value.get(), -1))
        fail("adding the signature time-stamp");
    return serialise(cms.get());
}

core::Bytes add_validation_values(const core::Bytes& cms_der, const std::vector<core::Bytes>& certificates,
                                  const std::vector<core::Bytes>& crls, const std::vector<core::Bytes>& ocsp_responses) {
    CmsPtr cms = parse(cms_der);
    CMS_SignerInfo* si = only_signer(cms.get());
    // CertificateValues ::= SEQUENCE OF Certificate  (id-aa-ets-certValues)
    add_unsigned_sequence(si, "1.2.840.113549.1.9.16.2.23", der(0x30, concat(certificates)));
    // RevocationValues ::= SEQUENCE { crlVals [0] SEQUENCE OF CertificateList OPTIONAL,
    //                                 ocspVals [1] SEQUENCE OF BasicOCSPResponse OPTIONAL }  (explicit tags)
    std::vector<core::Bytes> basics;
    for (const auto& r : ocsp_responses) {
        const unsigned char* p = r.data();
        pki::OcspResponsePtr response(d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(r.size())));
        if (!response) throw_bad_input("cms.bad_ocsp", "an OCSP response for the validation values cannot be parsed");
        pki::OcspBasicPtr basic(OCSP_response_get1_basic(response.get()));
        if (!basic) throw_bad_input("cms.bad_ocsp", "an OCSP response for the validation values has no basic response");
        unsigned char* out = nullptr;
        int len = i2d_OCSP_BASICRESP(basic.get(), &out);
        if (len <= 0) fail("encoding a BasicOCSPResponse");
        basics.emplace_back(out, out + len);
        OPENSSL_free(out);
    }
    core::Bytes values;
    if (!crls.empty()) {
        core::Bytes tagged = der(0xA0, der(0x30, concat(crls)));
        values.insert(values.end(), tagged.begin(), tagged.end());
    }
    if (!basics.empty()) {
        core::Bytes tagged = der(0xA1, der(0x30, concat(basics)));
        values.insert(values.end(), tagged.begin(), tagged.end());
    }
    add_unsigned_sequence(si, "1.2.840.113549.1.9.16.2.24", der(0x30, values));
    return serialise(cms.get());
}

}  // namespace yq::cms
