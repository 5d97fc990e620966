#pragma once
// Reads the signatures a PDF carries (ISO 32000-2 §12.8): every signature field with a value, its dictionary's
// /ByteRange, /Contents, /SubFilter and /M. Parsing runs isolated (core/isolation), like signing.
// Error style: throws yq::Error 422 "pades.broken_pdf" | "pades.encrypted" | "pades.limits_exceeded".
#include <cstdint>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/isolation.hpp"

namespace yq::pades {

struct EmbeddedSignature {
    std::string field_name;
    bool document_timestamp = false;  // /Type /DocTimeStamp (ETSI.RFC3161)
    std::string sub_filter;
    std::vector<std::int64_t> byte_range;  // as written; validated by the caller
    core::Bytes contents;                  // the decoded /Contents, padding included
    std::string claimed_time;              // /M as written
    std::string reason, location;
};

std::vector<EmbeddedSignature> read_signatures(const std::string& pdf, const core::IsolationLimits& limits = {});

// What a later revision changed in what people see: the page count, and each page's content streams and media box,
// comparing the document as it was (`before`, a prefix of the file ending at a revision) with the whole file.
// Empty when nothing visible changed (new annotations, form fields, signatures, DSS, time-stamps are not page content).
std::vector<std::string> page_changes(const std::string& before, const std::string& after,
                                      const core::IsolationLimits& limits = {});

}  // namespace yq::pades
