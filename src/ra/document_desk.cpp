// The documents' desk (see document_desk.hpp).
#include "ra/document_desk.hpp"

#include <algorithm>

#include "ra/documents.hpp"
#include "ra/record_io.hpp"

namespace yq::ra {

void check_files(const std::map<std::string, core::Bytes>& documents, std::size_t max_bytes) {
    for (const auto& [type, content] : documents) check_upload(content, max_bytes);
}

StoredDocument DocumentDesk::upload(const Principal& who, const core::Bytes& content) {
    authorise(who, Action::DocumentUpload);
    std::string type = check_upload(content, m_config.ra.max_document_bytes);
    StoredDocument d{core::hex_encode(core::sha256(content)), type, static_cast<std::int64_t>(content.size()), content};
    m_store.put_document(d, m_clock.unix_seconds(),
                         event(who, "document.uploaded", "document:" + d.sha256,
                               audit::details({{"media_type", type}, {"size", std::to_string(d.size)}})));
    return d;
}

StoredDocument DocumentDesk::document(const Principal& who, const std::string& sha256) {
    authorise(who, Action::DocumentRead);
    auto d = m_store.document(sha256);
    if (!d) throw_not_found("documents.unknown", "no document with SHA-256 " + sha256);
    return *d;
}

void DocumentDesk::attach(const Principal& who, const std::string& record_id, const std::string& doc_type,
                                const std::string& sha256) {
    authorise(who, Action::DocumentUpload);
    auto r = m_store.record(record_id);
    if (!r || r->kind == "representative") throw_not_found("ra.unknown_case", "no case file with id '" + record_id + "'");
    if (r->status == "approved" || r->status == "active" || r->status == "completed" || r->status == "rejected")
        throw_conflict("ra.case_closed", "documents cannot be added to a case that is " + r->status);
    std::vector<std::string> allowed;
    for (const auto& [type, docs] : m_config.ra.checklists) allowed.insert(allowed.end(), docs.begin(), docs.end());
    if (std::find(allowed.begin(), allowed.end(), doc_type) == allowed.end())
        throw_bad_input("documents.unknown_type", "'" + doc_type + "' is not a document type of any checklist");
    if (!m_store.document(sha256)) throw_not_found("documents.unknown", "upload the document first (no document " + sha256 + ")");
    m_store.attach(record_id, Attachment{doc_type, sha256, who.actor(), m_clock.unix_seconds()},
                   event(who, "document.attached", r->kind + ":" + record_id,
                         audit::details({{"doc_type", doc_type}, {"sha256", sha256}})));
}

Checklist DocumentDesk::checklist(const Principal& who, const std::string& record_id) {
    auto r = m_store.record(record_id);
    if (!r) throw_not_found("ra.unknown_case", "no case file with id '" + record_id + "'");
    authorise(who, r->kind == "agency" || r->kind == "letter" ? Action::AgencyRead
                   : r->kind == "application"                ? Action::ApplicationRead
                                                             : Action::RequestRead);
    within_agency(who, r->agency_id);
    Checklist c;
    c.attached = m_store.attachments(record_id);
    if (r->kind == "agency") {
        Agency a = nlohmann::json::parse(r->data).get<Agency>();
        bool delegate = false;
        if (auto rep = m_store.record(a.representative_id))
            delegate = !nlohmann::json::parse(rep->data).get<Representative>().is_head;
        c.required = required_documents(m_config.ra, "agency", delegate);
    } else if (r->kind == "application") {
        c.required = required_documents(m_config.ra, "application");
    } else if (r->kind == "request") {
        c.required = required_documents(m_config.ra, nlohmann::json::parse(r->data).get<ServiceRequest>().kind);
    } else if (r->kind == "letter") {
        c.required = {"authorisation_letter"};
    }
    c.missing = missing_documents(c.required, c.attached);
    return c;
}

void DocumentDesk::attach_documents(const Principal& who, const std::string& record_id,
                                          const std::map<std::string, core::Bytes>& documents,
                                          const std::vector<std::string>& types) {
    for (const auto& type : types) {
        auto it = documents.find(type);
        if (it == documents.end()) continue;  // the case's checklist names what is still missing
        attach(who, record_id, type, upload(who, it->second).sha256);
    }
}

void DocumentDesk::add_document(const Principal& who, const std::string& record_id, const std::string& doc_type,
                                      const core::Bytes& content) {
    authorise(who, Action::DocumentUpload);
    check_upload(content, m_config.ra.max_document_bytes);
    m_store.atomically([&] { attach(who, record_id, doc_type, upload(who, content).sha256); });
}

}  // namespace yq::ra
