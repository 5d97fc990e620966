#include "core/bytes.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "core/error.hpp"

namespace yq::core {

Bytes to_bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }
std::string to_string(const Bytes& b) { return std::string(b.begin(), b.end()); }

std::string hex_encode(const std::uint8_t* data, std::size_t size) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        out.push_back(kDigits[data[i] >> 4]);
        out.push_back(kDigits[data[i] & 0x0f]);
    }
    return out;
}

namespace {
int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

Bytes hex_decode(std::string_view hex) {
    if (hex.size() % 2 != 0) throw_bad_input("encoding.bad_hex", "hex text has an odd number of digits");
    Bytes out(hex.size() / 2);
    for (std::size_t i = 0; i < out.size(); ++i) {
        int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) throw_bad_input("encoding.bad_hex", "hex text contains a character that is not a hex digit");
        out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
    }
    return out;
}

std::string base64_encode(const std::uint8_t* data, std::size_t size) {
    std::string out(4 * ((size + 2) / 3), '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::string base64url_encode(const Bytes& b) {
    std::string s = base64_encode(b);
    while (!s.empty() && s.back() == '=') s.pop_back();
    for (char& c : s) {
        if (c == '+') c = '-';
        else if (c == '/') c = '_';
    }
    return s;
}

Bytes base64_decode(std::string_view text) {
    std::string s(text);
    for (char& c : s) {  // accept base64url too
        if (c == '-') c = '+';
        else if (c == '_') c = '/';
    }
    while (s.size() % 4 != 0) s.push_back('=');
    for (char c : s) {
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
                  c == '=';
        if (!ok) throw_bad_input("encoding.bad_base64", "text is not valid base64");
    }
    if (s.empty()) return {};
    Bytes out(s.size() / 4 * 3);
    int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
    if (n < 0) throw_bad_input("encoding.bad_base64", "text is not valid base64");
    std::size_t pad = 0;
    if (s.size() >= 1 && s[s.size() - 1] == '=') ++pad;
    if (s.size() >= 2 && s[s.size() - 2] == '=') ++pad;
    out.resize(static_cast<std::size_t>(n) - pad);
    return out;
}

std::string percent_encode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                          c == '_' || c == '.' || c == '~';  // RFC 3986 §2.3
        if (unreserved) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        }
    }
    return out;
}

Bytes random_bytes(std::size_t n) {
    Bytes out(n);
    if (n > 0 && RAND_bytes(out.data(), static_cast<int>(n)) != 1)
        throw_internal("crypto.rng_failed", "the random number generator failed");
    return out;
}

std::string random_token(std::size_t n) {
    std::string s = base64_encode(random_bytes(n));
    for (char& c : s) {
        if (c == '+') c = '-';
        else if (c == '/') c = '_';
    }
    while (!s.empty() && s.back() == '=') s.pop_back();
    return s;
}

bool constant_time_equal(const std::uint8_t* a, std::size_t a_size, const std::uint8_t* b, std::size_t b_size) {
    if (a_size != b_size) return false;
    if (a_size == 0) return true;
    return CRYPTO_memcmp(a, b, a_size) == 0;
}

Bytes sha256(const std::uint8_t* data, std::size_t size) {
    Bytes out(32);
    unsigned int len = 0;
    if (EVP_Digest(data, size, out.data(), &len, EVP_sha256(), nullptr) != 1)
        throw_internal("crypto.digest_failed", "SHA-256 failed");
    return out;
}

}  // namespace yq::core
