#pragma once
// The signature dictionary (ISO 32000-2 §12.8.1, Table 255) written as text with fixed-width placeholders for
// /ByteRange and /Contents, then patched in place: the ByteRange covers the whole file except the <…> of /Contents.
// Error style: throws yq::Error "pades.*".
#include <cstdint>
#include <string>

#include "core/bytes.hpp"

namespace yq::pades {

struct SignatureDictionary {
    int number = 0;
    std::string type = "Sig";                       // Sig | DocTimeStamp
    std::string sub_filter = "ETSI.CAdES.detached";  // ETSI.RFC3161 for a document time-stamp
    std::string signing_time;                        // PDF date "D:20261125221500+08'00'" (omitted when empty)
    std::string name, reason, location, contact_info;  // UTF-8; written as UTF-16BE text strings
    std::size_t reserved_bytes = 16384;              // room for the DER in /Contents
    std::string reference;                           // e.g. a DocMDP /Reference array, written as given
};

// "N 0 obj\n<< … >>\nendobj\n"
std::string signature_object_text(const SignatureDictionary& d);

// Where the placeholders are in the finished file (offsets in the whole file). The placeholders are in the update
// section (`tail`), which follows `base` bytes of the original; with base 0 the tail is the whole file.
struct Placeholder {
    std::size_t byte_range_start = 0;  // offset of '['
    std::size_t byte_range_length = 0;
    std::size_t contents_start = 0;  // offset of '<'
    std::size_t contents_length = 0;  // including '<' and '>'
};

// Finds the placeholders of the signature object that starts at `object_offset` of `tail`.
Placeholder locate_placeholder(const std::string& tail, std::size_t object_offset, std::size_t base = 0);
// Writes [0 a b c] into the ByteRange placeholder (§12.8.1: everything but the Contents hex string).
void patch_byte_range(std::string& tail, const Placeholder& p, std::size_t base = 0);
// SHA-256 over the two byte ranges of original + tail.
core::Bytes byte_range_digest(const std::string& original, const std::string& tail, const Placeholder& p);
// Writes the DER as hex into /Contents, zero-padded. Throws 413 "pades.contents_too_small" when it does not fit.
void embed_contents(std::string& tail, const Placeholder& p, const core::Bytes& der, std::size_t base = 0);

// UTF-8 → a PDF text string <FEFF…> in UTF-16BE (§7.9.2.2). Throws 400 "pades.bad_text" on invalid UTF-8.
std::string pdf_text_string(const std::string& utf8);
// "D:YYYYMMDDHHmmSS+HH'mm'" for an instant at a UTC offset (§7.9.4).
std::string pdf_date(std::int64_t unix_seconds, int utc_offset_minutes);

}  // namespace yq::pades
