#pragma once
#include <string>

namespace yq::cli {

// `yunqian serve`: every HTTP surface on one listener. `listen` ("HOST:PORT") overrides the config.
int serve(const std::string& home, const std::string& listen);

}  // namespace yq::cli
