#pragma once
// Uploaded documents and the checklist engine. A document's type is decided by its content (magic numbers), never by
// a file name or a client's Content-Type; its address is the SHA-256 of its bytes.
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/config.hpp"
#include "ra/registry_store.hpp"

namespace yq::ra {

// "application/pdf" (ISO 32000-1 §7.5.2 header "%PDF-"), "image/jpeg" (SOI FF D8 FF), "image/png" (PNG signature).
// Throws 413 "documents.too_large", 400 "documents.empty", 415 "documents.unsupported_type".
std::string check_upload(const core::Bytes& content, std::size_t max_bytes);

// The document types `request_type` needs under the configured checklists ("agency" adds "agency_delegate" when the
// representative is not the head).
std::vector<std::string> required_documents(const core::RaConfig& config, const std::string& request_type,
                                            bool delegate_representative = false);
std::vector<std::string> missing_documents(const std::vector<std::string>& required,
                                           const std::vector<Attachment>& attached);

// Throws 422 "ra.documents_missing" with the missing document types as details.
void require_documents(const std::vector<std::string>& required, const std::vector<Attachment>& attached);

}  // namespace yq::ra
