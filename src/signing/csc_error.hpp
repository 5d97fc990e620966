#pragma once
// CSC errors travel as yq::Error with code "csc.<error>" and the spec's error_description as the message; web/ renders
// them as {"error": "<error>", "error_description": "<message>"} with the status (CSC API v2 §10.1).
#include <string>

#include "core/error.hpp"

namespace yq::signing {

[[noreturn]] inline void csc_error(int status, const std::string& error, const std::string& description) {
    throw Error("csc." + error, status, description);
}

}  // namespace yq::signing
