#include "pades/signature_preparer.hpp"

#include <podofo/podofo.h>

#include <functional>
#include <set>

#include "core/error.hpp"
#include "pades/incremental_writer.hpp"

namespace yq::pades {

namespace {

using namespace PoDoFo;

struct QuietPodofo {
    QuietPodofo() {
        PdfError::EnableDebug(false);
        PdfError::EnableLogging(false);
    }
};

std::string reference_text(const PdfReference& r) {
    return std::to_string(r.ObjectNumber()) + " " + std::to_string(r.GenerationNumber()) + " R";
}

std::string object_text(PdfObject* o) {
    PdfRefCountedBuffer buffer;
    PdfOutputDevice device(&buffer);
    o->WriteObject(&device, ePdfWriteMode_Compact, nullptr);
    return std::string(buffer.GetBuffer(), device.GetLength());
}

std::string variant_text(const PdfObject& o) {
    std::string s;
    o.ToString(s, ePdfWriteMode_Compact);
    return s;
}

// The terminal field named `full_name` in the AcroForm's field tree (partial names joined by '.', §12.7.4.2).
PdfObject* find_field(PdfVecObjects& objects, PdfObject* fields, const std::string& prefix, const std::string& full_name,
                      int depth = 0) {
    if (!fields || !fields->IsArray() || depth > 32) return nullptr;
    for (const PdfObject& item : fields->GetArray()) {
        PdfObject* f = item.IsReference() ? objects.GetObject(item.GetReference()) : nullptr;
        if (!f || !f->IsDictionary()) continue;
        std::string name = prefix;
        if (const PdfObject* t = f->GetDictionary().GetKey("T"); t && t->IsString())
            name += (name.empty() ? "" : ".") + t->GetString().GetStringUtf8();
        if (name == full_name) return f;
        if (PdfObject* kids = f->GetIndirectKey("Kids"))
            if (PdfObject* found = find_field(objects, kids, name, full_name, depth + 1)) return found;
    }
    return nullptr;
}

PdfName inherited_field_type(PdfObject* field) {
    for (int i = 0; field && i < 32; ++i) {
        if (const PdfObject* ft = field->GetDictionary().GetKey("FT"); ft && ft->IsName()) return ft->GetName();
        field = field->GetIndirectKey("Parent");
    }
    return PdfName();
}

}  // namespace

PreparedSignature prepare_signature(const std::string& pdf, SignatureRequest request) {
    static QuietPodofo quiet;
    XrefTail tail = read_xref_tail(pdf);
    PdfMemDocument doc;
    try {
        doc.LoadFromBuffer(pdf.data(), static_cast<long>(pdf.size()));
    } catch (const PdfError& e) {
        if (e.GetError() == ePdfError_InvalidPassword)
            throw Error("pades.encrypted", 422, "encrypted PDFs cannot be signed; remove the password first");
        throw Error("pades.broken_pdf", 422, std::string("the file is not a readable PDF (") + PdfError::ErrorName(e.GetError()) + ")");
    }
    PdfObject* trailer = const_cast<PdfObject*>(doc.GetTrailer());
    if (!trailer || trailer->GetDictionary().HasKey("Encrypt") || doc.GetEncrypt())
        throw Error("pades.encrypted", 422, "encrypted PDFs cannot be signed; remove the password first");
    PdfObject* catalog = doc.GetCatalog();
    if (!catalog || !catalog->IsDictionary()) throw Error("pades.broken_pdf", 422, "the file is not a readable PDF (no catalog)");

    PdfVecObjects& objects = doc.GetObjects();
    // New objects get numbers above every number the file has used: PoDoFo frees the object streams it unpacked, and
    // reusing their numbers would break the objects the earlier xref stream still locates inside them.
    objects.SetCanReuseObjectNumbers(false);
    std::set<PdfReference> existing;
    for (PdfObject* o : objects) existing.insert(o->Reference());
    std::set<PdfReference> changed;

    PdfObject* sig_value = objects.CreateObject();
    request.dictionary.number = static_cast<int>(sig_value->Reference().ObjectNumber());

    // AcroForm (§12.7.3): create or update; SignaturesExist | AppendOnly.
    PdfObject* acroform = catalog->GetIndirectKey("AcroForm");
    if (!acroform) {
        acroform = objects.CreateObject();
        acroform->GetDictionary().AddKey("Fields", PdfArray());
        catalog->GetDictionary().AddKey("AcroForm", acroform->Reference());
        changed.insert(catalog->Reference());
    } else if (catalog->GetDictionary().GetKey("AcroForm")->IsReference()) {
        changed.insert(acroform->Reference());
    } else {
        changed.insert(catalog->Reference());
    }
    acroform->GetDictionary().AddKey("SigFlags", static_cast<pdf_int64>(3));
    acroform->GetDictionary().RemoveKey("NeedAppearances");

    PdfObject* widget = nullptr;
    double w = 0, h = 0;
    if (request.placement.kind == Placement::Kind::Field) {
        PdfObject* field = find_field(objects, acroform->GetIndirectKey("Fields"), "", request.placement.field_name);
        if (!field) throw Error("pades.no_such_field", 422, "the document has no field named '" + request.placement.field_name + "'");
        if (inherited_field_type(field) != PdfName("Sig"))
            throw Error("pades.not_a_signature_field", 422, "the field '" + request.placement.field_name + "' is not a signature field");
        if (field->GetDictionary().HasKey("V"))
            throw Error("pades.field_signed", 422, "the field '" + request.placement.field_name + "' is already signed");
        field->GetDictionary().AddKey("V", sig_value->Reference());
        changed.insert(field->Reference());
        widget = field;
        if (!field->GetDictionary().HasKey("Subtype"))
            if (PdfObject* kids = field->GetIndirectKey("Kids"); kids && kids->IsArray() && !kids->GetArray().empty() &&
                                                                  kids->GetArray()[0].IsReference())
                widget = objects.GetObject(kids->GetArray()[0].GetReference());
        if (!widget) throw Error("pades.broken_pdf", 422, "the signature field has no widget");
        changed.insert(widget->Reference());
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
        PdfObject* page_obj = page->GetObject();
        widget = objects.CreateObject("Annot");
        PdfDictionary& d = widget->GetDictionary();
        d.AddKey("Subtype", PdfName("Widget"));
        d.AddKey("FT", PdfName("Sig"));
        int n = 1;
        std::string name;
        do name = "Signature" + std::to_string(n++);
        while (find_field(objects, acroform->GetIndirectKey("Fields"), "", name));
        d.AddKey("T", PdfString(name));
        d.AddKey("V", sig_value->Reference());
        d.AddKey("P", page_obj->Reference());
        d.AddKey("F", static_cast<pdf_int64>(4));  // Print (§12.5.3)
        PdfArray rect;
        if (request.placement.kind == Placement::Kind::Rectangle) {
            const Placement& p = request.placement;
            if (!(p.x2 > p.x1 && p.y2 > p.y1)) throw_bad_input("pades.bad_rect", "the rectangle needs x1 < x2 and y1 < y2");
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
            changed.insert(page_obj->Reference());
        } else if (page_obj->GetDictionary().GetKey("Annots")->IsReference()) {
            changed.insert(annots->Reference());
        } else {
            changed.insert(page_obj->Reference());
        }
        annots->GetArray().push_back(widget->Reference());
        PdfObject* fields = acroform->GetIndirectKey("Fields");
        if (!fields) {
            acroform->GetDictionary().AddKey("Fields", PdfArray());
            fields = acroform->GetDictionary().GetKey("Fields");
        } else if (acroform->GetDictionary().GetKey("Fields")->IsReference()) {
            changed.insert(fields->Reference());
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

    // Serialise: changed objects, then the new ones (numbers ascending); the signature value object is our text.
    std::vector<ObjectText> out;
    for (const PdfReference& r : changed)
        if (PdfObject* o = objects.GetObject(r))
            out.push_back(ObjectText{static_cast<int>(r.ObjectNumber()), r.GenerationNumber(), object_text(o)});
    std::vector<PdfObject*> fresh;
    for (PdfObject* o : objects)
        if (!existing.count(o->Reference()) && o != sig_value && !changed.count(o->Reference())) fresh.push_back(o);
    std::int64_t previous_size = trailer->GetDictionary().GetKeyAsLong("Size", 0);
    for (PdfObject* o : fresh)
        if (static_cast<std::int64_t>(o->Reference().ObjectNumber()) < previous_size)
            throw Error("pades.internal", 500, "a new object would reuse an object number of the original file");
    if (request.dictionary.number < previous_size)
        throw Error("pades.internal", 500, "a new object would reuse an object number of the original file");
    for (PdfObject* o : fresh)
        out.push_back(ObjectText{static_cast<int>(o->Reference().ObjectNumber()), o->Reference().GenerationNumber(), object_text(o)});
    out.push_back(ObjectText{request.dictionary.number, 0, signature_object_text(request.dictionary)});

    TrailerFields t;
    t.size = previous_size;
    t.root = reference_text(catalog->Reference());
    if (const PdfObject* info = trailer->GetDictionary().GetKey("Info"); info && info->IsReference())
        t.info = reference_text(info->GetReference());
    std::string first_id;
    if (const PdfObject* id = trailer->GetDictionary().GetKey("ID"); id && id->IsArray() && !id->GetArray().empty())
        first_id = variant_text(id->GetArray()[0]);
    if (first_id.empty()) first_id = "<" + core::hex_encode(core::random_bytes(16)) + ">";
    t.id = "[" + first_id + "<" + core::hex_encode(core::random_bytes(16)) + ">]";

    PreparedSignature p;
    p.file = append_update(pdf, out, t, tail);
    std::string marker = std::to_string(request.dictionary.number) + " 0 obj\n<< /Type /" + request.dictionary.type;
    std::size_t at = p.file.rfind(marker);
    p.placeholder = locate_placeholder(p.file, at);
    patch_byte_range(p.file, p.placeholder);
    p.digest = byte_range_digest(p.file, p.placeholder);
    return p;
}

std::string finish_signature(PreparedSignature prepared, const core::Bytes& der) {
    embed_contents(prepared.file, prepared.placeholder, der);
    return std::move(prepared.file);
}

}  // namespace yq::pades
