#include "pki/revocation_reason.hpp"

#include <array>
#include <utility>

#include "core/error.hpp"

namespace yq::pki {

namespace {
// RFC 5280 §5.3.1; value 7 is unused, removeFromCRL (8) is only for delta CRLs, and certificateHold (6) is not
// offered because revocation here is final (suspension is an account state, not a certificate state).
constexpr std::array<std::pair<const char*, int>, 8> kReasons = {{{"unspecified", 0},
                                                                   {"keyCompromise", 1},
                                                                   {"cACompromise", 2},
                                                                   {"affiliationChanged", 3},
                                                                   {"superseded", 4},
                                                                   {"cessationOfOperation", 5},
                                                                   {"privilegeWithdrawn", 9},
                                                                   {"aACompromise", 10}}};
}  // namespace

std::string reason_names() {
    std::string s;
    for (const auto& [name, code] : kReasons) {
        if (!s.empty()) s += ", ";
        s += name;
    }
    return s;
}

int reason_code(std::string_view name) {
    for (const auto& [n, code] : kReasons)
        if (name == n) return code;
    throw_bad_input("ca.bad_reason", "unknown revocation reason '" + std::string(name) + "'; use one of: " + reason_names());
}

std::string reason_name(int code) {
    for (const auto& [n, c] : kReasons)
        if (c == code) return n;
    return "unspecified";
}

}  // namespace yq::pki
