#include "pki/crl_encoder.hpp"

#include <algorithm>
#include <cstring>
#include <ctime>

#include "core/error.hpp"

namespace yq::pki {

namespace {

constexpr std::uint8_t kSequence = 0x30, kInteger = 0x02, kEnumerated = 0x0a, kOctetString = 0x04, kUtcTime = 0x17,
                       kGeneralizedTime = 0x18, kContext0 = 0xa0;
// id-ce-cRLReasons (2.5.29.21) and id-ce-invalidityDate (2.5.29.24), RFC 5280 §5.3.1 and §5.3.2
constexpr std::uint8_t kReasonOid[] = {0x06, 0x03, 0x55, 0x1d, 0x15};
constexpr std::uint8_t kInvalidityOid[] = {0x06, 0x03, 0x55, 0x1d, 0x18};
constexpr std::int64_t kFirstGeneralizedTimeYear = 2050;  // RFC 5280 §5.1.2.4

std::size_t length_of_length(std::size_t n) {
    if (n < 0x80) return 1;
    std::size_t bytes = 0;
    for (std::size_t v = n; v > 0; v >>= 8) ++bytes;
    return 1 + bytes;
}

std::size_t tlv_size(std::size_t content) { return 1 + length_of_length(content) + content; }

void put_header(core::Bytes& out, std::uint8_t tag, std::size_t length) {
    out.push_back(tag);
    der_append_length(out, length);
}

// Time as RFC 5280 wants it: UTCTime YYMMDDHHMMSSZ before 2050, GeneralizedTime YYYYMMDDHHMMSSZ from 2050.
void put_time(core::Bytes& out, std::int64_t t, bool force_generalized) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[20];
    bool generalized = force_generalized || tm.tm_year + 1900 >= kFirstGeneralizedTimeYear;
    if (generalized)
        std::strftime(buf, sizeof buf, "%Y%m%d%H%M%SZ", &tm);
    else
        std::strftime(buf, sizeof buf, "%y%m%d%H%M%SZ", &tm);
    std::size_t n = std::strlen(buf);
    put_header(out, generalized ? kGeneralizedTime : kUtcTime, n);
    out.insert(out.end(), buf, buf + n);
}

std::size_t time_size(std::int64_t t, bool force_generalized) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    bool generalized = force_generalized || tm.tm_year + 1900 >= kFirstGeneralizedTimeYear;
    return tlv_size(generalized ? 15 : 13);
}

std::size_t integer_content_size(const CrlEntry& e) {
    if (e.serial_size == 0) return 1;
    return e.serial_size + ((e.serial[0] & 0x80) ? 1 : 0);
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

struct EntrySizes {
    std::size_t reason_ext = 0, invalidity_ext = 0, extensions = 0, body = 0;
};

EntrySizes sizes_of(const CrlEntry& e) {
    EntrySizes s;
    if (e.reason != 0) s.reason_ext = tlv_size(sizeof kReasonOid + tlv_size(tlv_size(1)));
    if (e.invalidity_date) s.invalidity_ext = tlv_size(sizeof kInvalidityOid + tlv_size(time_size(*e.invalidity_date, true)));
    std::size_t ext_list = s.reason_ext + s.invalidity_ext;
    s.extensions = ext_list > 0 ? tlv_size(ext_list) : 0;
    s.body = tlv_size(integer_content_size(e)) + time_size(e.revocation_time, false) + s.extensions;
    return s;
}

}  // namespace

void der_append_length(core::Bytes& out, std::size_t length) {
    if (length < 0x80) {
        out.push_back(static_cast<std::uint8_t>(length));
        return;
    }
    std::uint8_t bytes[sizeof(std::size_t)];
    int n = 0;
    for (std::size_t v = length; v > 0; v >>= 8) bytes[n++] = static_cast<std::uint8_t>(v & 0xff);
    out.push_back(static_cast<std::uint8_t>(0x80 | n));
    while (n > 0) out.push_back(bytes[--n]);
}

core::Bytes der_wrap(std::uint8_t tag, const core::Bytes& content) {
    core::Bytes out;
    out.reserve(tlv_size(content.size()));
    put_header(out, tag, content.size());
    out.insert(out.end(), content.begin(), content.end());
    return out;
}

void set_serial_from_hex(CrlEntry& entry, std::string_view hex) {
    while (hex.size() > 1 && hex[0] == '0') hex.remove_prefix(1);
    std::size_t octets = (hex.size() + 1) / 2;
    if (octets > kMaxSerialOctets) throw Error("pki.bad_serial", 400, "serial numbers longer than 20 octets are not supported");
    std::size_t out = 0, i = 0;
    if (hex.size() % 2) {  // odd number of digits: the first octet has one digit
        int v = hex_digit(hex[0]);
        if (v < 0) throw Error("pki.bad_serial", 400, "serial number is not hexadecimal");
        entry.serial[out++] = static_cast<std::uint8_t>(v);
        i = 1;
    }
    for (; i < hex.size(); i += 2) {
        int hi = hex_digit(hex[i]), lo = hex_digit(hex[i + 1]);
        if (hi < 0 || lo < 0) throw Error("pki.bad_serial", 400, "serial number is not hexadecimal");
        entry.serial[out++] = static_cast<std::uint8_t>(hi << 4 | lo);
    }
    entry.serial_size = static_cast<std::uint8_t>(out);
    if (out == 1 && entry.serial[0] == 0) entry.serial_size = 0;  // the serial 0
}

