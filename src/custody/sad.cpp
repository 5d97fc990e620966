#include "custody/sad.hpp"

#include "core/error.hpp"
#include "custody/key_custody.hpp"

namespace yq::custody {

namespace {

constexpr std::uint8_t kFormat = 2;  // 2: a per-SAD key share instead of K_user (#14)
const std::string kAad = "yunqian-sad-v1";

void put_u32(core::SecureBytes& out, std::uint32_t v) {
    for (int i = 3; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void put_bytes(core::SecureBytes& out, const std::uint8_t* p, std::size_t n) {
    put_u32(out, static_cast<std::uint32_t>(n));
    out.insert(out.end(), p, p + n);
}

struct Reader {
    const core::SecureBytes& in;
    std::size_t pos = 0;
    std::uint32_t u32() {
        if (pos + 4 > in.size()) fail();
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) v = (v << 8) | in[pos++];
        return v;
    }
    template <class T>
    T bytes() {
        std::uint32_t n = u32();
        if (pos + n > in.size()) fail();
        T out(in.begin() + static_cast<std::ptrdiff_t>(pos), in.begin() + static_cast<std::ptrdiff_t>(pos + n));
        pos += n;
        return out;
    }
    [[noreturn]] static void fail() { throw Error("custody.invalid_sad", 400, "the SAD is malformed"); }
};

}  // namespace

core::Bytes bound_hashes_digest(const std::vector<core::Bytes>& hashes) {
    core::Bytes input;
    auto put = [&](std::uint32_t v) {
        for (int i = 3; i >= 0; --i) input.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    };
    put(static_cast<std::uint32_t>(hashes.size()));
    for (const auto& h : hashes) {
        put(static_cast<std::uint32_t>(h.size()));
        input.insert(input.end(), h.begin(), h.end());
    }
    return core::sha256(input);
}

std::string seal_sad(keystore::Keystore& keys, const SadClaims& c) {
    core::SecureBytes payload;
    payload.push_back(kFormat);
    put_bytes(payload, reinterpret_cast<const std::uint8_t*>(c.sad_id.data()), c.sad_id.size());
    put_bytes(payload, reinterpret_cast<const std::uint8_t*>(c.credential_id.data()), c.credential_id.size());
    put_bytes(payload, reinterpret_cast<const std::uint8_t*>(c.account_id.data()), c.account_id.size());
    put_bytes(payload, c.token_share.data(), c.token_share.size());
    put_bytes(payload, c.hashes_digest.data(), c.hashes_digest.size());
    put_u32(payload, static_cast<std::uint32_t>(static_cast<std::uint64_t>(c.expires_at) >> 32));
    put_u32(payload, static_cast<std::uint32_t>(static_cast<std::uint64_t>(c.expires_at) & 0xffffffffu));
    put_u32(payload, static_cast<std::uint32_t>(c.num_signatures));
    core::Bytes plain(payload.begin(), payload.end());
    core::Bytes sealed = keys.gcm_encrypt(kSadSealLabel, plain, core::Bytes(kAad.begin(), kAad.end()));
    core::secure_wipe(plain.data(), plain.size());
    std::string token = core::base64_encode(sealed);
    for (char& ch : token) {  // base64url, no padding: safe in JSON and URLs
        if (ch == '+') ch = '-';
        else if (ch == '/') ch = '_';
    }
    while (!token.empty() && token.back() == '=') token.pop_back();
    return token;
}

SadClaims open_sad(keystore::Keystore& keys, const std::string& token) {
    if (token.empty() || token.size() > 4096) throw Error("custody.invalid_sad", 400, "the SAD is malformed");
    core::Bytes sealed;
    try {
        sealed = core::base64_decode(token);
    } catch (const Error&) {
        throw Error("custody.invalid_sad", 400, "the SAD is malformed");
    }
    core::SecureBytes payload;
    try {
        payload = keys.gcm_decrypt(kSadSealLabel, sealed, core::Bytes(kAad.begin(), kAad.end()));
    } catch (const Error& e) {
        if (e.code() == "hsm.decrypt_failed") throw Error("custody.invalid_sad", 400, "the SAD was not issued here or was altered");
        throw;
    }
    if (payload.empty() || payload[0] != kFormat) throw Error("custody.invalid_sad", 400, "the SAD is malformed");
    Reader r{payload, 1};
    SadClaims c;
    c.sad_id = r.bytes<std::string>();
    c.credential_id = r.bytes<std::string>();
    c.account_id = r.bytes<std::string>();
    c.token_share = r.bytes<core::SecureBytes>();
    c.hashes_digest = r.bytes<core::Bytes>();
    std::uint64_t hi = r.u32(), lo = r.u32();
    c.expires_at = static_cast<std::int64_t>(hi << 32 | lo);
    c.num_signatures = static_cast<std::int32_t>(r.u32());
    return c;
}

}  // namespace yq::custody
