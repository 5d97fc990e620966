#pragma once
// JSON text for answers. RFC 8259 §8.1: JSON exchanged between systems is UTF-8; a request can carry bytes that are
// not (a path segment, a form field), and they reach error messages. nlohmann::json refuses to write those
// (type_error 316, thrown while the answer is being made — #17's fuzzing found one request taking the server down
// that way); here they become U+FFFD instead.
#include <nlohmann/json.hpp>
#include <string>

namespace yq::web {

inline std::string json_text(const nlohmann::json& j, int indent = -1) {
    return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace yq::web
