#pragma once
// The validation report as a page people can read (zh-Hant first, English beside it); every value HTML-escaped.
#include <string>

#include "validation/report.hpp"

namespace yq::web {

std::string validation_report_html(const validation::Report& report, const std::string& file_name);

}  // namespace yq::web
