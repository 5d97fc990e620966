#include "pades/worker_input.hpp"

#include <podofo/podofo.h>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "core/json_text.hpp"

namespace yq::pades {

using json = nlohmann::json;

json appearance_to_json(const AppearanceText& a) {
    return {{"signer_name", a.signer_name}, {"agency", a.agency},     {"title", a.title},
            {"time_text", a.time_text},     {"reason", a.reason},     {"location", a.location},
            {"verify_url", a.verify_url},
            {"image", core::base64_encode(reinterpret_cast<const std::uint8_t*>(a.image.data()), a.image.size())}};
}

AppearanceText appearance_from_json(const json& j) {
    AppearanceText a{j.at("signer_name"), j.at("agency"), j.at("title"), j.at("time_text"), j.at("reason"),
                     j.at("location"),    j.at("verify_url"), {}};
    core::Bytes image = core::base64_decode(j.at("image").get<std::string>());
    a.image.assign(image.begin(), image.end());
    return a;
}

json fonts_to_json(const FontFiles& f) { return {{"cjk", f.cjk}, {"latin", f.latin}}; }

FontFiles fonts_from_json(const json& j) { return FontFiles{j.at("cjk"), j.at("latin")}; }

std::string job_input_text(const json& input, const std::string& texts) {
    try {
        return core::json_text(input);
    } catch (const json::type_error&) {
        throw_bad_input("pades.bad_text", texts + " must be valid UTF-8");
    }
}

std::string run_document_job(PdfParsers& parsers, std::string_view job, const std::string& input) {
    std::string pdf = parsers.run(job, input);
    if (pdf.compare(0, 5, "%PDF-") != 0) throw Error("pades.internal", 500, "the isolated PDF worker answered nonsense");
    return pdf;
}

std::string document_bytes(PoDoFo::PdfMemDocument& doc) {
    PoDoFo::PdfRefCountedBuffer buffer;
    PoDoFo::PdfOutputDevice device(&buffer);
    doc.Write(&device);
    return std::string(buffer.GetBuffer(), device.GetLength());
}

}  // namespace yq::pades