namespace {

// Numeric order of positive INTEGERs = shorter first, then bytewise (ASN1_INTEGER_cmp, used by X509_CRL_sort).
void sort_by_serial(std::vector<CrlEntry>& entries) {
    std::sort(entries.begin(), entries.end(), [](const CrlEntry& a, const CrlEntry& b) {
        if (a.serial_size != b.serial_size) return a.serial_size < b.serial_size;
        return std::memcmp(a.serial.data(), b.serial.data(), a.serial_size) < 0;
    });
}

// Content length of revokedCertificates (the SEQUENCE OF's content). Sizes are recomputed where they are written
// rather than kept: a vector of them would be another 32 bytes per entry.
std::size_t revoked_content_size(const std::vector<CrlEntry>& entries) {
    std::size_t total = 0;
    for (const CrlEntry& e : entries) total += tlv_size(sizes_of(e).body);
    return total;
}

void append_revoked(core::Bytes& out, const std::vector<CrlEntry>& entries, std::size_t content_size) {
    put_header(out, kSequence, content_size);
    for (const CrlEntry& e : entries) {
        const EntrySizes s = sizes_of(e);
        put_header(out, kSequence, s.body);  // RFC 5280 §5.1: userCertificate, revocationDate, crlEntryExtensions
        put_header(out, kInteger, integer_content_size(e));
        if (e.serial_size == 0 || (e.serial[0] & 0x80)) out.push_back(0x00);
        out.insert(out.end(), e.serial.begin(), e.serial.begin() + e.serial_size);
        put_time(out, e.revocation_time, false);
        if (s.extensions == 0) continue;
        put_header(out, kSequence, s.reason_ext + s.invalidity_ext);
        if (e.reason != 0) {
            put_header(out, kSequence, sizeof kReasonOid + tlv_size(tlv_size(1)));
            out.insert(out.end(), std::begin(kReasonOid), std::end(kReasonOid));
            put_header(out, kOctetString, tlv_size(1));
            put_header(out, kEnumerated, 1);
            out.push_back(static_cast<std::uint8_t>(e.reason));
        }
        if (e.invalidity_date) {
            std::size_t t = time_size(*e.invalidity_date, true);
            put_header(out, kSequence, sizeof kInvalidityOid + tlv_size(t));
            out.insert(out.end(), std::begin(kInvalidityOid), std::end(kInvalidityOid));
            put_header(out, kOctetString, t);
            put_time(out, *e.invalidity_date, true);
        }
    }
}

// Where the TBSCertList's content starts and where revokedCertificates goes (before [0] crlExtensions, or the end).
struct TbsLayout {
    std::size_t body_start = 0, insert_at = 0;
};

TbsLayout layout_of(const core::Bytes& tbs) {
    auto fail = [] { throw Error("pki.encode_failed", 500, "unexpected TBSCertList encoding"); };
    auto read_length = [&](std::size_t& pos) -> std::size_t {
        if (pos >= tbs.size()) fail();
        std::uint8_t first = tbs[pos++];
        if (first < 0x80) return first;
        std::size_t n = first & 0x7f, len = 0;
        if (n == 0 || n > sizeof(std::size_t) || pos + n > tbs.size()) fail();
        for (std::size_t i = 0; i < n; ++i) len = (len << 8) | tbs[pos++];
        return len;
    };
    std::size_t pos = 0;
    if (tbs.empty() || tbs[pos++] != kSequence) fail();
    std::size_t body_len = read_length(pos);
    TbsLayout l{pos, tbs.size()};
    if (l.body_start + body_len != tbs.size()) fail();
    while (pos < tbs.size()) {
        std::size_t element = pos;
        std::uint8_t tag = tbs[pos++];
        std::size_t len = read_length(pos);
        if (tag == kContext0) {
            l.insert_at = element;
            break;
        }
        pos += len;
        if (pos > tbs.size()) fail();
    }
    return l;
}

}  // namespace

std::size_t tbs_with_revoked_size(const core::Bytes& tbs_without_entries, const std::vector<CrlEntry>& entries) {
    TbsLayout l = layout_of(tbs_without_entries);
    std::size_t revoked = entries.empty() ? 0 : tlv_size(revoked_content_size(entries));
    return tlv_size(tbs_without_entries.size() - l.body_start + revoked);
}

void append_tbs_with_revoked(core::Bytes& out, const core::Bytes& tbs, std::vector<CrlEntry>& entries) {
    TbsLayout l = layout_of(tbs);
    sort_by_serial(entries);
    // RFC 5280 §5.1: revokedCertificates is absent, not empty, when nothing is revoked
    std::size_t revoked_content = entries.empty() ? 0 : revoked_content_size(entries);
    std::size_t revoked = entries.empty() ? 0 : tlv_size(revoked_content);
    put_header(out, kSequence, tbs.size() - l.body_start + revoked);
    auto at = [&](std::size_t i) { return tbs.begin() + static_cast<std::ptrdiff_t>(i); };
    out.insert(out.end(), at(l.body_start), at(l.insert_at));
    if (!entries.empty()) append_revoked(out, entries, revoked_content);
    out.insert(out.end(), at(l.insert_at), tbs.end());
}

}  // namespace yq::pki
