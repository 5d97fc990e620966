#pragma once
// The validation report as template data and as an HTML section (templates/verify_report.html), in one language.
#include <string>

#include <nlohmann/json.hpp>

#include "pades/guide_document.hpp"
#include "validation/report.hpp"

namespace yq::web {

nlohmann::json report_view(const validation::Report& report, const std::string& lang, const std::string& file_name);
std::string report_section_html(const validation::Report& report, const std::string& lang, const std::string& file_name);
// #18: the same report as the blocks of a printed document (the PDF form of the report), in one language.
std::vector<pades::GuideBlock> report_document_blocks(const validation::Report& report, const std::string& lang,
                                                      const std::string& file_name);

}  // namespace yq::web
