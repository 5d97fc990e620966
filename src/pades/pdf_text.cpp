#include "pades/pdf_text.hpp"

#include <algorithm>

namespace yq::pades {

using namespace PoDoFo;

namespace {

std::size_t utf8_length(unsigned char c) { return c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4; }

// Units a line may break between: a Latin word with the spaces after it, or one CJK character.
std::vector<std::string> break_units(const std::string& text) {
    std::vector<std::string> units;
    for (const TextRun& r : runs_of(text)) {
        if (r.cjk) {
            for (std::size_t i = 0; i < r.text.size();) {
                std::size_t n = utf8_length(static_cast<unsigned char>(r.text[i]));
                units.push_back(r.text.substr(i, n));
                i += n;
            }
            continue;
        }
        std::string word;
        for (char ch : r.text) {
            word += ch;
            if (ch == ' ') {
                units.push_back(word);
                word.clear();
            }
        }
        if (!word.empty()) units.push_back(word);
    }
    return units;
}

// CJK punctuation that never starts a line (JIS X 4051 / W3C clreq line-start prohibition): it stays with the line
// before, a little past the measure.
bool never_starts_a_line(const std::string& unit) {
    static const std::vector<std::string> k{"，", "。", "、", "：", "；", "！", "？", "）", "」", "』", "》", "〉", "．"};
    return std::find(k.begin(), k.end(), unit) != k.end();
}

std::string trim_right(std::string s) {
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
}

}  // namespace

std::vector<TextRun> runs_of(const std::string& s) {
    std::vector<TextRun> out;
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        std::size_t len = utf8_length(c);
        unsigned cp = c;
        if (len > 1 && i + len <= s.size()) {
            cp = c & (0xFF >> (len + 1));
            for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        }
        bool cjk = cp >= 0x2E80 && !(cp >= 0xFE00 && cp <= 0xFE0F);
        if (out.empty() || out.back().cjk != cjk) out.push_back(TextRun{"", cjk});
        out.back().text += s.substr(i, len);
        i += len;
    }
    return out;
}

PdfString pdf_string(const std::string& utf8) { return PdfString(reinterpret_cast<const pdf_utf8*>(utf8.c_str())); }

double TextWriter::width(const std::string& line, double size) {
    double w = 0;
    for (const TextRun& r : runs_of(line)) {
        PdfFont* f = r.cjk ? m_cjk : m_latin;
        f->SetFontSize(static_cast<float>(size));
        w += f->GetFontMetrics()->StringWidth(pdf_string(r.text));
    }
    return w;
}

void TextWriter::draw(double x, double y, const std::string& line, double size) {
    for (const TextRun& r : runs_of(line)) {
        PdfFont* f = r.cjk ? m_cjk : m_latin;
        f->SetFontSize(static_cast<float>(size));
        m_painter.SetFont(f);
        PdfString s = pdf_string(r.text);
        m_painter.DrawText(x, y, s);
        x += f->GetFontMetrics()->StringWidth(s);
    }
}

std::vector<std::string> wrap_text(TextWriter& writer, const std::string& text, double size, double max_width) {
    std::vector<std::string> lines;
    std::string line;
    std::vector<std::string> units;
    for (const std::string& unit : break_units(text)) {
        if (writer.width(trim_right(unit), size) <= max_width) {
            units.push_back(unit);
            continue;
        }
        std::string piece;  // a word wider than a line (a fingerprint, a URL) is cut between characters
        for (std::size_t i = 0; i < unit.size();) {
            std::size_t n = utf8_length(static_cast<unsigned char>(unit[i]));
            if (!piece.empty() && writer.width(piece + unit.substr(i, n), size) > max_width) {
                units.push_back(piece);
                piece.clear();
            }
            piece += unit.substr(i, n);
            i += n;
        }
        if (!piece.empty()) units.push_back(piece);
    }
    for (const std::string& unit : units) {
        if (line.empty() || never_starts_a_line(unit) || writer.width(trim_right(line + unit), size) <= max_width) {
            line += unit;
            continue;
        }
        lines.push_back(trim_right(line));
        line = unit;
    }
    if (!trim_right(line).empty()) lines.push_back(trim_right(line));
    return lines;
}

}  // namespace yq::pades
