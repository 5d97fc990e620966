#pragma once
// What the PDF worker's jobs share on the way in and out (private to pades/): a signature appearance and its fonts as
// JSON in a job's input (the signing job, the appearance sample, the verification guide), a whole new document as the
// bytes a job answers, and the check that a document job really answered a PDF.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "pades/appearance.hpp"
#include "pades/pdf_jobs.hpp"

namespace PoDoFo {
class PdfMemDocument;
}  // namespace PoDoFo

namespace yq::pades {

nlohmann::json appearance_to_json(const AppearanceText& a);
AppearanceText appearance_from_json(const nlohmann::json& j);
nlohmann::json fonts_to_json(const FontFiles& f);
FontFiles fonts_from_json(const nlohmann::json& j);

// The JSON text of a job's input; 400 "pades.bad_text" naming `texts` when a text in it is not UTF-8.
std::string job_input_text(const nlohmann::json& input, const std::string& texts);

// Runs a job that answers a new PDF, and checks that it did (500 "pades.internal" otherwise).
std::string run_document_job(PdfParsers& parsers, std::string_view job, const std::string& input);

// The document written out whole (in the worker).
std::string document_bytes(PoDoFo::PdfMemDocument& doc);

}  // namespace yq::pades
