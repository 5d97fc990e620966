#pragma once
// Mustache data from JSON, for the two places that fill Mustache templates: the web pages (HTML-escaped) and the
// e-mail notices (plain text). An empty string is false, so {{#x}}…{{/x}} hides what has no value.
#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>

namespace yq::core {

kainjow::mustache::data to_mustache(const nlohmann::json& j);

}  // namespace yq::core
