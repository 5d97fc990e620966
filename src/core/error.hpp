#pragma once
// One error type for the whole code base (Boulder style): a stable machine code, the HTTP status the edge should use,
// and an English message for operators. Error style: every layer below web/ and cli/ *throws* yq::Error; only web/ and
// cli/ catch it and turn it into an HTTP body or an exit code. Messages shown to end users come from i18n keys named
// after the code, never from exception text.
#include <stdexcept>
#include <string>
#include <vector>

namespace yq {

class Error : public std::runtime_error {
public:
    Error(std::string code, int http_status, const std::string& message, std::vector<std::string> details = {})
        : std::runtime_error(message), m_code(std::move(code)), m_http_status(http_status), m_details(std::move(details)) {}

    const std::string& code() const noexcept { return m_code; }
    int http_status() const noexcept { return m_http_status; }
    // Machine-readable items the caller can act on, e.g. the documents still missing from a checklist.
    const std::vector<std::string>& details() const noexcept { return m_details; }

private:
    std::string m_code;
    int m_http_status;
    std::vector<std::string> m_details;
};

// Shorthands for the common classes of failure.
[[noreturn]] void throw_bad_input(const std::string& code, const std::string& message);
[[noreturn]] void throw_not_found(const std::string& code, const std::string& message);
[[noreturn]] void throw_conflict(const std::string& code, const std::string& message);
[[noreturn]] void throw_internal(const std::string& code, const std::string& message);
[[noreturn]] void throw_unavailable(const std::string& code, const std::string& message);

}  // namespace yq
