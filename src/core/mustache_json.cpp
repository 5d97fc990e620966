#include "core/mustache_json.hpp"

namespace yq::core {

namespace mustache = kainjow::mustache;
using nlohmann::json;

mustache::data to_mustache(const json& j) {
    switch (j.type()) {
        case json::value_t::object: {
            mustache::data d{mustache::data::type::object};
            for (const auto& [k, v] : j.items()) d.set(k, to_mustache(v));
            return d;
        }
        case json::value_t::array: {
            mustache::data d{mustache::data::type::list};
            for (const auto& v : j) d.push_back(to_mustache(v));
            return d;
        }
        case json::value_t::string:
            return j.get_ref<const std::string&>().empty() ? mustache::data{false} : mustache::data{j.get<std::string>()};
        case json::value_t::boolean: return mustache::data{j.get<bool>()};
        case json::value_t::null: return mustache::data{false};
        default: return mustache::data{j.dump()};
    }
}

}  // namespace yq::core
