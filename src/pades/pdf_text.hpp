#pragma once
// Text in PDFs that mixes Traditional Chinese and Latin (#16: the signature appearance and the verification guide):
// each run of CJK characters is drawn with the CJK font, the rest with the Latin one, and widths are measured the same
// way so lines can be fitted and wrapped. PoDoFo 0.9.8 fonts: Type0/Identity-H subsets, so text stays extractable.
#include <string>
#include <vector>

#include <podofo/podofo.h>

namespace yq::pades {

struct TextRun {
    std::string text;
    bool cjk = false;
};

// Splits UTF-8 text into runs for the CJK font (CJK radicals and above, full-width forms) and the Latin font.
std::vector<TextRun> runs_of(const std::string& s);

PoDoFo::PdfString pdf_string(const std::string& utf8);

class TextWriter {
public:
    TextWriter(PoDoFo::PdfPainter& painter, PoDoFo::PdfFont* latin, PoDoFo::PdfFont* cjk)
        : m_painter(painter), m_latin(latin), m_cjk(cjk) {}
    double width(const std::string& line, double size);
    void draw(double x, double y, const std::string& line, double size);

private:
    PoDoFo::PdfPainter& m_painter;
    PoDoFo::PdfFont* m_latin;
    PoDoFo::PdfFont* m_cjk;
};

// Breaks `text` into lines no wider than `max_width` at `size`: between words of Latin text and between any two CJK
// characters; a word longer than a line is cut where it must be.
std::vector<std::string> wrap_text(TextWriter& writer, const std::string& text, double size, double max_width);

}  // namespace yq::pades
