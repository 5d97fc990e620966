#include "validation/cms_validator.hpp"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/objects.h>

#include "core/clock.hpp"
#include "pki/openssl_ptr.hpp"
#include "validation/revocation_evidence.hpp"

namespace yq::validation {

namespace {
using CmsPtr = pki::OsslPtr<CMS_ContentInfo, CMS_ContentInfo_free>;

bool has_unsigned_attr(CMS_SignerInfo* si, const char* oid) {
    pki::OsslPtr<ASN1_OBJECT, ASN1_OBJECT_free> obj(OBJ_txt2obj(oid, 1));
    return obj && CMS_unsigned_get_attr_by_OBJ(si, obj.get(), -1) >= 0;
}
}  // namespace

Report CmsValidator::validate(const core::Bytes& signature, const std::optional<std::string>& content) const {
    Report report;
    report.validation_time = core::to_rfc3339(core::SystemClock().unix_seconds());
    report.file_sha256 = core::hex_encode(core::sha256(signature));
    const unsigned char* p = signature.data();
    CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(signature.size())));
    ERR_clear_error();
    if (!cms || OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_pkcs7_signed) {
        report.problem = "the file is neither a PDF nor a CMS SignedData signature";
        return report;
    }
    std::string signed_content;
    core::Bytes der = signature;
    ASN1_OCTET_STRING** embedded = CMS_get0_content(cms.get());
    if (embedded && *embedded) {  // enveloping: take the content out and check it as a detached signature
        signed_content.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(*embedded)),
                              static_cast<std::size_t>(ASN1_STRING_length(*embedded)));
        CMS_set_detached(cms.get(), 1);
        unsigned char* out = nullptr;
        int len = i2d_CMS_ContentInfo(cms.get(), &out);
        der.assign(out, out + len);
        OPENSSL_free(out);
    } else if (content) {
        signed_content = *content;
    } else {
        report.problem = "this is a detached signature: give the signed file too (--content FILE)";
        return report;
    }
    SignatureReport s;
    s.field = "CMS";
    s.kind = "CMS signature";
    s.sub_filter = embedded && *embedded ? "enveloping" : "detached";
    s.covers_whole_document = true;
    std::int64_t poe = check_signed_data(der, {signed_content}, m_anchors, m_revocation, EmbeddedEvidence{}, s);
    STACK_OF(CMS_SignerInfo)* infos = CMS_get0_SignerInfos(cms.get());
    if (s.indication == kTotalPassed && infos && sk_CMS_SignerInfo_num(infos) == 1) {
        CMS_SignerInfo* si = sk_CMS_SignerInfo_value(infos, 0);
        bool lt = has_unsigned_attr(si, "1.2.840.113549.1.9.16.2.23") && has_unsigned_attr(si, "1.2.840.113549.1.9.16.2.24");
        s.level = poe > 0 ? (lt ? "B-LT" : "B-T") : "B-B";  // EN 319 122-1 §5.5
    }
    report.signatures.push_back(s);
    return report;
}

}  // namespace yq::validation
