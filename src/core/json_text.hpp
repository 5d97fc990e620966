#pragma once
// JSON text for anything that leaves the process (answers, reports, the PDF worker's replies). RFC 8259 §8.1: JSON
// exchanged between systems is UTF-8; a request or a file can carry bytes that are not (a path segment, a form
// field, a PDF name or string), and they reach messages and reports. nlohmann::json refuses to write those
// (type_error 316 — #17's fuzzing found a request taking the server down that way, and PDFs whose validation failed
// on it); here they become U+FFFD instead.
#include <nlohmann/json.hpp>
#include <string>

namespace yq::core {

inline std::string json_text(const nlohmann::json& j, int indent = -1) {
    return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace yq::core
