#include "validation/etsi_report.hpp"

#include <map>

namespace yq::validation {

namespace {

constexpr const char* kNamespace = "http://uri.etsi.org/19102/v1.2.1#";
constexpr const char* kXmlDsig = "http://www.w3.org/2000/09/xmldsig#";
constexpr const char* kSha256 = "http://www.w3.org/2001/04/xmlenc#sha256";

std::string escaped(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string element(const std::string& name, const std::string& text) {
    return "<vr:" + name + ">" + escaped(text) + "</vr:" + name + ">";
}

// The certificates of all signatures, each once, as validation objects "C-1", "C-2", … in order of appearance.
class ValidationObjects {
public:
    std::string id_of(const core::Bytes& der) {
        auto it = m_ids.find(der);
        if (it != m_ids.end()) return it->second;
        std::string id = "C-" + std::to_string(m_ids.size() + 1);
        m_ids.emplace(der, id);
        m_order.push_back(&m_ids.find(der)->first);
        return id;
    }
    std::string xml() const {
        if (m_order.empty()) return "";
        std::string out = "<vr:SignatureValidationObjects>";
        for (const core::Bytes* der : m_order)
            out += "<vr:ValidationObject id=\"" + m_ids.at(*der) + "\">" +
                   element("ObjectType", "urn:etsi:019102:validationObject:certificate") +
                   "<vr:ValidationObjectRepresentation>" + element("base64", core::base64_encode(*der)) +
                   "</vr:ValidationObjectRepresentation></vr:ValidationObject>";
        return out + "</vr:SignatureValidationObjects>";
    }

private:
    std::map<core::Bytes, std::string> m_ids;
    std::vector<const core::Bytes*> m_order;
};

std::string signature_report(const Report& r, const SignatureReport& s, std::size_t number, ValidationObjects& objects) {
    std::string out = "<vr:SignatureValidationReport>";
    // SignatureIdentifier: the digest of what the signature covers, and where it sits in the PDF
    out += "<vr:SignatureIdentifier id=\"S-" + std::to_string(number) + "\">";
    if (!s.byte_range_sha256.empty())
        out += std::string("<vr:DigestAlgAndValue><ds:DigestMethod Algorithm=\"") + kSha256 + "\"/><ds:DigestValue>" +
               core::base64_encode(core::hex_decode(s.byte_range_sha256)) + "</ds:DigestValue></vr:DigestAlgAndValue>";
    out += element("HashOnly", "false") + element("DocHashOnly", "false");
    if (!s.field.empty()) out += element("DAIdentifier", s.field);
    out += "</vr:SignatureIdentifier>";
    // ValidationTimeInfo: EN 319 102-1 §5.6.2.4 best-signature-time as a proof of existence
    out += "<vr:ValidationTimeInfo>" + element("ValidationTime", r.validation_time) + "<vr:BestSignatureTime>" +
           element("POETime", best_signature_time(r, s)) + element("TypeOfProof", "urn:etsi:019102:poetype:validation") +
           "</vr:BestSignatureTime></vr:ValidationTimeInfo>";
    // SignatureAttributes
    std::string attributes;
    if (!s.claimed_time.empty()) attributes += "<vr:SigningTime Signed=\"true\">" + element("Time", s.claimed_time) + "</vr:SigningTime>";
    if (!s.timestamp_time.empty())
        attributes += "<vr:SignatureTimeStamp>" + element("TimeStampValue", s.timestamp_time) + "</vr:SignatureTimeStamp>";
    if (!s.sub_filter.empty())
        attributes += "<vr:SubFilter Signed=\"true\">" + element("SubFilterElement", s.sub_filter) + "</vr:SubFilter>";
    if (!attributes.empty()) out += "<vr:SignatureAttributes>" + attributes + "</vr:SignatureAttributes>";
    if (!s.signer_certificate.empty())
        out += "<vr:SignerInformation><vr:SignerCertificate VOReference=\"" + objects.id_of(s.signer_certificate) +
               "\"/>" + element("Signer", s.signer) + "</vr:SignerInformation>";
    // SignatureValidationStatus
    out += "<vr:SignatureValidationStatus>" + element("MainIndication", main_indication_uri(s.indication));
    if (!s.sub_indication.empty()) out += element("SubIndication", "urn:etsi:019102:subindication:" + s.sub_indication);
    if (s.chain_der.size() >= 1) {
        out += "<vr:AssociatedValidationReportData><vr:CertificateChain>";
        out += "<vr:SigningCertificate VOReference=\"" + objects.id_of(s.chain_der.front()) + "\"/>";
        for (std::size_t i = 1; i + 1 < s.chain_der.size(); ++i)
            out += "<vr:IntermediateCertificate VOReference=\"" + objects.id_of(s.chain_der[i]) + "\"/>";
        if (s.chain_der.size() > 1)
            out += "<vr:TrustAnchor VOReference=\"" + objects.id_of(s.chain_der.back()) + "\"/>";
        out += "</vr:CertificateChain></vr:AssociatedValidationReportData>";
    }
    return out + "</vr:SignatureValidationStatus></vr:SignatureValidationReport>";
}

}  // namespace

std::string main_indication_uri(const std::string& indication) {
    if (indication == kTotalPassed) return "urn:etsi:019102:mainindication:total-passed";
    if (indication == kTotalFailed) return "urn:etsi:019102:mainindication:total-failed";
    return "urn:etsi:019102:mainindication:indeterminate";
}

std::string to_etsi_xml(const Report& r) {
    ValidationObjects objects;
    std::string reports;
    std::size_t number = 0;
    for (const auto& s : r.signatures) reports += signature_report(r, s, ++number, objects);
    return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<vr:ValidationReport xmlns:vr=\"") + kNamespace +
           "\" xmlns:ds=\"" + kXmlDsig + "\">" + reports + objects.xml() + "</vr:ValidationReport>\n";
}

}  // namespace yq::validation
