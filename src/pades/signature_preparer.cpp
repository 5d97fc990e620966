#include "pades/signature_preparer.hpp"

#include <podofo/podofo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "pades/incremental_writer.hpp"
#include "pades/podofo_document.hpp"
#include "pades/worker_input.hpp"

namespace yq::pades {

namespace {

using namespace PoDoFo;
using json = nlohmann::json;

// The field named `full_name` in the AcroForm's field tree.
PdfObject* find_field(PdfVecObjects& objects, PdfObject* fields, const std::string& full_name) {
    return visit_fields(objects, fields, [&](PdfObject*, const std::string& name) { return name == full_name; });
}

// Does any field in the tree carry a signature value?
bool has_signed_field(PdfVecObjects& objects, PdfObject* fields) {
    return visit_fields(objects, fields, [](PdfObject* f, const std::string&) {
               PdfObject* ft = f->GetIndirectKey("FT");
               return f->GetDictionary().HasKey("V") && ft && ft->IsName() && ft->GetName() == PdfName("Sig");
           }) != nullptr;
}

PdfName inherited_field_type(PdfObject* field) {
    for (int i = 0; field && i < 32; ++i) {
        if (const PdfObject* ft = field->GetDictionary().GetKey("FT"); ft && ft->IsName()) return ft->GetName();
        field = field->GetIndirectKey("Parent");
    }
    return PdfName();
}

}  // namespace

// Runs in the isolated child: PoDoFo reads the untrusted file; returns the update section and where its placeholders
// are. No HSM, database or randomness here (the new file /ID comes in the request).
static PreparedSignature prepare_unguarded(std::string_view pdf, SignatureRequest request, const std::string& file_id) {
    PodofoDocument file(pdf);
    PdfMemDocument& doc = file.doc();
    PdfObject* catalog = file.catalog();
    PdfVecObjects& objects = file.objects();

    PdfObject* sig_value = objects.CreateObject();
    request.dictionary.number = static_cast<int>(sig_value->Reference().ObjectNumber());

    // AcroForm (§12.7.3): create or update; SignaturesExist | AppendOnly.
    PdfObject* acroform = catalog->GetIndirectKey("AcroForm");
    if (!acroform) {
        acroform = objects.CreateObject();
        acroform->GetDictionary().AddKey("Fields", PdfArray());
        catalog->GetDictionary().AddKey("AcroForm", acroform->Reference());
        file.mark_changed(catalog);
    } else if (catalog->GetDictionary().GetKey("AcroForm")->IsReference()) {
        file.mark_changed(acroform);
    } else {
        file.mark_changed(catalog);
    }
    if (request.certification < 0 || request.certification > 3)
        throw_bad_input("pades.bad_certification", "certification is 1 (no changes), 2 (forms and signing) or 3 (also annotations)");
    if (request.certification > 0) {
        if (has_signed_field(objects, acroform->GetIndirectKey("Fields")) || catalog->GetDictionary().HasKey("Perms"))
            throw Error("pades.already_signed", 422, "only the first signature of a document can certify it");
        // §12.8.2.2: the signature's /Reference names the DocMDP transform; the catalog's /Perms points at it
        request.dictionary.reference = "[<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type "
                                       "/TransformParams /P " + std::to_string(request.certification) +
                                       " /V /1.2 >> /DigestMethod /SHA256 >>]";
        PdfDictionary perms;
        perms.AddKey("DocMDP", sig_value->Reference());
        catalog->GetDictionary().AddKey("Perms", perms);
        file.mark_changed(catalog);
    }
    acroform->GetDictionary().AddKey("SigFlags", static_cast<pdf_int64>(3));
    acroform->GetDictionary().RemoveKey("NeedAppearances");

    PdfObject* widget = nullptr;
    double w = 0, h = 0;
    if (request.placement.kind == Placement::Kind::Field) {
        PdfObject* field = find_field(objects, acroform->GetIndirectKey("Fields"), request.placement.field_name);
        if (!field) throw Error("pades.no_such_field", 422, "the document has no field named '" + request.placement.field_name + "'");
        if (inherited_field_type(field) != PdfName("Sig"))
            throw Error("pades.not_a_signature_field", 422, "the field '" + request.placement.field_name + "' is not a signature field");
        if (field->GetDictionary().HasKey("V"))
            throw Error("pades.field_signed", 422, "the field '" + request.placement.field_name + "' is already signed");
        field->GetDictionary().AddKey("V", sig_value->Reference());
        file.mark_changed(field);
        widget = field;
        if (!field->GetDictionary().HasKey("Subtype"))
            if (PdfObject* kids = field->GetIndirectKey("Kids"); kids && kids->IsArray() && !kids->GetArray().empty() &&
                                                                  kids->GetArray()[0].IsReference())
                widget = objects.GetObject(kids->GetArray()[0].GetReference());
        if (!widget) throw Error("pades.broken_pdf", 422, "the signature field has no widget");
        file.mark_changed(widget);
        if (const PdfObject* r = widget->GetDictionary().GetKey("Rect"); r && r->IsArray()) {
            PdfRect rect(r->GetArray());
            w = rect.GetWidth();
            h = rect.GetHeight();
        }
    } else {
        int pages = doc.GetPageCount();
        if (request.placement.page < 1 || request.placement.page > pages)
            throw_bad_input("pades.bad_page", "page " + std::to_string(request.placement.page) + " does not exist (the document has " +
                                                  std::to_string(pages) + ")");
        PdfPage* page = doc.GetPage(request.placement.page - 1);
        if (!page || !page->GetObject() || !page->GetObject()->IsDictionary())
            throw Error("pades.broken_pdf", 422, "the file is not a readable PDF (page " +
                                                     std::to_string(request.placement.page) + " is missing from the page tree)");
        PdfObject* page_obj = page->GetObject();
        widget = objects.CreateObject("Annot");
        PdfDictionary& d = widget->GetDictionary();
        d.AddKey("Subtype", PdfName("Widget"));
        d.AddKey("FT", PdfName("Sig"));
        int n = 1;
        std::string name;
        do name = "Signature" + std::to_string(n++);
        while (find_field(objects, acroform->GetIndirectKey("Fields"), name));
        d.AddKey("T", PdfString(name));
        d.AddKey("V", sig_value->Reference());
        d.AddKey("P", page_obj->Reference());
        d.AddKey("F", static_cast<pdf_int64>(4));  // Print (§12.5.3)
        if (request.placement.kind == Placement::Kind::Anchor) {  // the box in the chosen ninth of the media box
            Placement& p = request.placement;
            if (p.anchor < 0 || p.anchor > 8) throw_bad_input("pades.bad_anchor", "the position is 0–8 (row by row from the top left)");
            const double margin = 36;
            PdfRect box = page->GetMediaBox();
            double w_free = std::max(box.GetWidth() - 2 * margin - p.width, 0.0);
            double h_free = std::max(box.GetHeight() - 2 * margin - p.height, 0.0);
            int col = p.anchor % 3, row = p.anchor / 3;
            p.x1 = box.GetLeft() + margin + w_free * col / 2;
            p.y1 = box.GetBottom() + margin + h_free * (2 - row) / 2;
            p.x2 = p.x1 + std::min(p.width, box.GetWidth());
            p.y2 = p.y1 + std::min(p.height, box.GetHeight());
            p.kind = Placement::Kind::Rectangle;
        }
        PdfArray rect;
        if (request.placement.kind == Placement::Kind::Rectangle) {
            const Placement& p = request.placement;
            if (!(p.x2 > p.x1 && p.y2 > p.y1)) throw_bad_input("pades.bad_rect", "the rectangle needs x1 < x2 and y1 < y2");
            PdfRect media = page->GetMediaBox();
            if (p.x2 <= media.GetLeft() || p.x1 >= media.GetLeft() + media.GetWidth() || p.y2 <= media.GetBottom() ||
                p.y1 >= media.GetBottom() + media.GetHeight())
                throw_bad_input("pades.bad_rect", "the rectangle lies outside the page");
            rect.push_back(PdfVariant(p.x1));
            rect.push_back(PdfVariant(p.y1));
            rect.push_back(PdfVariant(p.x2));
            rect.push_back(PdfVariant(p.y2));
            w = p.x2 - p.x1;
            h = p.y2 - p.y1;
        } else {
            for (int i = 0; i < 4; ++i) rect.push_back(PdfVariant(static_cast<pdf_int64>(0)));  // invisible
        }
        d.AddKey("Rect", rect);
        // the widget goes into the page's /Annots, the field into /Fields
        PdfObject* annots = page_obj->GetIndirectKey("Annots");
        if (!annots) {
            page_obj->GetDictionary().AddKey("Annots", PdfArray());
            annots = page_obj->GetDictionary().GetKey("Annots");
            file.mark_changed(page_obj);
        } else if (page_obj->GetDictionary().GetKey("Annots")->IsReference()) {
            file.mark_changed(annots);
        } else {
            file.mark_changed(page_obj);
        }
        annots->GetArray().push_back(widget->Reference());
        PdfObject* fields = acroform->GetIndirectKey("Fields");
        if (!fields) {
            acroform->GetDictionary().AddKey("Fields", PdfArray());
            fields = acroform->GetDictionary().GetKey("Fields");
        } else if (acroform->GetDictionary().GetKey("Fields")->IsReference()) {
            file.mark_changed(fields);
        }
        fields->GetArray().push_back(widget->Reference());
    }
    if (w > 0 && h > 0) {
        PdfObject* form = draw_appearance(doc, request.appearance, w, h, request.fonts);
        PdfDictionary ap;
        ap.AddKey("N", form->Reference());
        widget->GetDictionary().AddKey("AP", ap);
        doc.EmbedSubsetFonts();
    }

    // The update: changed and new objects from PoDoFo, then the signature dictionary as our own text.
    PreparedSignature p;
    p.tail = file.update_section({ObjectText{request.dictionary.number, 0, signature_object_text(request.dictionary)}},
                                 sig_value, file_id);
    std::string marker = std::to_string(request.dictionary.number) + " 0 obj\n<< /Type /" + request.dictionary.type;
    std::size_t at = p.tail.rfind(marker);
    p.placeholder = locate_placeholder(p.tail, at, pdf.size());
    patch_byte_range(p.tail, p.placeholder, pdf.size());
    return p;
}

namespace {

// The job's input: the request as one line of JSON, a newline, then the PDF.
std::string encode_request(const std::string& pdf, const SignatureRequest& r, const std::string& file_id) {
    const Placement& p = r.placement;
    const SignatureDictionary& d = r.dictionary;
    json j = {{"placement",
               {{"kind", static_cast<int>(p.kind)}, {"page", p.page}, {"rect", {p.x1, p.y1, p.x2, p.y2}},
                {"field", p.field_name}, {"anchor", p.anchor}, {"size", {p.width, p.height}}}},
              {"dictionary",
               {{"type", d.type}, {"sub_filter", d.sub_filter}, {"signing_time", d.signing_time}, {"name", d.name},
                {"reason", d.reason}, {"location", d.location}, {"contact_info", d.contact_info},
                {"reserved_bytes", d.reserved_bytes}, {"reference", d.reference}}},
              {"appearance", appearance_to_json(r.appearance)},
              {"fonts", fonts_to_json(r.fonts)},
              {"certification", r.certification},
              {"file_id", file_id}};
    std::string line = job_input_text(j, "the signature's name, reason, location and texts");
    std::string input;
    input.reserve(line.size() + 1 + pdf.size());
    return input.append(line).append("\n").append(pdf);
}

SignatureRequest decode_request(const json& j) {
    SignatureRequest r;
    const json& p = j.at("placement");
    r.placement.kind = static_cast<Placement::Kind>(p.at("kind").get<int>());
    r.placement.page = p.at("page");
    r.placement.x1 = p.at("rect")[0], r.placement.y1 = p.at("rect")[1];
    r.placement.x2 = p.at("rect")[2], r.placement.y2 = p.at("rect")[3];
    r.placement.field_name = p.at("field");
    r.placement.anchor = p.at("anchor");
    r.placement.width = p.at("size")[0], r.placement.height = p.at("size")[1];
    const json& d = j.at("dictionary");
    r.dictionary.type = d.at("type");
    r.dictionary.sub_filter = d.at("sub_filter");
    r.dictionary.signing_time = d.at("signing_time");
    r.dictionary.name = d.at("name");
    r.dictionary.reason = d.at("reason");
    r.dictionary.location = d.at("location");
    r.dictionary.contact_info = d.at("contact_info");
    r.dictionary.reserved_bytes = d.at("reserved_bytes");
    r.dictionary.reference = d.at("reference");
    r.appearance = appearance_from_json(j.at("appearance"));
    r.fonts = fonts_from_json(j.at("fonts"));
    r.certification = j.at("certification");
    return r;
}

}  // namespace

namespace detail {

// In the PDF worker: prepares the update and answers "byte_range_start byte_range_length contents_start
// contents_length\n" + the update section.
std::string prepare_signature_job(const std::string& input) {
    std::size_t eol = input.find('\n');
    if (eol == std::string::npos) throw_internal("pades.internal", "the PDF worker got a malformed request");
    json header = json::parse(input.begin(), input.begin() + static_cast<std::ptrdiff_t>(eol));
    std::string_view pdf(input);  // read where it arrived: a 20 MB document is not copied again (#19)
    pdf.remove_prefix(eol + 1);
    // a broken object found after loading (pages, fields, fonts) is translated by run_pdf_job
    PreparedSignature p = prepare_unguarded(pdf, decode_request(header), header.at("file_id"));
    const Placeholder& h = p.placeholder;
    return std::to_string(h.byte_range_start) + " " + std::to_string(h.byte_range_length) + " " +
           std::to_string(h.contents_start) + " " + std::to_string(h.contents_length) + "\n" + p.tail;
}

}  // namespace detail

PreparedSignature prepare_signature(PdfParsers& parsers, const std::string& pdf, const SignatureRequest& request) {
    std::string file_id = core::hex_encode(core::random_bytes(16));
    std::string message = parsers.run(kPrepareSignatureJob, encode_request(pdf, request, file_id));
    PreparedSignature p;
    p.original = &pdf;
    std::size_t eol = message.find('\n');
    if (eol == std::string::npos ||
        std::sscanf(message.c_str(), "%zu %zu %zu %zu", &p.placeholder.byte_range_start, &p.placeholder.byte_range_length,
                    &p.placeholder.contents_start, &p.placeholder.contents_length) != 4)
        throw Error("pades.internal", 500, "the isolated PDF worker answered nonsense");
    p.tail = message.substr(eol + 1);
    // What the worker wrote is checked, not trusted: the placeholders must lie inside the update it returned.
    std::size_t end = pdf.size() + p.tail.size();
    const Placeholder& h = p.placeholder;
    if (h.byte_range_start < pdf.size() || h.contents_start < pdf.size() || h.byte_range_start + h.byte_range_length > end ||
        h.contents_start + h.contents_length > end || h.contents_length < 2)
        throw Error("pades.internal", 500, "the isolated PDF worker answered nonsense");
    p.digest = byte_range_digest(pdf, p.tail, p.placeholder);
    return p;
}

std::string finish_signature(PreparedSignature prepared, const core::Bytes& der) {
    std::size_t base = prepared.original->size();
    embed_contents(prepared.tail, prepared.placeholder, der, base);
    std::string file;
    file.reserve(base + prepared.tail.size());
    file.append(*prepared.original).append(prepared.tail);
    return file;
}

Placement default_placement() {
    Placement p;
    p.kind = Placement::Kind::Rectangle;
    p.page = 1;
    p.x1 = 36, p.y1 = 36, p.x2 = 296, p.y2 = 136;
    return p;
}

Placement rectangle_from_text(int page, const std::string& text) {
    Placement p;
    p.kind = Placement::Kind::Rectangle;
    p.page = page;
    char tail = 0;
    if (std::sscanf(text.c_str(), "%lf,%lf,%lf,%lf%c", &p.x1, &p.y1, &p.x2, &p.y2, &tail) != 4 || !std::isfinite(p.x1) ||
        !std::isfinite(p.y1) || !std::isfinite(p.x2) || !std::isfinite(p.y2) || !(p.x2 > p.x1 && p.y2 > p.y1))
        throw_bad_input("pades.bad_rect", "the rectangle is four numbers x1,y1,x2,y2 with x1 < x2 and y1 < y2");
    return p;
}

}  // namespace yq::pades
