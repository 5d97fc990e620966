#pragma once
// The web UI's templates, static files and i18n catalogues, compiled into the binary (cmake/embed_assets.cmake):
// "templates/home.html", "static/site.css", "i18n/en.json".
#include <map>
#include <string>

namespace yq::web {

const std::map<std::string, std::string>& embedded_assets();  // generated

// Throws yq::Error 500 "ui.missing_asset" (a build problem, never the user's).
const std::string& asset(const std::string& path);

}  // namespace yq::web
