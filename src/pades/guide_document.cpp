#include "pades/guide_document.hpp"

#include <podofo/podofo.h>

#include <map>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "pades/pdf_text.hpp"
#include "pades/worker_input.hpp"

namespace yq::pades {

using json = nlohmann::json;
using namespace PoDoFo;

namespace {

constexpr double kPageWidth = 595.28, kPageHeight = 841.89;  // ISO 216 A4 in points
constexpr double kMargin = 56;
constexpr double kFigureWidth = 312, kFigureHeight = 120;  // the appearance at 1.2× its 260 × 100 box

struct Style {
    double size;
    double space_before;
    double indent;
    double r, g, b;
};

const std::map<std::string, Style>& styles() {
    static const std::map<std::string, Style> k{
        {"h1", {18, 0, 0, 0.10, 0.23, 0.45}},  {"h2", {13.5, 14, 0, 0.10, 0.23, 0.45}},
        {"h3", {11.5, 10, 0, 0.10, 0.23, 0.45}}, {"p", {10.5, 6, 0, 0, 0, 0}},
        {"li", {10.5, 3, 20, 0, 0, 0}},          {"dt", {10.5, 6, 0, 0.10, 0.23, 0.45}},
        {"dd", {10.5, 1, 20, 0, 0, 0}},          {"code", {9, 3, 0, 0.2, 0.2, 0.2}},
        {"figure", {0, 8, 0, 0, 0, 0}}};
    return k;
}

// Lays the blocks out page by page; the painter always has a page.
class GuideLayout {
public:
    GuideLayout(PdfMemDocument& doc, const FontFiles& fonts, std::string footer)
        : m_doc(doc), m_footer(std::move(footer)) {
        m_cjk = doc.CreateFontSubset("DroidSansFallbackFull", false, false, false,
                                     PdfEncodingFactory::GlobalIdentityEncodingInstance(), fonts.cjk.c_str());
        m_latin = doc.CreateFontSubset("DejaVuSans", false, false, false,
                                       PdfEncodingFactory::GlobalIdentityEncodingInstance(), fonts.latin.c_str());
        if (!m_cjk || !m_latin) throw Error("pades.font_missing", 500, "the guide's fonts are not installed");
        m_writer = std::make_unique<TextWriter>(m_painter, m_latin, m_cjk);
        new_page();
    }

    void text_block(const GuideBlock& b, const Style& st) {
        const double width = kPageWidth - 2 * kMargin - st.indent;
        const double leading = st.size * 1.45;
        m_y -= st.space_before;
        bool first = true;
        for (const std::string& line : wrap_text(*m_writer, b.text, st.size, width)) {
            if (m_y - leading < kMargin) new_page();
            m_y -= leading;
            m_painter.SetColor(st.r, st.g, st.b);
            if (first && !b.marker.empty()) m_writer->draw(kMargin, m_y, b.marker, st.size);
            m_writer->draw(kMargin + st.indent, m_y, line, st.size);
            first = false;
        }
    }

    void figure(PdfXObject& appearance, const Style& st) {
        m_y -= st.space_before;
        if (m_y - kFigureHeight < kMargin) new_page();
        m_y -= kFigureHeight;
        m_painter.DrawXObject(kMargin, m_y, &appearance, kFigureWidth / 260.0, kFigureHeight / 100.0);
    }

    void finish() {
        write_footer();
        m_painter.FinishPage();
    }

private:
    void new_page() {
        if (m_page) finish();
        m_page = m_doc.CreatePage(PdfRect(0, 0, kPageWidth, kPageHeight));
        m_painter.SetPage(m_page);
        ++m_number;
        m_y = kPageHeight - kMargin;
    }
    void write_footer() {
        m_painter.SetColor(0.35, 0.35, 0.35);
        const std::string line = m_footer + "  ·  " + std::to_string(m_number);
        m_writer->draw(kMargin, kMargin / 2, line, 8);
    }

    PdfMemDocument& m_doc;
    std::string m_footer;
    PdfFont* m_cjk = nullptr;
    PdfFont* m_latin = nullptr;
    PdfPainter m_painter;
    std::unique_ptr<TextWriter> m_writer;
    PdfPage* m_page = nullptr;
    int m_number = 0;
    double m_y = 0;
};

}  // namespace

std::string guide_document_pdf(PdfParsers& parsers, const std::vector<GuideBlock>& blocks, const AppearanceText& sample,
                               const FontFiles& fonts, const std::string& footer) {
    if (blocks.empty()) throw_bad_input("pades.bad_guide", "the guide has nothing to print");
    json j = {{"blocks", json::array()},
              {"appearance", appearance_to_json(sample)},
              {"fonts", fonts_to_json(fonts)},
              {"footer", footer}};
    for (const auto& b : blocks) {
        if (!styles().count(b.kind)) throw_bad_input("pades.bad_guide", "unknown guide block kind '" + b.kind + "'");
        j["blocks"].push_back({{"kind", b.kind}, {"text", b.text}, {"marker", b.marker}});
    }
    return run_document_job(parsers, kGuideDocumentJob, job_input_text(j, "the guide's texts"));
}

namespace detail {

std::string guide_document_job(const std::string& input) {
    json j = json::parse(input);
    AppearanceText sample = appearance_from_json(j.at("appearance"));
    FontFiles fonts = fonts_from_json(j.at("fonts"));

    PdfMemDocument doc;
    PdfXObject appearance(draw_appearance(doc, sample, 260, 100, fonts));
    GuideLayout layout(doc, fonts, j.at("footer"));
    for (const json& b : j.at("blocks")) {
        GuideBlock block{b.at("kind"), b.at("text"), b.at("marker")};
        auto style = styles().find(block.kind);
        if (style == styles().end()) throw_bad_input("pades.bad_guide", "unknown guide block kind");
        if (block.kind == "figure") {
            layout.figure(appearance, style->second);
        } else {
            layout.text_block(block, style->second);
        }
    }
    layout.finish();
    doc.GetInfo()->SetTitle(pdf_string(j.at("blocks")[0].at("text").get<std::string>()));
    return document_bytes(doc);
}

}  // namespace detail

}  // namespace yq::pades
