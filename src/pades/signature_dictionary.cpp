#include "pades/signature_dictionary.hpp"

#include <openssl/evp.h>

#include <cstdio>
#include <ctime>

#include "core/error.hpp"

namespace yq::pades {

namespace {
constexpr const char* kByteRangePlaceholder = "[0 0000000000 0000000000 0000000000]";
}

std::string pdf_text_string(const std::string& utf8) {
    std::string hex = "<FEFF";
    auto put16 = [&](unsigned v) {
        char b[5];
        std::snprintf(b, sizeof b, "%04X", v & 0xFFFFu);
        hex += b;
    };
    for (std::size_t i = 0; i < utf8.size();) {
        unsigned char c = static_cast<unsigned char>(utf8[i]);
        unsigned cp = 0;
        int extra = 0;
        if (c < 0x80) cp = c;
        else if ((c & 0xE0) == 0xC0) cp = c & 0x1F, extra = 1;
        else if ((c & 0xF0) == 0xE0) cp = c & 0x0F, extra = 2;
        else if ((c & 0xF8) == 0xF0) cp = c & 0x07, extra = 3;
        else throw_bad_input("pades.bad_text", "the text is not valid UTF-8");
        if (i + static_cast<std::size_t>(extra) >= utf8.size() && extra > 0)
            throw_bad_input("pades.bad_text", "the text is not valid UTF-8");
        for (int k = 1; k <= extra; ++k) {
            unsigned char n = static_cast<unsigned char>(utf8[i + static_cast<std::size_t>(k)]);
            if ((n & 0xC0) != 0x80) throw_bad_input("pades.bad_text", "the text is not valid UTF-8");
            cp = (cp << 6) | (n & 0x3F);
        }
        i += static_cast<std::size_t>(extra) + 1;
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            throw_bad_input("pades.bad_text", "the text is not valid UTF-8");
        if (cp >= 0x10000) {  // UTF-16 surrogate pair
            cp -= 0x10000;
            put16(0xD800 + (cp >> 10));
            put16(0xDC00 + (cp & 0x3FF));
        } else {
            put16(cp);
        }
    }
    return hex + ">";
}

std::string pdf_date(std::int64_t unix_seconds, int utc_offset_minutes) {
    std::time_t t = static_cast<std::time_t>(unix_seconds + utc_offset_minutes * 60);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[96];
    int off = (utc_offset_minutes < 0 ? -utc_offset_minutes : utc_offset_minutes) % (24 * 60);
    std::snprintf(buf, sizeof buf, "D:%04d%02d%02d%02d%02d%02d%c%02d'%02d'", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, utc_offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
    return buf;
}

std::string signature_object_text(const SignatureDictionary& d) {
    std::string s = std::to_string(d.number) + " 0 obj\n<< /Type /" + d.type + " /Filter /Adobe.PPKLite /SubFilter /" +
                    d.sub_filter;
    if (!d.signing_time.empty()) s += " /M (" + d.signing_time + ")";
    if (!d.name.empty()) s += " /Name " + pdf_text_string(d.name);
    if (!d.reason.empty()) s += " /Reason " + pdf_text_string(d.reason);
    if (!d.location.empty()) s += " /Location " + pdf_text_string(d.location);
    if (!d.contact_info.empty()) s += " /ContactInfo " + pdf_text_string(d.contact_info);
    if (!d.reference.empty()) s += " /Reference " + d.reference;
    s += " /ByteRange ";
    s += kByteRangePlaceholder;
    s += " /Contents <" + std::string(d.reserved_bytes * 2, '0') + "> >>\nendobj\n";
    return s;
}

Placeholder locate_placeholder(const std::string& tail, std::size_t object_offset, std::size_t base) {
    Placeholder p;
    std::size_t br = tail.find("/ByteRange ", object_offset);
    std::size_t ct = tail.find("/Contents <", object_offset);
    if (br == std::string::npos || ct == std::string::npos)
        throw Error("pades.internal", 500, "the signature placeholders are missing");
    p.byte_range_start = base + br + 11;
    p.byte_range_length = std::string(kByteRangePlaceholder).size();
    p.contents_start = base + ct + 10;
    std::size_t end = tail.find('>', ct + 10);
    p.contents_length = base + end - p.contents_start + 1;
    return p;
}

void patch_byte_range(std::string& tail, const Placeholder& p, std::size_t base) {
    std::size_t a = p.contents_start, b = p.contents_start + p.contents_length, c = base + tail.size() - b;
    std::string text = "[0 " + std::to_string(a) + " " + std::to_string(b) + " " + std::to_string(c) + "]";
    if (text.size() > p.byte_range_length) throw Error("pades.too_large", 413, "the document is too large to sign");
    text.insert(text.size() - 1, std::string(p.byte_range_length - text.size(), ' '));
    tail.replace(p.byte_range_start - base, p.byte_range_length, text);
}

core::Bytes byte_range_digest(const std::string& original, const std::string& tail, const Placeholder& p) {
    // the whole file is original ‖ tail; the placeholders are in the tail
    std::size_t base = original.size();
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
    EVP_DigestUpdate(ctx, original.data(), original.size());
    EVP_DigestUpdate(ctx, tail.data(), p.contents_start - base);
    std::size_t b = p.contents_start + p.contents_length - base;
    EVP_DigestUpdate(ctx, tail.data() + b, tail.size() - b);
    core::Bytes out(32);
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx, out.data(), &len);
    EVP_MD_CTX_free(ctx);
    return out;
}

void embed_contents(std::string& tail, const Placeholder& p, const core::Bytes& der, std::size_t base) {
    std::string hex = core::hex_encode(der);
    if (hex.size() > p.contents_length - 2)
        throw Error("pades.contents_too_small", 413,
                    "the signature needs " + std::to_string(der.size()) + " bytes but only " +
                        std::to_string((p.contents_length - 2) / 2) + " were reserved; sign again with a larger reserve");
    tail.replace(p.contents_start - base + 1, hex.size(), hex);
}

}  // namespace yq::pades
