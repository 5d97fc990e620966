#pragma once
// Wiping a secret out of a parsed JSON body (#14: a password does not outlive its request in the parsed body).
#include <nlohmann/json.hpp>

#include "core/secure_buffer.hpp"

namespace yq::web {

// Zeroes a string value in place (whole capacity, small-string buffer included) and empties it.
inline void wipe_json_string(nlohmann::json& value) noexcept {
    if (!value.is_string()) return;
    std::string& s = value.get_ref<std::string&>();
    core::secure_wipe(s.data(), s.capacity());
    s.clear();
}

}  // namespace yq::web
