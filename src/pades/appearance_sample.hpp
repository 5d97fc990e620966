#pragma once
// A one-page PDF that shows only a signature appearance (#16: the 簽署式樣 of the verification guide and the preview
// on the signing page): the same drawing a signature gets (appearance.hpp), as big as the box, signed by nobody.
// Made by the PDF worker like everything PoDoFo does for the server.
#include <string>
#include <string_view>

#include "pades/appearance.hpp"
#include "pades/pdf_jobs.hpp"

namespace yq::pades {

inline constexpr std::string_view kSampleAppearanceJob = "pdf.sample-appearance";

// Throws 400 "pades.bad_text" (not UTF-8), 400 "pades.bad_size" (the box is not between 60×30 and 600×300 points).
std::string sample_appearance_pdf(PdfParsers& parsers, const AppearanceText& text, const FontFiles& fonts,
                                  double width = 260, double height = 100);

namespace detail {
std::string sample_appearance_job(const std::string& input);
}  // namespace detail

}  // namespace yq::pades
