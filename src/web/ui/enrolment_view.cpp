#include "web/ui/enrolment_view.hpp"

#include "accounts/totp.hpp"
#include "core/bytes.hpp"

namespace yq::web {

nlohmann::json authenticator_enrolment_view(const std::string& otpauth_uri, const std::string& secret_base32,
                                            const std::string& sealed_candidate_hex, const std::string& form_action) {
    std::string svg = accounts::otpauth_qr_svg(otpauth_uri);
    std::string grouped;
    for (std::size_t i = 0; i < secret_base32.size(); i += 4) grouped += (i ? " " : "") + secret_base32.substr(i, 4);
    return {{"qr", "data:image/svg+xml;base64," + core::base64_encode(core::to_bytes(svg))},
            {"uri", otpauth_uri},
            {"secret", secret_base32},
            {"secret_groups", grouped},
            {"candidate", sealed_candidate_hex},
            {"action", form_action}};
}

}  // namespace yq::web
