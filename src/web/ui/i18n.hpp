#pragma once
// The UI's languages and their catalogues (src/web/i18n/<lang>.json, nested keys): Traditional Chinese by default,
// Portuguese and English by a switch that persists in a cookie. Every string a page shows comes from here.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "web/http_types.hpp"

namespace yq::web {

inline const std::vector<std::string>& ui_languages() {
    static const std::vector<std::string> k{"zh-Hant", "pt", "en"};
    return k;
}
inline constexpr const char* kDefaultLanguage = "zh-Hant";
inline constexpr const char* kLanguageCookie = "yq_lang";

// The whole catalogue of `lang` (a supported language) as a JSON tree.
const nlohmann::json& catalogue(const std::string& lang);
// One string by dotted key ("verify.title"); the key itself when missing (tests keep catalogues complete).
std::string translate(const std::string& lang, const std::string& dotted_key);
// The language cookie when valid, else the first supported Accept-Language (RFC 9110 §12.5.4, order only), else
// zh-Hant.
std::string choose_language(const Request& req);
bool is_ui_language(const std::string& lang);

}  // namespace yq::web
