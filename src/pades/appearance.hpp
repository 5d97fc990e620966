#pragma once
// The visible signature appearance ("簽署式樣"): a box with the signer's name (Chinese and Latin), agency and title,
// date and time in office time, reason and location, and a QR code that opens the verify page. Chinese is drawn with
// a subset of a TrueType CJK font (DroidSansFallbackFull: Traditional Chinese coverage), Latin with DejaVu Sans —
// both embedded as Type0/Identity-H subsets with ToUnicode, so the text stays extractable.
#include <string>

namespace PoDoFo {
class PdfMemDocument;
class PdfObject;
}  // namespace PoDoFo

namespace yq::pades {

struct AppearanceText {
    std::string signer_name;  // "陳大文 Chan Tai Man"
    std::string agency;
    std::string title;
    std::string time_text;  // "2026-11-25 22:15 (Asia/Macau)"
    std::string reason;
    std::string location;
    std::string verify_url;  // QR code target; no QR when empty
    std::string image;       // optional PNG or JPEG (e.g. a handwritten signature), drawn at the right
};

struct FontFiles {
    std::string cjk = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf";
    std::string latin = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
};

// Draws the appearance into a new form XObject of width × height points and returns its object. A bad image gives
// 400 "pades.bad_image".
PoDoFo::PdfObject* draw_appearance(PoDoFo::PdfMemDocument& doc, const AppearanceText& text, double width, double height,
                                   const FontFiles& fonts);

}  // namespace yq::pades
