#include "web/ui/assets.hpp"

#include "core/error.hpp"

namespace yq::web {

const std::string& asset(const std::string& path) {
    auto it = embedded_assets().find(path);
    if (it == embedded_assets().end()) throw Error("ui.missing_asset", 500, "the page asset " + path + " is missing from this build");
    return it->second;
}

}  // namespace yq::web
