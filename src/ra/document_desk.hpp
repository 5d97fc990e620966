#pragma once
// The documents of the case files: scans and files brought to the office, stored once by their SHA-256 (type decided by
// content), attached to a case with its document type, and each case's checklist (what its kind requires, what is
// attached, what is missing).
#include <map>

#include "ra/case_files.hpp"

namespace yq::ra {

struct Checklist {
    std::vector<std::string> required;
    std::vector<std::string> missing;
    std::vector<Attachment> attached;
};

class DocumentDesk : private CaseFiles {
public:
    explicit DocumentDesk(const OfficeServices& s) : CaseFiles(s) {}

    StoredDocument upload(const Principal& who, const core::Bytes& content);
    StoredDocument document(const Principal& who, const std::string& sha256);
    // Attaches an uploaded document to a case file (agency, letter, application or request).
    void attach(const Principal& who, const std::string& record_id, const std::string& doc_type, const std::string& sha256);
    Checklist checklist(const Principal& who, const std::string& record_id);
    // A file brought to the counter for a case: stored and attached in one unit of work.
    void add_document(const Principal& who, const std::string& record_id, const std::string& doc_type,
                      const core::Bytes& content);
    // Each of `types` found in `documents` stored and attached to the case `record_id`, each audited; joins the
    // caller's unit of work (the counter's registrations).
    void attach_documents(const Principal& who, const std::string& record_id,
                          const std::map<std::string, core::Bytes>& documents, const std::vector<std::string>& types);
};

// Every file brought must be a document the office accepts (type by content, size) before anything is stored.
void check_files(const std::map<std::string, core::Bytes>& documents, std::size_t max_bytes);

}  // namespace yq::ra
