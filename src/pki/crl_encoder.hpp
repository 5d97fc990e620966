#pragma once
// A direct DER encoder for the one part of a CRL that grows with the CA: TBSCertList.revokedCertificates
// (RFC 5280 §5.1). OpenSSL's template encoder spends ~9 µs per entry, which makes a million-entry CRL take ten seconds;
// this writes the same bytes in well under one. Everything else in the CRL (issuer, times, extensions, algorithm
// identifiers, the signature) is still made by OpenSSL; tests compare this encoder's output byte for byte with
// OpenSSL's for the same entries.
#include <cstdint>
#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"

namespace yq::pki {

inline constexpr std::size_t kMaxSerialOctets = 20;  // RFC 5280 §4.1.2.2

// 48 bytes, a million of them 48 MB: the members are ordered so that no padding is wasted (#19).
struct CrlEntry {
    std::int64_t revocation_time = 0;
    std::optional<std::int64_t> invalidity_date;
    // Big-endian magnitude of a positive serial, no leading zero bytes, kept inline so sorting a million entries does
    // not chase a pointer per comparison.
    std::array<std::uint8_t, kMaxSerialOctets> serial{};
    std::uint8_t serial_size = 0;
    std::uint8_t reason = 0;  // RFC 5280 §5.3.1 code (0–10); 0 (unspecified) is omitted as the RFC recommends
};
static_assert(sizeof(CrlEntry) <= 48, "CrlEntry grew: a million-entry CRL keeps one per revoked certificate in memory");

// Fills entry.serial from lowercase/uppercase hex; throws Error "pki.bad_serial" when it is not hex or longer than
// 20 octets.
void set_serial_from_hex(CrlEntry& entry, std::string_view hex);

// The whole TBSCertList (RFC 5280 §5.1) — `tbs_without_entries` (as OpenSSL encodes it, no revokedCertificates) with
// `entries`, sorted by serial as X509_CRL_sort does, spliced in before its [0] crlExtensions — appended to `out` in one
// pass (#19: without building the entries' DER or the TBSCertList separately first; a million entries are 53 MB each
// time). No entries: revokedCertificates is left out, as the RFC asks. Throws Error "pki.encode_failed" when
// `tbs_without_entries` is not a TBSCertList.
void append_tbs_with_revoked(core::Bytes& out, const core::Bytes& tbs_without_entries, std::vector<CrlEntry>& entries);
// Bytes append_tbs_with_revoked will append.
std::size_t tbs_with_revoked_size(const core::Bytes& tbs_without_entries, const std::vector<CrlEntry>& entries);

// DER helpers shared by the CRL assembly.
void der_append_length(core::Bytes& out, std::size_t length);
core::Bytes der_wrap(std::uint8_t tag, const core::Bytes& content);

}  // namespace yq::pki
