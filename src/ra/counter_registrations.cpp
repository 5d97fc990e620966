// RegistrationOffice: what the counter registers in one step (domain §2 A and C) — every step of the case as the
// office's own methods take it, in one unit of work: all of it is stored, or nothing (#15).
#include "ra/documents.hpp"
#include "ra/record_io.hpp"

namespace yq::ra {

namespace {

// Every file brought must be a document the office accepts (type by content, size) before anything is stored.
void check_files(const std::map<std::string, core::Bytes>& documents, std::size_t max_bytes) {
    for (const auto& [type, content] : documents) check_upload(content, max_bytes);
}

}  // namespace

void RegistrationOffice::attach_documents(const Principal& who, const std::string& record_id,
                                          const std::map<std::string, core::Bytes>& documents,
                                          const std::vector<std::string>& types) {
    for (const auto& type : types) {
        auto it = documents.find(type);
        if (it == documents.end()) continue;  // the case's checklist names what is still missing
        attach(who, record_id, type, upload(who, it->second).sha256);
    }
}

void RegistrationOffice::add_document(const Principal& who, const std::string& record_id, const std::string& doc_type,
                                      const core::Bytes& content) {
    authorise(who, Action::DocumentUpload);
    check_upload(content, m_config.ra.max_document_bytes);
    m_store.atomically([&] { attach(who, record_id, doc_type, upload(who, content).sha256); });
}

Agency RegistrationOffice::register_agency_at_counter(const Principal& who, CounterAgency counter) {
    authorise(who, Action::AgencyCreate);
    const bool delegate = !counter.representative.is_head;
    if (delegate && !counter.letter)
        throw_bad_input("ra.letter_required", "a representative who is not the agency head needs the head's authorisation letter");
    check_files(counter.documents, m_config.ra.max_document_bytes);
    SealedId id = seal_identity(counter.representative.id_type, counter.representative_id_number);
    Agency submitted;
    m_store.atomically([&] {
        Agency created = create_agency_sealed(who, counter.agency, counter.representative, id);
        attach_documents(who, created.id, counter.documents, required_documents(m_config.ra, "agency", delegate));
        if (delegate) {
            Letter letter = *counter.letter;
            letter.representative_id = created.representative_id;
            Letter recorded = record_letter(who, created.id, letter);
            attach_documents(who, recorded.id, counter.documents, {"authorisation_letter"});
        }
        submitted = submit_agency(who, created.id);
    });
    return submitted;
}

Application RegistrationOffice::register_application_at_counter(const Principal& who, CounterApplication counter) {
    authorise(who, Action::ApplicationCreate);
    check_files(counter.documents, m_config.ra.max_document_bytes);
    SealedId id = seal_identity(counter.id_type, counter.id_number);
    Application sighted;
    m_store.atomically([&] {
        Application created = create_application(who, counter.application);
        sign_off_application(who, created.id, counter.representative_id);
        attach_documents(who, created.id, counter.documents, required_documents(m_config.ra, "application"));
        check_application_documents(who, created.id);
        sighted = record_identity_sealed(who, created.id, id);
    });
    return sighted;
}

Representative RegistrationOffice::add_representative_at_counter(const Principal& who, const std::string& agency_id,
                                                                 CounterRepresentative counter) {
    authorise(who, Action::RepresentativeAdd);
    const bool delegate = !counter.representative.is_head;
    if (delegate && !counter.letter)
        throw_bad_input("ra.letter_required", "a representative who is not the agency head needs the head's authorisation letter");
    check_files(counter.documents, m_config.ra.max_document_bytes);
    SealedId id = seal_identity(counter.representative.id_type, counter.id_number);
    Representative added;
    m_store.atomically([&] {
        added = add_representative_sealed(who, agency_id, counter.representative, id);
        if (!delegate) return;
        Letter letter = *counter.letter;
        letter.representative_id = added.id;
        Letter recorded = record_letter(who, agency_id, letter);
        attach_documents(who, recorded.id, counter.documents, {"authorisation_letter"});
    });
    return added;
}

ServiceRequest RegistrationOffice::register_request_at_counter(const Principal& who, CounterRequest counter) {
    authorise(who, Action::RequestCreate);
    check_files(counter.documents, m_config.ra.max_document_bytes);
    std::optional<SealedId> shown;
    if (handled_in_person(counter.kind)) {
        if (counter.id_type.empty() || counter.id_number.empty())
            throw_bad_input("api.missing_field", "record the ID shown: id_type and id_number");
        shown = seal_identity(counter.id_type, counter.id_number);
    }
    ServiceRequest opened;
    m_store.atomically([&] {
        opened = create_request(who, counter.kind, counter.username, counter.reason, counter.appointment);
        attach_documents(who, opened.id, counter.documents, required_documents(m_config.ra, counter.kind));
        if (shown) opened = check_request_sealed(who, opened.id, shown);
    });
    return opened;
}

}  // namespace yq::ra
