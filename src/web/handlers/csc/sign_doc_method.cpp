// CSC API v2 signatures/signDoc (see csc_methods.hpp): PAdES for PDFs ("P"), detached CAdES ("C") for documents or
// their digests, at the requested conformance level, under one SAD authorised for the documents' SHA-256 digests (at
// most pades::PadesService::kMaxBatch documents).
#include <cstdio>
#include <cstdlib>

#include "signing/algorithms.hpp"
#include "signing/csc_error.hpp"
#include "web/handlers/csc/csc_methods.hpp"

namespace yq::web::csc {

using nlohmann::json;
using signing::csc_error;

namespace {

// signDoc conformance_level: Ades-B-B … Ades-B-LTA, matched case-insensitively (clients spell it AdES-… too).
pades::Level conformance_level(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (text == "ades-b-b" || text == "ades-b") return pades::Level::BB;
    if (text == "ades-b-t" || text == "ades-t") return pades::Level::BT;
    if (text == "ades-b-lt" || text == "ades-lt") return pades::Level::BLT;
    if (text == "ades-b-lta" || text == "ades-lta") return pades::Level::BLTA;
    csc_error(400, "invalid_request", "Invalid parameter conformance_level");
}

std::string decode_document(const std::string& b64) {
    try {
        core::Bytes b = core::base64_decode(b64);
        return std::string(b.begin(), b.end());
    } catch (const Error&) {
        csc_error(400, "invalid_request", "Invalid parameter documents");
    }
}

// signed_props [{attribute_name, attribute_value}]: reason and location, and yunqian's placement of the visible
// signature (yq:page, yq:rect "x1,y1,x2,y2", yq:field, yq:invisible). Default: pades::default_placement().
void apply_signed_props(const json& item, pades::SignPdfRequest& r) {
    r.placement = pades::default_placement();
    auto it = item.find("signed_props");
    if (it == item.end() || it->is_null()) return;
    if (!it->is_array()) csc_error(400, "invalid_request", "Invalid parameter signed_props");
    for (const json& p : *it) {
        if (!p.is_object() || !p.contains("attribute_name") || !p["attribute_name"].is_string() ||
            !p.contains("attribute_value") || !p["attribute_value"].is_string())
            csc_error(400, "invalid_request", "Invalid parameter signed_props");
        std::string name = p["attribute_name"], value = p["attribute_value"];
        if (name == "reason") r.reason = value;
        else if (name == "location") r.location = value;
        else if (name == "yq:page") r.placement.page = std::atoi(value.c_str());
        else if (name == "yq:field") r.placement.kind = pades::Placement::Kind::Field, r.placement.field_name = value;
        else if (name == "yq:invisible" && value == "true") r.placement.kind = pades::Placement::Kind::Invisible;
        else if (name == "yq:rect") {
            if (std::sscanf(value.c_str(), "%lf,%lf,%lf,%lf", &r.placement.x1, &r.placement.y1, &r.placement.x2,
                            &r.placement.y2) != 4)
                csc_error(400, "invalid_request", "Invalid parameter signed_props");
        }
    }
}

// The item's envelope: PAdES Certification (DocMDP P=2) or Revision (an approval signature, the default); CAdES Detached.
void apply_envelope(const json& item, const std::string& format, pades::SignPdfRequest& r) {
    std::string envelope = opt_string(item, "signed_envelope_property").value_or(format == "P" ? "Revision" : "Detached");
    if (format == "P" && envelope != "Revision" && envelope != "Certification")
        csc_error(400, "invalid_request", "Invalid parameter signed_envelope_property");
    if (format == "C" && envelope != "Detached") csc_error(400, "invalid_request", "Invalid parameter signed_envelope_property");
    if (envelope == "Certification") r.certification = 2;
}

// A documentDigests item's SHA-256 digests ("hashes" an array, or S1's sample's bare string).
std::vector<core::Bytes> item_digests(const json& item) {
    std::string oid = opt_string(item, "hashAlgorithmOID").value_or(signing::kOidSha256);
    if (oid != signing::kOidSha256) csc_error(400, "invalid_request", "Invalid parameter hashAlgorithmOID");
    std::vector<core::Bytes> hashes;
    if (item.contains("hashes") && item["hashes"].is_string()) {
        json wrapped = {{"hashes", json::array({item["hashes"]})}};
        hashes = hash_list(wrapped, "hashes", true);
    } else {
        hashes = hash_list(item, "hashes", true);
    }
    for (const auto& h : hashes)
        if (h.size() != 32) csc_error(400, "invalid_request", "Invalid digest value length");
    return hashes;
}

struct SignDocAnswer {
    json with_signature = json::array();     // DocumentWithSignature: signed PDFs
    json signature_objects = json::array();  // SignatureObject: detached CMS signatures
};

// One item of "documents" (has_document) or "documentDigests", signed under the SAD into `answer`.
void sign_item(pades::PadesService& pades, const json& item, bool has_document, pades::SignPdfRequest r,
               const std::string& sad, SignDocAnswer& answer) {
    if (!item.is_object()) csc_error(400, "invalid_request", "Invalid parameter documents");
    r.level = conformance_level(opt_string(item, "conformance_level").value_or("Ades-B-B"));
    std::string format = req_string(item, "signature_format");
    if (format != "P" && format != "C") csc_error(400, "invalid_request", "Invalid parameter signature_format");
    apply_signed_props(item, r);
    apply_envelope(item, format, r);
    if (!has_document) {
        if (format != "C") csc_error(400, "invalid_request", "Invalid parameter signature_format");
        for (const auto& h : item_digests(item))
            answer.signature_objects.push_back(core::base64_encode(pades.sign_detached_with_sad(h, r, sad)));
        return;
    }
    std::string doc = decode_document(req_string(item, "document"));
    if (format == "P")
        answer.with_signature.push_back(core::base64_encode(core::to_bytes(pades.sign_pdf_with_sad(doc, r, sad).file)));
    else
        answer.signature_objects.push_back(core::base64_encode(pades.sign_detached_with_sad(core::sha256(doc), r, sad)));
}

}  // namespace

Response sign_doc(const CscRouteServices& s, const Request& req, Dialect) {
    auto [account, j] = authenticated(s.csc, req);
    pades::SignPdfRequest base;
    base.account_id = account;
    base.credential_id = req_string(j, "credentialID");
    base.client = "csc/v2 signDoc";
    std::string sad = req_string(j, "SAD");
    bool has_docs = j.contains("documents") && !j["documents"].is_null();
    bool has_digests = j.contains("documentDigests") && !j["documentDigests"].is_null();
    if (has_docs && has_digests) csc_error(400, "invalid_request", "Both documentDigests and documents parameters passed");
    const json& items = has_docs ? j["documents"] : has_digests ? j["documentDigests"] : json::array();
    if (!items.is_array() || items.empty()) csc_error(400, "invalid_request", "Empty documentDigests and documents objects");
    if (items.size() > pades::PadesService::kMaxBatch) csc_error(400, "invalid_request", "Numbers of signatures is too high");
    SignDocAnswer answer;
    for (const json& item : items) sign_item(s.pades, item, has_docs, base, sad, answer);
    json out = json::object();
    if (!answer.with_signature.empty()) out["DocumentWithSignature"] = answer.with_signature;
    if (!answer.signature_objects.empty()) out["SignatureObject"] = answer.signature_objects;
    return json_response(200, out);
}

}  // namespace yq::web::csc
