#include "accounts/totp.hpp"

#include <liboath/oath.h>
#include <qrencode.h>

#include <mutex>
#include <sstream>

#include "core/bytes.hpp"
#include "core/error.hpp"

namespace yq::accounts {

namespace {

void init_oath() {
    static std::once_flag once;
    std::call_once(once, [] { oath_init(); });
}

}  // namespace

std::optional<std::int64_t> totp_step_for(const core::SecureBytes& secret, const std::string& code, std::int64_t now) {
    init_oath();
    if (code.size() != kTotpDigits || code.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    int position = 0;
    std::uint64_t counter = 0;
    int rc = oath_totp_validate3(reinterpret_cast<const char*>(secret.data()), secret.size(), static_cast<time_t>(now),
                                 kTotpStepSeconds, 0, 1, &position, &counter, code.c_str());
    if (rc < 0) return std::nullopt;
    return static_cast<std::int64_t>(counter);
}

std::string totp_code(const core::SecureBytes& secret, std::int64_t now) {
    init_oath();
    char buf[16] = {0};
    if (oath_totp_generate(reinterpret_cast<const char*>(secret.data()), secret.size(), static_cast<time_t>(now),
                           kTotpStepSeconds, 0, kTotpDigits, buf) != OATH_OK)
        throw Error("otp.failed", 500, "TOTP generation failed");
    return buf;
}

std::string otpauth_uri(const core::SecureBytes& secret, const std::string& issuer, const std::string& username) {
    init_oath();
    char* b32 = nullptr;
    std::size_t len = 0;
    if (oath_base32_encode(reinterpret_cast<const char*>(secret.data()), secret.size(), &b32, &len) != OATH_OK)
        throw Error("otp.failed", 500, "base32 encoding failed");
    std::string secret_text(b32, len);
    core::secure_wipe(b32, len);
    free(b32);
    while (!secret_text.empty() && secret_text.back() == '=') secret_text.pop_back();
    // Key URI format (Google Authenticator wiki): label "issuer:account", issuer repeated as a parameter
    std::string uri = "otpauth://totp/" + core::percent_encode(issuer) + ":" + core::percent_encode(username) +
                      "?secret=" + secret_text + "&issuer=" + core::percent_encode(issuer) +
                      "&algorithm=SHA1&digits=" + std::to_string(kTotpDigits) + "&period=" + std::to_string(kTotpStepSeconds);
    core::secure_wipe(secret_text.data(), secret_text.size());
    return uri;
}

std::string otpauth_qr_svg(const std::string& uri) {
    QRcode* qr = QRcode_encodeString(uri.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (qr == nullptr) throw Error("otp.failed", 500, "QR encoding failed");
    constexpr int kQuiet = 4;
    int size = qr->width + 2 * kQuiet;
    std::ostringstream svg;
    svg << R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 )" << size << " " << size
        << R"(" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path fill="#000" d=")";
    for (int y = 0; y < qr->width; ++y)
        for (int x = 0; x < qr->width; ++x)
            if (qr->data[y * qr->width + x] & 1) svg << "M" << (x + kQuiet) << " " << (y + kQuiet) << "h1v1h-1z";
    svg << R"("/></svg>)";
    QRcode_free(qr);
    return svg.str();
}

}  // namespace yq::accounts
