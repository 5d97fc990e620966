#include "web/validation_html.hpp"

#include "web/ui/assets.hpp"
#include "web/ui/i18n.hpp"
#include "web/ui/page_renderer.hpp"
#include "web/ui/report_view.hpp"

namespace yq::web {

std::string validation_report_html(const validation::Report& r, const std::string& file_name, const std::string& lang) {
    std::string language = is_ui_language(lang) ? lang : kDefaultLanguage;
    nlohmann::json page{{"lang", language},
                        {"t", catalogue(language)},
                        {"css", asset("static/site.css")},
                        {"report", report_section_html(r, language, file_name)}};
    return PageRenderer::render_template("report_document", page);
}

}  // namespace yq::web
