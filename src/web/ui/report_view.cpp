#include "web/ui/report_view.hpp"

#include <algorithm>

#include "web/ui/i18n.hpp"
#include "web/ui/page_renderer.hpp"

namespace yq::web {

nlohmann::json report_view(const validation::Report& r, const std::string& lang, const std::string& file_name) {
    nlohmann::json view;
    view["file_name"] = file_name;
    view["file_sha256"] = r.file_sha256;
    view["problem"] = r.problem;
    view["no_signatures"] = r.problem.empty() && r.signatures.empty();
    view["all_passed"] = r.all_passed();
    nlohmann::json list = nlohmann::json::array();
    int number = 0;
    for (const auto& s : r.signatures) {
        std::string css = s.indication;
        std::transform(css.begin(), css.end(), css.begin(), [](unsigned char c) { return std::tolower(c); });
        list.push_back({{"number", std::to_string(++number)},
                        {"kind", translate(lang, "verify.kinds." + s.kind)},
                        {"indication", translate(lang, "verify.indications." + s.indication)},
                        {"css", css},
                        {"sub_indication", s.sub_indication},
                        {"signer", s.signer},
                        {"field", s.field},
                        {"claimed_time", s.claimed_time},
                        {"timestamp_time", s.timestamp_time},
                        {"level", s.level},
                        {"revocation", s.revocation},
                        {"whole", s.covers_whole_document},
                        {"details", s.details}});
    }
    view["signatures"] = list;
    return view;
}

std::string report_section_html(const validation::Report& r, const std::string& lang, const std::string& file_name) {
    nlohmann::json view = report_view(r, lang, file_name);
    view["t"] = catalogue(lang);
    return PageRenderer::render_template("verify_report", view);
}

}  // namespace yq::web
