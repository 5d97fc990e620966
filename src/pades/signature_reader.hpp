#pragma once
// Reads what validating a signed PDF needs, in one isolated parse (pades/pdf_jobs.hpp): every signature field with a value
// (ISO 32000-2 §12.8: /ByteRange, /Contents, /SubFilter, /M, the DocMDP transform of a certification signature), the
// Document Security Store (ETSI EN 319 142-1 §5.4.2), and for each signature that does not cover the whole file what
// the later revisions changed, sorted by kind so the caller can apply the DocMDP rules (§12.8.2.2.2).
// Error style: throws yq::Error 422 "pades.broken_pdf" | "pades.encrypted" | "pades.limits_exceeded".
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/isolation.hpp"
#include "pades/pdf_jobs.hpp"

namespace yq::pades {

// What the revisions after a signature changed, comparing the document as it was when signed with the whole file.
struct LaterChanges {
    std::vector<std::string> page_content;  // page count, content streams, media boxes: what people see
    std::vector<std::string> annotations;   // annotations other than form-field widgets added, removed or changed
    std::vector<std::string> form_fields;   // values of fields other than signature fields changed
    int signatures_added = 0;                // new signature values (approval signatures)
    int timestamps_added = 0;                // new document time-stamps
    bool dss_changed = false;                // the DSS was added or extended
};

struct EmbeddedSignature {
    std::string field_name;
    bool document_timestamp = false;  // /Type /DocTimeStamp (ETSI.RFC3161)
    std::string sub_filter;
    std::vector<std::int64_t> byte_range;  // as written; validated by the caller
    core::Bytes contents;                  // the decoded /Contents, padding included
    std::string claimed_time;              // /M as written
    std::string reason, location;
    int docmdp_permissions = 0;            // a certification signature's /P (1–3), 0 for an approval signature
    std::optional<LaterChanges> later;     // set when the ByteRange ends before the end of the file
};

// ETSI EN 319 142-1 §5.4.2: the validation data a B-LT/B-LTA file carries for everyone.
struct DocumentSecurityStore {
    bool present = false;
    std::vector<core::Bytes> certificates, ocsp_responses, crls;
};

struct SignedPdfView {
    std::vector<EmbeddedSignature> signatures;  // in the order of the field tree
    DocumentSecurityStore dss;
};

// The parse runs in the PDF worker processes (pades/pdf_jobs.hpp), started when first needed.
class SignedPdfReader {
public:
    explicit SignedPdfReader(const core::IsolationLimits& limits = {}, int workers = 2);
    SignedPdfView read(const std::string& pdf) const;

private:
    std::shared_ptr<PdfParsers> m_parsers;
};

}  // namespace yq::pades
