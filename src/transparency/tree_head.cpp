#include "transparency/tree_head.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <algorithm>

#include "core/error.hpp"
#include "pki/openssl_ptr.hpp"

namespace yq::transparency {

namespace {

constexpr std::uint8_t kVersionV1 = 0;        // RFC 6962 §3.2 Version
constexpr std::uint8_t kTreeHashType = 1;     // RFC 6962 §3.2 SignatureType tree_hash
constexpr std::uint8_t kHashSha256 = 4;       // RFC 5246 §7.4.1.4.1 HashAlgorithm
constexpr std::uint8_t kSignatureRsa = 1;     // RFC 5246 §7.4.1.4.1 SignatureAlgorithm
constexpr std::uint8_t kSignatureEcdsa = 3;

void put_uint64(core::Bytes& out, std::int64_t v) {
    for (int i = 7; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(static_cast<std::uint64_t>(v) >> (8 * i)));
}

[[noreturn]] void bad_head(const std::string& why) { throw_bad_input("transparency.bad_head", why); }

}  // namespace

core::Bytes tree_head_signed_bytes(std::int64_t tree_size, std::int64_t timestamp_ms, const core::Bytes& root_hash) {
    core::Bytes out{kVersionV1, kTreeHashType};
    put_uint64(out, timestamp_ms);
    put_uint64(out, tree_size);
    out.insert(out.end(), root_hash.begin(), root_hash.end());
    return out;
}

core::Bytes digitally_signed(bool ecdsa, const core::Bytes& signature) {
    if (signature.size() > 0xFFFF) bad_head("a signature longer than 65535 bytes");
    core::Bytes out(4 + signature.size());
    out[0] = kHashSha256;
    out[1] = ecdsa ? kSignatureEcdsa : kSignatureRsa;
    out[2] = static_cast<std::uint8_t>(signature.size() >> 8);
    out[3] = static_cast<std::uint8_t>(signature.size() & 0xFF);
    std::copy(signature.begin(), signature.end(), out.begin() + 4);
    return out;
}

core::Bytes signature_in(const core::Bytes& ds) {
    if (ds.size() < 4) bad_head("the tree head signature is shorter than its header");
    if (ds[0] != kHashSha256 || (ds[1] != kSignatureEcdsa && ds[1] != kSignatureRsa))
        bad_head("the tree head signature is not SHA-256 with ECDSA or RSA");
    std::size_t length = (static_cast<std::size_t>(ds[2]) << 8) | ds[3];
    if (ds.size() != 4 + length) bad_head("the tree head signature's length does not match its header");
    return core::Bytes(ds.begin() + 4, ds.end());
}

bool verify_tree_head(const SignedTreeHead& head, const core::Bytes& public_key_der) {
    core::Bytes raw;
    try {
        raw = signature_in(head.signature);
    } catch (const Error&) {
        return false;
    }
    if (head.root_hash.size() != 32) return false;
    pki::EvpPkeyPtr key = pki::public_key_from_der(public_key_der);
    if (!key) return false;
    bool key_is_ec = EVP_PKEY_base_id(key.get()) == EVP_PKEY_EC;
    if (key_is_ec != (head.signature[1] == kSignatureEcdsa)) return false;
    core::Bytes tbs = tree_head_signed_bytes(head.tree_size, head.timestamp_ms, head.root_hash);
    return pki::signature_verifies(key.get(), EVP_sha256(), tbs.data(), tbs.size(), raw);
}

}  // namespace yq::transparency
