#include "pades/appearance_sample.hpp"

#include <podofo/podofo.h>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "pades/worker_input.hpp"

namespace yq::pades {

using json = nlohmann::json;
using namespace PoDoFo;

std::string sample_appearance_pdf(PdfParsers& parsers, const AppearanceText& text, const FontFiles& fonts, double width,
                                  double height) {
    if (!(width >= 60 && width <= 600 && height >= 30 && height <= 300))
        throw_bad_input("pades.bad_size", "the appearance box is 60×30 to 600×300 points");
    json j = {{"appearance", appearance_to_json(text)}, {"fonts", fonts_to_json(fonts)}, {"size", {width, height}}};
    return run_document_job(parsers, kSampleAppearanceJob, job_input_text(j, "the appearance's texts"));
}

namespace detail {

// In the PDF worker: a new document of one page the size of the box, the appearance drawn on it.
std::string sample_appearance_job(const std::string& input) {
    json j = json::parse(input);
    AppearanceText text = appearance_from_json(j.at("appearance"));
    FontFiles fonts = fonts_from_json(j.at("fonts"));
    double width = j.at("size")[0], height = j.at("size")[1];

    PdfMemDocument doc;
    PdfPage* page = doc.CreatePage(PdfRect(0, 0, width, height));
    PdfXObject appearance(draw_appearance(doc, text, width, height, fonts));
    PdfPainter painter;
    painter.SetPage(page);
    painter.DrawXObject(0, 0, &appearance);
    painter.FinishPage();
    return document_bytes(doc);
}

}  // namespace detail

}  // namespace yq::pades
