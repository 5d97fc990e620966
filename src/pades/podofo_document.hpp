#pragma once
// What every PoDoFo-based step shares (private to pades/): loading untrusted bytes with PoDoFo quiet, remembering
// which objects existed, and turning the changed and new objects into an incremental update.
#include <podofo/podofo.h>

#include <memory>
#include <functional>
#include <istream>
#include <set>
#include <string>
#include <string_view>

#include "pades/incremental_writer.hpp"

namespace yq::pades {

// Visits every field of an AcroForm field tree with its full name (partial names joined by '.', ISO 32000-2
// §12.7.4.2), depth-limited; stops when `visit` returns true and returns that field.
PoDoFo::PdfObject* visit_fields(PoDoFo::PdfVecObjects& objects, PoDoFo::PdfObject* fields,
                                const std::function<bool(PoDoFo::PdfObject* field, const std::string& name)>& visit);

// A PoDoFo error on untrusted input as the caller sees it: 422 "pades.limits_exceeded" when PoDoFo ran out of memory,
// otherwise 422 "pades.broken_pdf" naming PoDoFo's error.
[[noreturn]] void throw_pdf_error(const PoDoFo::PdfError& e);

class PodofoDocument {
public:
    // Throws 422 "pades.broken_pdf" or "pades.encrypted".
    // `pdf` is read where it lies (no copy) and must outlive this object.
    explicit PodofoDocument(std::string_view pdf);
    ~PodofoDocument();
    PodofoDocument(const PodofoDocument&) = delete;
    PodofoDocument& operator=(const PodofoDocument&) = delete;

    PoDoFo::PdfMemDocument& doc() { return m_doc; }
    PoDoFo::PdfVecObjects& objects() { return m_doc.GetObjects(); }
    PoDoFo::PdfObject* catalog() { return m_doc.GetCatalog(); }
    PoDoFo::PdfObject* trailer() { return const_cast<PoDoFo::PdfObject*>(m_doc.GetTrailer()); }

    // An existing object that will be written again.
    void mark_changed(const PoDoFo::PdfObject* o) { m_changed.insert(o->Reference()); }
    // The update section to append: changed objects, new ones, then `extra` (text the caller wrote itself, e.g. a
    // signature dictionary whose object `skip` must not be serialised by PoDoFo). `new_id` gives the file a new second
    // /ID element (hex of 16 random bytes chosen by the caller).
    std::string update_section(const std::vector<ObjectText>& extra, const PoDoFo::PdfObject* skip,
                               const std::string& new_id_hex);
    std::int64_t previous_size();

private:
    std::string_view m_pdf;
    class MemoryReader;
    std::unique_ptr<MemoryReader> m_buffer;
    std::unique_ptr<std::istream> m_stream;  // PoDoFo reads the document through it, lazily (objects on demand)
    XrefTail m_tail;
    PoDoFo::PdfMemDocument m_doc;
    std::set<PoDoFo::PdfReference> m_existing;
    std::set<PoDoFo::PdfReference> m_changed;
};

}  // namespace yq::pades
