#pragma once
// Byte strings, hex/base64, randomness and constant-time comparison: small helpers every component shares.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace yq::core {

using Bytes = std::vector<std::uint8_t>;

Bytes to_bytes(std::string_view s);
std::string to_string(const Bytes& b);

std::string hex_encode(const std::uint8_t* data, std::size_t size);
inline std::string hex_encode(const Bytes& b) { return hex_encode(b.data(), b.size()); }
// Throws Error "encoding.bad_hex" on odd length or a non-hex digit.
Bytes hex_decode(std::string_view hex);

std::string base64_encode(const std::uint8_t* data, std::size_t size);
inline std::string base64_encode(const Bytes& b) { return base64_encode(b.data(), b.size()); }
// RFC 4648 §5 base64url without padding (JOSE, RFC 7515 §2).
std::string base64url_encode(const Bytes& b);
// Standard alphabet with padding; also accepts base64url when `url_safe_ok` (for OCSP GET, RFC 6960 Appendix A.1).
// Throws Error "encoding.bad_base64".
Bytes base64_decode(std::string_view text);

// RFC 3986 §2.1 percent-encoding of everything but the unreserved characters (URIs, PKCS#11 URIs of RFC 7512).
std::string percent_encode(std::string_view s);

// CSPRNG bytes from OpenSSL's DRBG.
Bytes random_bytes(std::size_t n);
// A random token of `n` bytes rendered as URL-safe text (for one-time passwords, identifiers).
std::string random_token(std::size_t n);

// Constant-time equality; sizes are not secret.
bool constant_time_equal(const std::uint8_t* a, std::size_t a_size, const std::uint8_t* b, std::size_t b_size);
inline bool constant_time_equal(std::string_view a, std::string_view b) {
    return constant_time_equal(reinterpret_cast<const std::uint8_t*>(a.data()), a.size(),
                               reinterpret_cast<const std::uint8_t*>(b.data()), b.size());
}

Bytes sha256(const std::uint8_t* data, std::size_t size);
inline Bytes sha256(std::string_view s) { return sha256(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()); }
inline Bytes sha256(const Bytes& b) { return sha256(b.data(), b.size()); }

}  // namespace yq::core
