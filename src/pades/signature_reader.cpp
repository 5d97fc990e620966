#include "pades/signature_reader.hpp"

#include <podofo/podofo.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/error.hpp"
#include "core/json_text.hpp"
#include "core/isolated_worker.hpp"
#include "pades/podofo_document.hpp"

namespace yq::pades {

namespace {

using namespace PoDoFo;
using nlohmann::json;

std::string text_of(const PdfObject* o) {
    if (!o || !o->IsString()) return {};
    return o->GetString().GetStringUtf8();
}

std::string compact(const PdfObject* o) {
    std::string s;
    if (o) o->ToString(s, ePdfWriteMode_Compact);
    return s;
}

std::string decoded_stream(PdfObject* o) {
    if (!o || !o->HasStream()) return {};
    char* data = nullptr;
    pdf_long len = 0;
    o->GetStream()->GetFilteredCopy(&data, &len);
    std::string out(data, static_cast<std::size_t>(len));
    podofo_free(data);
    return out;
}

PdfObject* resolve(PdfVecObjects& objects, const PdfObject& item) {
    return item.IsReference() ? objects.GetObject(item.GetReference()) : const_cast<PdfObject*>(&item);
}

// ISO 32000-2 §12.8.2.2: a certification signature names the DocMDP transform in /Reference; /P defaults to 2.
int docmdp_permissions(PdfVecObjects& objects, PdfObject* value) {
    PdfObject* refs = value->GetIndirectKey("Reference");
    if (!refs || !refs->IsArray()) return 0;
    for (const PdfObject& item : refs->GetArray()) {
        PdfObject* ref = resolve(objects, item);
        if (!ref || !ref->IsDictionary()) continue;
        PdfObject* method = ref->GetIndirectKey("TransformMethod");
        if (!method || !method->IsName() || method->GetName() != PdfName("DocMDP")) continue;
        PdfObject* params = ref->GetIndirectKey("TransformParams");
        PdfObject* p = params && params->IsDictionary() ? params->GetIndirectKey("P") : nullptr;
        int level = p && p->IsNumber() ? static_cast<int>(p->GetNumber()) : 2;
        return level >= 1 && level <= 3 ? level : 2;
    }
    return 0;
}

// Every signature field with a value, in the order of the field tree.
json collect_signatures(PdfVecObjects& objects, PdfObject* fields) {
    json out = json::array();
    visit_fields(objects, fields, [&](PdfObject* f, const std::string& name) {
        PdfObject* v = f->GetIndirectKey("V");
        PdfObject* ft = f->GetIndirectKey("FT");
        if (!(v && v->IsDictionary() && ft && ft->IsName() && ft->GetName() == PdfName("Sig"))) return false;
        json s;
        s["field"] = name;
        const PdfObject* type = v->GetDictionary().GetKey("Type");
        s["timestamp"] = type && type->IsName() && type->GetName() == PdfName("DocTimeStamp");
        const PdfObject* sf = v->GetDictionary().GetKey("SubFilter");
        s["sub_filter"] = sf && sf->IsName() ? sf->GetName().GetName() : "";
        json br = json::array();
        if (const PdfObject* r = v->GetDictionary().GetKey("ByteRange"); r && r->IsArray())
            for (const PdfObject& n : r->GetArray()) br.push_back(n.IsNumber() ? n.GetNumber() : -1);
        s["byte_range"] = br;
        const PdfObject* c = v->GetDictionary().GetKey("Contents");
        s["contents"] = c && c->IsString()
                            ? core::hex_encode(reinterpret_cast<const std::uint8_t*>(c->GetString().GetString()),
                                               c->GetString().GetLength())
                            : "";
        s["m"] = text_of(v->GetDictionary().GetKey("M"));
        s["reason"] = text_of(v->GetDictionary().GetKey("Reason"));
        s["location"] = text_of(v->GetDictionary().GetKey("Location"));
        s["docmdp"] = docmdp_permissions(objects, v);
        out.push_back(s);
        return false;
    });
    return out;
}

// The DSS's certificates, OCSP responses and CRLs, decoded, as hex (EN 319 142-1 §5.4.2.2).
json read_dss(PdfVecObjects& objects, PdfObject* catalog) {
    json out{{"present", false}, {"certs", json::array()}, {"ocsps", json::array()}, {"crls", json::array()}};
    PdfObject* dss = catalog->GetIndirectKey("DSS");
    if (!dss || !dss->IsDictionary()) return out;
    out["present"] = true;
    for (auto [key, name] : {std::pair{"Certs", "certs"}, {"OCSPs", "ocsps"}, {"CRLs", "crls"}}) {
        PdfObject* list = dss->GetIndirectKey(key);
        if (!list || !list->IsArray()) continue;
        for (const PdfObject& item : list->GetArray()) {
            std::string bytes = decoded_stream(resolve(objects, item));
            if (!bytes.empty())
                out[name].push_back(core::hex_encode(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
        }
    }
    return out;
}

// What one revision of the document shows and holds, to compare revisions with.
struct Snapshot {
    std::vector<std::string> pages;                 // decoded content streams + media box per page
    std::multiset<std::string> annotations;         // "page N: /Subtype [rect] contents", widgets excluded
    std::map<std::string, std::string> field_values;  // fields other than signature fields
    int signatures = 0, timestamps = 0;
    std::string dss;  // the DSS dictionary and its arrays, as written
};

std::string page_fingerprint(PdfMemDocument& doc, PdfPage* page) {
    std::string out;
    PdfObject* contents = page->GetObject()->GetIndirectKey("Contents");
    if (contents && contents->IsArray()) {
        for (const PdfObject& item : contents->GetArray()) out += decoded_stream(resolve(doc.GetObjects(), item));
    } else {
        out += decoded_stream(contents);
    }
    PdfRect box = page->GetMediaBox();
    out += "|" + std::to_string(box.GetLeft()) + "," + std::to_string(box.GetBottom()) + "," +
           std::to_string(box.GetWidth()) + "," + std::to_string(box.GetHeight());
    return out;
}

Snapshot snapshot_of(PodofoDocument& file) {
    Snapshot s;
    PdfMemDocument& doc = file.doc();
    for (int i = 0; i < doc.GetPageCount(); ++i) {
        PdfPage* page = doc.GetPage(i);
        if (!page || !page->GetObject()) {
            s.pages.push_back("missing");
            continue;
        }
        s.pages.push_back(page_fingerprint(doc, page));
        PdfObject* annots = page->GetObject()->GetIndirectKey("Annots");
        if (!annots || !annots->IsArray()) continue;
        for (const PdfObject& item : annots->GetArray()) {
            PdfObject* a = resolve(file.objects(), item);
            if (!a || !a->IsDictionary()) continue;
            PdfObject* subtype = a->GetIndirectKey("Subtype");
            if (subtype && subtype->IsName() && subtype->GetName() == PdfName("Widget")) continue;  // fields, below
            s.annotations.insert("page " + std::to_string(i + 1) + ": " + compact(subtype) + " " +
                                 compact(a->GetIndirectKey("Rect")) + " " + text_of(a->GetIndirectKey("Contents")));
        }
    }
    PdfObject* acroform = file.catalog()->GetIndirectKey("AcroForm");
    if (acroform && acroform->IsDictionary())
        visit_fields(file.objects(), acroform->GetIndirectKey("Fields"), [&](PdfObject* f, const std::string& name) {
            PdfObject* ft = f->GetIndirectKey("FT");
            PdfObject* v = f->GetIndirectKey("V");
            if (ft && ft->IsName() && ft->GetName() == PdfName("Sig")) {
                if (v && v->IsDictionary()) {
                    const PdfObject* type = v->GetDictionary().GetKey("Type");
                    (type && type->IsName() && type->GetName() == PdfName("DocTimeStamp") ? s.timestamps : s.signatures)++;
                }
            } else if (ft) {
                s.field_values[name] = v && v->HasStream() ? decoded_stream(v) : compact(v);
            }
            return false;
        });
    if (PdfObject* dss = file.catalog()->GetIndirectKey("DSS"); dss && dss->IsDictionary()) {
        s.dss = compact(dss);
        for (const char* key : {"Certs", "OCSPs", "CRLs", "VRI"}) s.dss += compact(dss->GetIndirectKey(key));
    }
    return s;
}

json changes_between(const Snapshot& before, const Snapshot& after) {
    json page_content = json::array(), annotations = json::array(), form_fields = json::array();
    if (before.pages.size() != after.pages.size())
        page_content.push_back("the page count changed from " + std::to_string(before.pages.size()) + " to " +
                               std::to_string(after.pages.size()));
    for (std::size_t i = 0; i < std::min(before.pages.size(), after.pages.size()); ++i)
        if (before.pages[i] != after.pages[i]) page_content.push_back("the content of page " + std::to_string(i + 1) + " changed");
    for (const auto& a : after.annotations)
        if (before.annotations.count(a) < after.annotations.count(a)) annotations.push_back("an annotation was added or changed on " + a.substr(0, a.find(':')));
    for (const auto& a : before.annotations)
        if (after.annotations.count(a) < before.annotations.count(a)) annotations.push_back("an annotation was removed or changed on " + a.substr(0, a.find(':')));
    std::set<std::string> names;
    for (const auto& [name, value] : before.field_values) names.insert(name);
    for (const auto& [name, value] : after.field_values) names.insert(name);
    for (const auto& name : names) {
        auto b = before.field_values.find(name), a = after.field_values.find(name);
        std::string bv = b == before.field_values.end() ? "" : b->second, av = a == after.field_values.end() ? "" : a->second;
        if (bv != av) form_fields.push_back("the value of form field \"" + name + "\" changed");
    }
    return json{{"page_content", page_content},
                {"annotations", annotations},
                {"form_fields", form_fields},
                {"signatures_added", after.signatures - before.signatures},
                {"timestamps_added", after.timestamps - before.timestamps},
                {"dss_changed", before.dss != after.dss}};
}

std::vector<std::string> strings(const json& list) {
    std::vector<std::string> out;
    for (const auto& item : list) out.push_back(item.get<std::string>());
    return out;
}

std::vector<core::Bytes> blobs(const json& list) {
    std::vector<core::Bytes> out;
    for (const auto& item : list) out.push_back(core::hex_decode(item.get<std::string>()));
    return out;
}


// The parse itself (the job the PDF worker runs for SignedPdfReader): the view as JSON.
std::string signed_pdf_json(const std::string& pdf) {
    try {
        PodofoDocument file(pdf);
        PdfObject* acroform = file.catalog()->GetIndirectKey("AcroForm");
        json out;
        out["signatures"] = acroform && acroform->IsDictionary()
                                ? collect_signatures(file.objects(), acroform->GetIndirectKey("Fields"))
                                : json::array();
        out["dss"] = read_dss(file.objects(), file.catalog());
        // the revisions after each signature, compared with the whole file (one parse per revision)
        std::optional<Snapshot> whole;
        std::map<std::int64_t, json> by_end;
        for (json& s : out["signatures"]) {
            const json& br = s["byte_range"];
            if (br.size() != 4) continue;
            std::int64_t end = br[2].get<std::int64_t>() + br[3].get<std::int64_t>();
            if (end <= 0 || end >= static_cast<std::int64_t>(pdf.size())) continue;
            if (!by_end.count(end)) {
                if (!whole) whole = snapshot_of(file);
                try {
                    std::string revision = pdf.substr(0, static_cast<std::size_t>(end));
                    PodofoDocument before(revision);
                    by_end[end] = changes_between(snapshot_of(before), *whole);
                } catch (const Error& e) {
                    by_end[end] = json{{"unreadable", e.what()}};
                } catch (const PdfError& e) {
                    by_end[end] = json{{"unreadable", PdfError::ErrorName(e.GetError())}};
                }
            }
            s["later"] = by_end[end];
        }
        return core::json_text(out);  // names and strings in a PDF need not be UTF-8
    } catch (const PdfError& e) {
        throw Error("pades.broken_pdf", 422,
                    std::string("the file is not a readable PDF (") + PdfError::ErrorName(e.GetError()) + ")");
    }
}

SignedPdfView view_from_json(const std::string& text) {
    json parsed = json::parse(text);
    SignedPdfView out;
    for (const json& s : parsed["signatures"]) {
        EmbeddedSignature e;
        e.field_name = s["field"];
        e.document_timestamp = s["timestamp"];
        e.sub_filter = s["sub_filter"];
        for (const auto& n : s["byte_range"]) e.byte_range.push_back(n.get<std::int64_t>());
        e.contents = core::hex_decode(s["contents"].get<std::string>());
        e.claimed_time = s["m"];
        e.reason = s["reason"];
        e.location = s["location"];
        e.docmdp_permissions = s["docmdp"];
        if (s.contains("later")) {
            const json& l = s["later"];
            LaterChanges c;
            if (l.contains("unreadable")) {
                c.page_content.push_back("the revision this signature covers cannot be read (" +
                                         l["unreadable"].get<std::string>() + ")");
            } else {
                c.page_content = strings(l["page_content"]);
                c.annotations = strings(l["annotations"]);
                c.form_fields = strings(l["form_fields"]);
                c.signatures_added = l["signatures_added"];
                c.timestamps_added = l["timestamps_added"];
                c.dss_changed = l["dss_changed"];
            }
            e.later = std::move(c);
        }
        out.signatures.push_back(std::move(e));
    }
    const json& dss = parsed["dss"];
    out.dss.present = dss["present"];
    out.dss.certificates = blobs(dss["certs"]);
    out.dss.ocsp_responses = blobs(dss["ocsps"]);
    out.dss.crls = blobs(dss["crls"]);
    return out;
}

}  // namespace

SignedPdfReader::SignedPdfReader(const core::IsolationLimits& limits, int workers)
    : m_parsers(make_pdf_parsers(limits, workers)) {}

SignedPdfView SignedPdfReader::read(const std::string& pdf) const {
    return view_from_json(m_parsers->run(kReadSignedPdfJob, pdf));
}

namespace detail {
std::string read_signed_pdf_job(const std::string& pdf) { return signed_pdf_json(pdf); }
}  // namespace detail

}  // namespace yq::pades
