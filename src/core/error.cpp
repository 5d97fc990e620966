#include "core/error.hpp"

namespace yq {

void throw_bad_input(const std::string& code, const std::string& message) { throw Error(code, 400, message); }
void throw_not_found(const std::string& code, const std::string& message) { throw Error(code, 404, message); }
void throw_conflict(const std::string& code, const std::string& message) { throw Error(code, 409, message); }
void throw_internal(const std::string& code, const std::string& message) { throw Error(code, 500, message); }
void throw_unavailable(const std::string& code, const std::string& message) { throw Error(code, 503, message); }

}  // namespace yq
