#pragma once
// One error type for the whole code base (Boulder style): a stable machine code, the HTTP status the edge should use,
// and an English message for operators. Error style: every layer below web/ and cli/ *throws* yq::Error; only web/ and
// cli/ catch it and turn it into an HTTP body or an exit code. Messages shown to end users come from i18n keys named
// after the code, never from exception text.
#include <stdexcept>
#include <string>

namespace yq {

class Error : public std::runtime_error {
public:
    Error(std::string code, int http_status, const std::string& message)
        : std::runtime_error(message), m_code(std::move(code)), m_http_status(http_status) {}

    const std::string& code() const noexcept { return m_code; }
    int http_status() const noexcept { return m_http_status; }

private:
    std::string m_code;
    int m_http_status;
};

// Shorthands for the common classes of failure.
[[noreturn]] void throw_bad_input(const std::string& code, const std::string& message);
[[noreturn]] void throw_not_found(const std::string& code, const std::string& message);
[[noreturn]] void throw_conflict(const std::string& code, const std::string& message);
[[noreturn]] void throw_internal(const std::string& code, const std::string& message);
[[noreturn]] void throw_unavailable(const std::string& code, const std::string& message);

}  // namespace yq
