#pragma once
// The validation report as a standalone page people can read (what `yunqian verify --format html` writes and what
// POST /api/v1/validate answers to Accept: text/html), from the same template as the web UI's verify page; every value
// HTML-escaped.
#include <string>

#include "validation/report.hpp"

namespace yq::web {

std::string validation_report_html(const validation::Report& report, const std::string& file_name,
                                   const std::string& lang = "zh-Hant");

}  // namespace yq::web
