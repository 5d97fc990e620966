#pragma once
// Prepares a PDF for one more signature as an incremental update: the signature field and widget (new, or an existing
// empty field by name), its appearance, the AcroForm, and the signature dictionary with placeholders; computes the
// digest of the byte ranges. PoDoFo parses and builds objects; pades/incremental_writer writes the section.
// Error style: throws yq::Error — 422 "pades.broken_pdf" | "pades.encrypted" | "pades.no_such_field" |
// "pades.field_signed" | "pades.not_a_signature_field" | "pades.already_signed", 400 "pades.bad_page" | "pades.bad_rect" |
// "pades.bad_certification",
// 413 "pades.contents_too_small".
#include <string>

#include "core/bytes.hpp"
#include "pades/appearance.hpp"
#include "pades/pdf_jobs.hpp"
#include "pades/signature_dictionary.hpp"

namespace yq::pades {

struct Placement {
    // Anchor: a box of `width` × `height` points in one of nine places on the page (what a person picks on a page
    // outline): `anchor` 0–8 row by row from the top left, 7 = bottom centre; 36 pt from the media box's edges.
    enum class Kind { Invisible, Rectangle, Field, Anchor };
    Kind kind = Kind::Invisible;
    int page = 1;  // 1-based
    double x1 = 0, y1 = 0, x2 = 0, y2 = 0;  // default user space, points
    std::string field_name;
    int anchor = 7;
    double width = 240, height = 90;
};

// Where a visible signature goes when the caller names no place: a 260 × 100 pt box 36 pt from the bottom left corner
// of page 1 (the CSC signDoc route and the signing API share it).
Placement default_placement();

// A visible box from its text "x1,y1,x2,y2" (points, the page's user space) on 1-based `page`. Throws 400
// "pades.bad_rect" unless it is four finite numbers with x1 < x2 and y1 < y2.
Placement rectangle_from_text(int page, const std::string& text);

struct SignatureRequest {
    Placement placement;
    SignatureDictionary dictionary;  // number is assigned here; time, reason, location, name from the caller
    AppearanceText appearance;       // used for visible signatures
    FontFiles fonts;
    // Certification (DocMDP, ISO 32000-2 §12.8.2.2): 0 = an ordinary approval signature; 1 = no changes allowed;
    // 2 = form filling and signing; 3 = also annotations. Only the first signature of a document may certify.
    int certification = 0;
};

struct PreparedSignature {
    const std::string* original = nullptr;  // the document as given; it must outlive this object (never copied)
    std::string tail;                       // the update section that adds the signature
    Placeholder placeholder;                // offsets in original ‖ tail
    core::Bytes digest;                     // SHA-256 of the byte ranges
};

// The untrusted PDF is parsed by `parsers` (the PDF worker, pades/pdf_jobs.hpp). Over limits: 422
// "pades.limits_exceeded"; a file that made the parser attempt a forbidden operation: 422 "isolation.forbidden_call".
PreparedSignature prepare_signature(PdfParsers& parsers, const std::string& pdf, const SignatureRequest& request);

// Puts the CMS (or RFC 3161 token) into the prepared update and returns the finished document.
std::string finish_signature(PreparedSignature prepared, const core::Bytes& der);

}  // namespace yq::pades
