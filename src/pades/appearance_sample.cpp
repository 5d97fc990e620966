#include "pades/appearance_sample.hpp"

#include <podofo/podofo.h>

#include <nlohmann/json.hpp>

#include "core/bytes.hpp"
#include "core/error.hpp"

namespace yq::pades {

using json = nlohmann::json;
using namespace PoDoFo;

std::string sample_appearance_pdf(PdfParsers& parsers, const AppearanceText& text, const FontFiles& fonts, double width,
                                  double height) {
    if (!(width >= 60 && width <= 600 && height >= 30 && height <= 300))
        throw_bad_input("pades.bad_size", "the appearance box is 60×30 to 600×300 points");
    json j = {{"appearance",
               {{"signer_name", text.signer_name}, {"agency", text.agency}, {"title", text.title},
                {"time_text", text.time_text}, {"reason", text.reason}, {"location", text.location},
                {"verify_url", text.verify_url},
                {"image", core::base64_encode(reinterpret_cast<const std::uint8_t*>(text.image.data()), text.image.size())}}},
              {"fonts", {{"cjk", fonts.cjk}, {"latin", fonts.latin}}},
              {"size", {width, height}}};
    std::string input;
    try {
        input = j.dump();
    } catch (const json::type_error&) {
        throw_bad_input("pades.bad_text", "the appearance's texts must be valid UTF-8");
    }
    std::string pdf = parsers.run(kSampleAppearanceJob, input);
    if (pdf.compare(0, 5, "%PDF-") != 0) throw Error("pades.internal", 500, "the isolated PDF worker answered nonsense");
    return pdf;
}

namespace detail {

// In the PDF worker: a new document of one page the size of the box, the appearance drawn on it.
std::string sample_appearance_job(const std::string& input) {
    json j = json::parse(input);
    const json& a = j.at("appearance");
    AppearanceText text{a.at("signer_name"), a.at("agency"), a.at("title"), a.at("time_text"), a.at("reason"),
                        a.at("location"),    a.at("verify_url"), {}};
    core::Bytes image = core::base64_decode(a.at("image").get<std::string>());
    text.image.assign(image.begin(), image.end());
    FontFiles fonts{j.at("fonts").at("cjk"), j.at("fonts").at("latin")};
    double width = j.at("size")[0], height = j.at("size")[1];

    PdfMemDocument doc;
    PdfPage* page = doc.CreatePage(PdfRect(0, 0, width, height));
    PdfXObject appearance(draw_appearance(doc, text, width, height, fonts));
    PdfPainter painter;
    painter.SetPage(page);
    painter.DrawXObject(0, 0, &appearance);
    painter.FinishPage();
    PdfRefCountedBuffer buffer;
    PdfOutputDevice device(&buffer);
    doc.Write(&device);
    return std::string(buffer.GetBuffer(), device.GetLength());
}

}  // namespace detail

}  // namespace yq::pades
