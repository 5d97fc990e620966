#include "audit/notice.hpp"

namespace yq::audit {

std::vector<Notice> to_each(const std::vector<std::string>& audiences, const std::string& kind, const std::string& params) {
    std::vector<Notice> out;
    for (const auto& a : audiences)
        if (!a.empty() && a.back() != ':') out.push_back(Notice{kind, a, params, "", "", 0});
    return out;
}

}  // namespace yq::audit
