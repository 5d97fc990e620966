#pragma once
// The authenticator enrolment page's data (signers in the portal, staff at their first sign-in): the QR code of the
// otpauth URI as an SVG image (a data: URL, which the pages' CSP allows), the secret in groups of four for typing, and
// the sealed candidate the form sends back with the code to `form_action`.
#include <nlohmann/json.hpp>
#include <string>

namespace yq::web {

nlohmann::json authenticator_enrolment_view(const std::string& otpauth_uri, const std::string& secret_base32,
                                            const std::string& sealed_candidate_hex, const std::string& form_action);

}  // namespace yq::web
