#pragma once
// TOTP (RFC 6238) with liboath: 6 digits, 30-second steps, HMAC-SHA-1 — what authenticator apps expect.
#include <cstdint>
#include <optional>
#include <string>

#include "core/secure_buffer.hpp"

namespace yq::accounts {

inline constexpr unsigned kTotpDigits = 6;
inline constexpr unsigned kTotpStepSeconds = 30;
inline constexpr std::size_t kTotpSecretBytes = 20;  // RFC 4226 §4 R6: at least 128 bits, 160 recommended

// The time step of a valid code for `secret` within ±1 step of `now`, or nothing.
std::optional<std::int64_t> totp_step_for(const core::SecureBytes& secret, const std::string& code, std::int64_t now);
std::string totp_code(const core::SecureBytes& secret, std::int64_t now);  // for tests and operator tooling
// otpauth://totp/ISSUER:USERNAME?secret=BASE32&issuer=ISSUER&algorithm=SHA1&digits=6&period=30
std::string otpauth_uri(const core::SecureBytes& secret, const std::string& issuer, const std::string& username);
// The same URI as an SVG QR code (libqrencode), for enrolment pages.
std::string otpauth_qr_svg(const std::string& uri);

}  // namespace yq::accounts
