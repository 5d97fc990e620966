#include "validation/xades_signature.hpp"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <xmlsec/crypto.h>
#include <xmlsec/keys.h>
#include <xmlsec/openssl/evp.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>

#include <mutex>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace yq::validation {

namespace {

constexpr const char* kSignedPropertiesId = "xades-signed-properties";

[[noreturn]] void failed(const std::string& why) {
    throw Error("validation.xml_signing_failed", 500, "the XML report could not be signed: " + why);
}

// libxml2 and libxmlsec1 are initialised once per process (their own rule).
void initialise_once() {
    static std::once_flag once;
    static bool ok = false;
    std::call_once(once, [] {
        xmlInitParser();
        ok = xmlSecInit() >= 0 && xmlSecCryptoAppInit(nullptr) >= 0 && xmlSecCryptoInit() >= 0;
    });
    if (!ok) failed("libxmlsec1 did not start");
}

struct DocFree {
    void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
struct CtxFree {
    void operator()(xmlSecDSigCtx* c) const { xmlSecDSigCtxDestroy(c); }
};

// The signature template: XML-DSig §4 with the XAdES QualifyingProperties (EN 319 132-1 §4.3, §5.2.1 SigningTime,
// §5.2.2 SigningCertificateV2) in ds:Object; xmlsec fills in the digests and the signature value.
// KeyInfo (XML-DSig §4.5) with the certificates: not signed (no Reference covers it), so it is added after signing
// and xmlsec never writes key data of its own.
std::string key_info(const std::vector<core::Bytes>& chain) {
    std::string certificates;
    for (const auto& der : chain) certificates += "<ds:X509Certificate>" + core::base64_encode(der) + "</ds:X509Certificate>";
    return "<ds:KeyInfo><ds:X509Data>" + certificates + "</ds:X509Data></ds:KeyInfo>";
}

std::string signature_template(bool ecdsa, const std::vector<core::Bytes>& chain, std::int64_t signing_time) {
    const std::string exc_c14n = "http://www.w3.org/2001/10/xml-exc-c14n#";
    const std::string sha256 = "http://www.w3.org/2001/04/xmlenc#sha256";
    const std::string method = ecdsa ? "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
                                     : "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    return "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" Id=\"report-signature\"><ds:SignedInfo>"
           "<ds:CanonicalizationMethod Algorithm=\"" + exc_c14n + "\"/><ds:SignatureMethod Algorithm=\"" + method + "\"/>"
           "<ds:Reference URI=\"\"><ds:Transforms>"
           "<ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>"
           "<ds:Transform Algorithm=\"" + exc_c14n + "\"/></ds:Transforms>"
           "<ds:DigestMethod Algorithm=\"" + sha256 + "\"/><ds:DigestValue></ds:DigestValue></ds:Reference>"
           "<ds:Reference URI=\"#" + std::string(kSignedPropertiesId) + "\" Type=\"http://uri.etsi.org/01903#SignedProperties\">"
           "<ds:Transforms><ds:Transform Algorithm=\"" + exc_c14n + "\"/></ds:Transforms>"
           "<ds:DigestMethod Algorithm=\"" + sha256 + "\"/><ds:DigestValue></ds:DigestValue></ds:Reference>"
           "</ds:SignedInfo><ds:SignatureValue></ds:SignatureValue>"
           "<ds:Object><xades:QualifyingProperties xmlns:xades=\"http://uri.etsi.org/01903/v1.3.2#\" Target=\"#report-signature\">"
           "<xades:SignedProperties Id=\"" + std::string(kSignedPropertiesId) + "\"><xades:SignedSignatureProperties>"
           "<xades:SigningTime>" + core::to_rfc3339(signing_time) + "</xades:SigningTime>"
           "<xades:SigningCertificateV2><xades:Cert><xades:CertDigest><ds:DigestMethod Algorithm=\"" + sha256 + "\"/>"
           "<ds:DigestValue>" + core::base64_encode(core::sha256(chain.front())) + "</ds:DigestValue></xades:CertDigest>"
           "</xades:Cert></xades:SigningCertificateV2></xades:SignedSignatureProperties></xades:SignedProperties>"
           "</xades:QualifyingProperties></ds:Object></ds:Signature>";
}

}  // namespace

std::string xades_sign(const std::string& xml, bool ecdsa, const DigestSigner& sign, const std::vector<core::Bytes>& chain,
                       std::int64_t signing_time) {
    if (chain.empty()) failed("no certificate");
    initialise_once();
    std::size_t close = xml.rfind("</");
    if (close == std::string::npos) failed("the document has no root element");
    std::string with_template = xml.substr(0, close) + signature_template(ecdsa, chain, signing_time) + xml.substr(close);

    std::unique_ptr<xmlDoc, DocFree> doc(xmlReadMemory(with_template.data(), static_cast<int>(with_template.size()),
                                                       "report.xml", nullptr, XML_PARSE_NONET));
    if (!doc) failed("the report is not well-formed XML");
    xmlNode* signature = xmlSecFindNode(xmlDocGetRootElement(doc.get()), xmlSecNodeSignature, xmlSecDSigNs);
    if (!signature) failed("the signature template is missing");
    // the SignedProperties' Id must be known as an ID for the "#…" reference to resolve
    xmlNode* properties = xmlSecFindNode(signature, BAD_CAST "SignedProperties", BAD_CAST "http://uri.etsi.org/01903/v1.3.2#");
    xmlAttr* id = properties ? xmlHasProp(properties, BAD_CAST "Id") : nullptr;
    if (!id || !xmlAddID(nullptr, doc.get(), BAD_CAST kSignedPropertiesId, id)) failed("cannot register the properties' Id");

    std::unique_ptr<xmlSecDSigCtx, CtxFree> ctx(xmlSecDSigCtxCreate(nullptr));
    if (!ctx) failed("no signature context");
    // a throwaway software key of the same kind lets libxmlsec1 run the whole signing; its signature value is then
    // replaced by the HSM's over the same canonical SignedInfo, which libxmlsec1 keeps (STORE_SIGNATURE)
    EVP_PKEY* throwaway = ecdsa ? EVP_EC_gen("P-256") : EVP_RSA_gen(2048);
    xmlSecKeyDataPtr data = throwaway ? xmlSecOpenSSLEvpKeyAdopt(throwaway) : nullptr;
    if (!data) {
        EVP_PKEY_free(throwaway);
        failed("no working key for libxmlsec1");
    }
    ctx->signKey = xmlSecKeyCreate();
    if (!ctx->signKey || xmlSecKeySetValue(ctx->signKey, data) < 0) {
        xmlSecKeyDataDestroy(data);
        failed("no working key for libxmlsec1");
    }
    ctx->flags |= XMLSEC_DSIG_FLAGS_STORE_SIGNATURE;
    if (xmlSecDSigCtxSign(ctx.get(), signature) < 0 || ctx->status != xmlSecDSigStatusSucceeded) failed("signing failed");
    xmlSecBufferPtr signed_info = xmlSecDSigCtxGetPreSignBuffer(ctx.get());
    xmlNode* value = xmlSecFindNode(signature, xmlSecNodeSignatureValue, xmlSecDSigNs);
    if (!signed_info || !value) failed("the canonical SignedInfo was not kept");
    core::Bytes digest = core::sha256(xmlSecBufferGetData(signed_info), xmlSecBufferGetSize(signed_info));
    xmlNodeSetContent(value, BAD_CAST core::base64_encode(sign(digest)).c_str());

    xmlChar* out = nullptr;
    int size = 0;
    xmlDocDumpMemoryEnc(doc.get(), &out, &size, "UTF-8");
    std::string signed_xml(reinterpret_cast<const char*>(out), static_cast<std::size_t>(size));
    xmlFree(out);
    std::size_t object = signed_xml.find("<ds:Object>");
    if (object == std::string::npos) failed("the signed document lost its ds:Object");
    return signed_xml.insert(object, key_info(chain));
}

}  // namespace yq::validation
