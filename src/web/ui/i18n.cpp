#include "web/ui/i18n.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <sstream>

#include "web/ui/assets.hpp"
#include "web/ui/forms.hpp"

namespace yq::web {

bool is_ui_language(const std::string& lang) {
    return std::find(ui_languages().begin(), ui_languages().end(), lang) != ui_languages().end();
}

const nlohmann::json& catalogue(const std::string& lang) {
    static const std::map<std::string, nlohmann::json> all = [] {
        std::map<std::string, nlohmann::json> m;
        for (const auto& l : ui_languages()) m[l] = nlohmann::json::parse(asset("i18n/" + l + ".json"));
        return m;
    }();
    auto it = all.find(lang);
    return it == all.end() ? all.at(kDefaultLanguage) : it->second;
}

std::string translate(const std::string& lang, const std::string& dotted_key) {
    const nlohmann::json* node = &catalogue(lang);
    std::istringstream parts(dotted_key);
    for (std::string part; std::getline(parts, part, '.');) {
        if (!node->is_object() || !node->contains(part)) return dotted_key;
        node = &(*node)[part];
    }
    return node->is_string() ? node->get<std::string>() : dotted_key;
}

std::string choose_language(const Request& req) {
    std::string chosen = cookie_value(req, kLanguageCookie);
    if (is_ui_language(chosen)) return chosen;
    std::istringstream accept(req.header("accept-language"));
    for (std::string item; std::getline(accept, item, ',');) {
        std::string tag = item.substr(0, item.find(';'));
        tag.erase(std::remove(tag.begin(), tag.end(), ' '), tag.end());
        std::transform(tag.begin(), tag.end(), tag.begin(), [](unsigned char c) { return std::tolower(c); });
        if (tag.rfind("zh", 0) == 0) return "zh-Hant";
        if (tag.rfind("pt", 0) == 0) return "pt";
        if (tag.rfind("en", 0) == 0) return "en";
    }
    return kDefaultLanguage;
}

}  // namespace yq::web
