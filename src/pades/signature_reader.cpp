#include "pades/signature_reader.hpp"

#include <nlohmann/json.hpp>
#include <podofo/podofo.h>

#include "core/error.hpp"
#include "pades/podofo_document.hpp"

namespace yq::pades {

namespace {

using namespace PoDoFo;
using nlohmann::json;

std::string text_of(const PdfObject* o) {
    if (!o || !o->IsString()) return {};
    return o->GetString().GetStringUtf8();
}

// Every signature field with a value, in the order of the field tree.
json collect(PdfVecObjects& objects, PdfObject* fields) {
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
        out.push_back(s);
        return false;
    });
    return out;
}

}  // namespace

std::vector<EmbeddedSignature> read_signatures(const std::string& pdf, const core::IsolationLimits& limits) {
    std::string text = core::run_isolated(
        [&]() -> std::string {
            try {
                PodofoDocument file(pdf);
                PdfObject* acroform = file.catalog()->GetIndirectKey("AcroForm");
                return (acroform ? collect(file.objects(), acroform->GetIndirectKey("Fields")) : json::array()).dump();
            } catch (const PdfError& e) {
                throw Error("pades.broken_pdf", 422,
                            std::string("the file is not a readable PDF (") + PdfError::ErrorName(e.GetError()) + ")");
            }
        },
        limits, "pades.limits_exceeded", "the PDF");
    std::vector<EmbeddedSignature> out;
    for (const json& s : json::parse(text)) {
        EmbeddedSignature e;
        e.field_name = s["field"];
        e.document_timestamp = s["timestamp"];
        e.sub_filter = s["sub_filter"];
        for (const auto& n : s["byte_range"]) e.byte_range.push_back(n.get<std::int64_t>());
        e.contents = core::hex_decode(s["contents"].get<std::string>());
        e.claimed_time = s["m"];
        e.reason = s["reason"];
        e.location = s["location"];
        out.push_back(std::move(e));
    }
    return out;
}

namespace {

// The decoded bytes of a page's /Contents (one stream or an array of them) and its media box, as one string.
std::string page_fingerprint(PdfMemDocument& doc, int index) {
    PdfPage* page = doc.GetPage(index);
    if (!page || !page->GetObject()) return "missing";
    std::string out;
    PdfObject* contents = page->GetObject()->GetIndirectKey("Contents");
    auto add = [&](PdfObject* o) {
        if (!o || !o->HasStream()) return;
        char* data = nullptr;
        pdf_long len = 0;
        o->GetStream()->GetFilteredCopy(&data, &len);
        out.append(data, static_cast<std::size_t>(len));
        podofo_free(data);
    };
    if (contents && contents->IsArray()) {
        for (const PdfObject& item : contents->GetArray())
            if (item.IsReference()) add(doc.GetObjects().GetObject(item.GetReference()));
    } else {
        add(contents);
    }
    PdfRect box = page->GetMediaBox();
    out += "|" + std::to_string(box.GetLeft()) + "," + std::to_string(box.GetBottom()) + "," +
           std::to_string(box.GetWidth()) + "," + std::to_string(box.GetHeight());
    return out;
}

}  // namespace

std::vector<std::string> page_changes(const std::string& before, const std::string& after,
                                      const core::IsolationLimits& limits) {
    std::string text = core::run_isolated(
        [&]() -> std::string {
            try {
                PodofoDocument old_doc(before), new_doc(after);
                json out = json::array();
                int old_pages = old_doc.doc().GetPageCount(), new_pages = new_doc.doc().GetPageCount();
                if (old_pages != new_pages)
                    out.push_back("the page count changed from " + std::to_string(old_pages) + " to " + std::to_string(new_pages));
                for (int i = 0; i < std::min(old_pages, new_pages); ++i)
                    if (page_fingerprint(old_doc.doc(), i) != page_fingerprint(new_doc.doc(), i))
                        out.push_back("the content of page " + std::to_string(i + 1) + " changed");
                return out.dump();
            } catch (const PdfError& e) {
                throw Error("pades.broken_pdf", 422,
                            std::string("the file is not a readable PDF (") + PdfError::ErrorName(e.GetError()) + ")");
            }
        },
        limits, "pades.limits_exceeded", "the PDF");
    std::vector<std::string> out;
    for (const auto& item : json::parse(text)) out.push_back(item.get<std::string>());
    return out;
}

}  // namespace yq::pades
