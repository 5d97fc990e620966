#include "pades/podofo_document.hpp"

#include "core/error.hpp"

namespace yq::pades {

namespace {

using namespace PoDoFo;

struct QuietPodofo {
    QuietPodofo() {
        PdfError::EnableDebug(false);
        PdfError::EnableLogging(false);
    }
};

}  // namespace

// A read-only, seekable view of the document's bytes (no copy).
class PodofoDocument::MemoryReader : public std::streambuf {
public:
    explicit MemoryReader(std::string_view data) {
        char* p = const_cast<char*>(data.data());  // never written: this buffer has no put area
        setg(p, p, p + data.size());
    }

protected:
    pos_type seekoff(off_type off, std::ios_base::seekdir dir, std::ios_base::openmode) override {
        off_type base = dir == std::ios_base::beg ? 0 : dir == std::ios_base::cur ? gptr() - eback() : egptr() - eback();
        off_type target = base + off;
        if (target < 0 || target > egptr() - eback()) return pos_type(off_type(-1));
        setg(eback(), eback() + target, egptr());
        return pos_type(target);
    }
    pos_type seekpos(pos_type pos, std::ios_base::openmode which) override {
        return seekoff(off_type(pos), std::ios_base::beg, which);
    }
};

namespace {

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

}  // namespace

void throw_pdf_error(const PdfError& e) {
    if (e.GetError() == ePdfError_OutOfMemory)
        throw Error("pades.limits_exceeded", 422, "the PDF needs more memory than it may use");
    throw Error("pades.broken_pdf", 422,
                std::string("the file is not a readable PDF (") + PdfError::ErrorName(e.GetError()) + ")");
}

PodofoDocument::PodofoDocument(std::string_view pdf) : m_pdf(pdf) {
    static QuietPodofo quiet;
    m_tail = read_xref_tail(pdf);
    try {
        // Read through a stream over our buffer: LoadFromBuffer would copy the whole document first.
        m_buffer = std::make_unique<MemoryReader>(pdf);
        m_stream = std::make_unique<std::istream>(m_buffer.get());
        m_doc.LoadFromDevice(PdfRefCountedInputDevice(new PdfInputDevice(m_stream.get())));
    } catch (const PdfError& e) {
        if (e.GetError() == ePdfError_InvalidPassword)
            throw Error("pades.encrypted", 422, "encrypted PDFs cannot be signed; remove the password first");
        throw_pdf_error(e);
    }
    if (!trailer() || trailer()->GetDictionary().HasKey("Encrypt") || m_doc.GetEncrypt())
        throw Error("pades.encrypted", 422, "encrypted PDFs cannot be signed; remove the password first");
    if (!catalog() || !catalog()->IsDictionary())
        throw Error("pades.broken_pdf", 422, "the file is not a readable PDF (no catalog)");
    // New objects get numbers above every number the file has used: PoDoFo frees the object streams it unpacked, and
    // reusing their numbers would break the objects the earlier xref stream still locates inside them.
    objects().SetCanReuseObjectNumbers(false);
    // ... and above the trailer's /Size, which may be larger than the entries PoDoFo found (ISO 32000-2 §7.5.5).
    std::int64_t size = previous_size();
    if (size < 1 || size > 8388607)  // Annex C: the largest object number is 8,388,607
        throw Error("pades.broken_pdf", 422, "the file is not a readable PDF (the trailer /Size is out of range)");
    objects().SetObjectCount(PdfReference(static_cast<pdf_objnum>(size - 1), 0));
    for (PdfObject* o : objects()) m_existing.insert(o->Reference());
}

namespace {
PdfObject* visit_fields_from(PdfVecObjects& objects, PdfObject* fields, const std::string& prefix,
                             const std::function<bool(PdfObject*, const std::string&)>& visit, int depth) {
    if (!fields || !fields->IsArray() || depth > 32) return nullptr;
    for (const PdfObject& item : fields->GetArray()) {
        PdfObject* f = item.IsReference() ? objects.GetObject(item.GetReference()) : nullptr;
        if (!f || !f->IsDictionary()) continue;
        std::string name = prefix;
        if (const PdfObject* t = f->GetDictionary().GetKey("T"); t && t->IsString())
            name += (name.empty() ? "" : ".") + t->GetString().GetStringUtf8();
        if (visit(f, name)) return f;
        if (PdfObject* found = visit_fields_from(objects, f->GetIndirectKey("Kids"), name, visit, depth + 1)) return found;
    }
    return nullptr;
}
}  // namespace

PdfObject* visit_fields(PdfVecObjects& objects, PdfObject* fields,
                        const std::function<bool(PdfObject*, const std::string&)>& visit) {
    return visit_fields_from(objects, fields, "", visit, 0);
}

namespace {
// New objects are numbered from the trailer's /Size up (see the constructor); one below it means the file's
// cross-reference data and its /Size disagree (#17 fuzzing: an xref stream repeating its keys). The file's fault.
[[noreturn]] void throw_number_reused() {
    throw Error("pades.broken_pdf", 422,
                "the file is not a readable PDF (its cross-reference data disagrees with its trailer /Size, so a new "
                "object would take a number the file already uses)");
}
}  // namespace

PodofoDocument::~PodofoDocument() = default;

std::int64_t PodofoDocument::previous_size() { return trailer()->GetDictionary().GetKeyAsLong("Size", 0); }

std::string PodofoDocument::update_section(const std::vector<ObjectText>& extra, const PdfObject* skip,
                                          const std::string& new_id_hex) {
    std::vector<ObjectText> out;
    for (const PdfReference& r : m_changed)
        if (PdfObject* o = objects().GetObject(r))
            out.push_back(ObjectText{static_cast<int>(r.ObjectNumber()), r.GenerationNumber(), object_text(o)});
    std::int64_t size = previous_size();
    for (PdfObject* o : objects()) {
        if (m_existing.count(o->Reference()) || m_changed.count(o->Reference()) || o == skip) continue;
        if (static_cast<std::int64_t>(o->Reference().ObjectNumber()) < size) throw_number_reused();
        out.push_back(ObjectText{static_cast<int>(o->Reference().ObjectNumber()), o->Reference().GenerationNumber(),
                                 object_text(o)});
    }
    for (const ObjectText& e : extra) {
        if (e.number < size) throw_number_reused();
        out.push_back(e);
    }
    TrailerFields t;
    t.size = size;
    t.root = reference_text(catalog()->Reference());
    if (const PdfObject* info = trailer()->GetDictionary().GetKey("Info"); info && info->IsReference())
        t.info = reference_text(info->GetReference());
    std::string first, second;
    if (const PdfObject* id = trailer()->GetDictionary().GetKey("ID"); id && id->IsArray() && id->GetArray().size() == 2) {
        first = variant_text(id->GetArray()[0]);
        second = variant_text(id->GetArray()[1]);
    }
    if (first.empty()) first = "<" + new_id_hex + ">";
    if (second.empty() || !new_id_hex.empty()) second = "<" + new_id_hex + ">";
    t.id = "[" + first + second + "]";  // §14.4: the first element stays, the second changes with the revision
    return pades::update_section(m_pdf, out, t, m_tail);
}

}  // namespace yq::pades
