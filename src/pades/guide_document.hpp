#pragma once
// The printable PDF of the verification guide (#16 電子簽署驗證指引): the guide's text in one language, laid out on A4
// pages with the real signature appearance (簽署式樣) drawn where the guide shows it. The text comes from the web
// site's catalogue (what the guide page says); the layout — wrapping Chinese and Latin, page breaks, page numbers —
// is done here, in the PDF worker, like everything PoDoFo does for the server.
#include <string>
#include <string_view>
#include <vector>

#include "pades/appearance.hpp"
#include "pades/pdf_jobs.hpp"

namespace yq::pades {

inline constexpr std::string_view kGuideDocumentJob = "pdf.guide";

struct GuideBlock {
    std::string kind;  // h1 | h2 | h3 | p | li | dt | dd | code | figure (the appearance; no text)
    std::string text;
    std::string marker;  // a list item's number or bullet
};

// Throws 400 "pades.bad_text" (not UTF-8) or 400 "pades.bad_guide" (an unknown block kind, or nothing to print).
std::string guide_document_pdf(PdfParsers& parsers, const std::vector<GuideBlock>& blocks, const AppearanceText& sample,
                               const FontFiles& fonts, const std::string& footer);

namespace detail {
std::string guide_document_job(const std::string& input);
}  // namespace detail

}  // namespace yq::pades
