#pragma once
// The agencies' desk (domain reference §2 A, B): an agency with its representative, its documents and submission, the
// officer's check and a second person's approval; representatives; the head's authorisation letters, confirmed by a
// second person and withdrawn (which puts every case signed off under the letter on hold).
#include "ra/document_desk.hpp"

namespace yq::ra {

struct WithdrawnLetter {
    Letter letter;
    std::vector<std::string> held;  // ids of the applications and requests put on hold
};

// An agency registered at the counter (domain §2 A) in one step: the agency, its representative (the head, or a
// delegate with the head's authorisation letter), the documents of its checklist, and the submission.
struct CounterAgency {
    Agency agency;
    Representative representative;
    std::string representative_id_number;
    std::optional<Letter> letter;                  // the head's authorisation letter, when a delegate represents
    std::map<std::string, core::Bytes> documents;  // document type → file (the checklist and "authorisation_letter")
};

// A representative added at the counter: the person, their ID, and (a delegate) the head's authorisation letter with
// its scan — in one step.
struct CounterRepresentative {
    Representative representative;
    std::string id_number;
    std::optional<Letter> letter;  // a delegate's letter; its scan is documents["authorisation_letter"]
    std::map<std::string, core::Bytes> documents;
};

class AgencyDesk : private CaseFiles {
public:
    AgencyDesk(const OfficeServices& s, DocumentDesk& documents) : CaseFiles(s), m_documents(documents) {}

    Agency create_agency(const Principal& who, Agency agency, Representative representative, const std::string& id_number);
    // At the counter: the agency, its representative, its documents, (a delegate) the letter and the submission in one
    // unit of work — all of it is stored, or (any step refused) nothing; the answer is the submitted agency. The ID
    // number is sealed by the HSM before the unit of work opens.
    Agency register_agency_at_counter(const Principal& who, CounterAgency counter);
    Agency agency(const Principal& who, const std::string& id);
    std::vector<Agency> list(const Principal& who, const std::string& status);
    Agency submit_agency(const Principal& who, const std::string& id);
    Agency check_agency_documents(const Principal& who, const std::string& id);
    Agency approve_agency(const Principal& who, const std::string& id);
    Agency suspend_agency(const Principal& who, const std::string& id, const std::string& reason);

    Representative add_representative(const Principal& who, const std::string& agency_id, Representative r,
                                      const std::string& id_number);
    // At the counter, in one unit of work: the representative and, for a delegate, the letter with its scan.
    Representative add_representative_at_counter(const Principal& who, const std::string& agency_id,
                                                 CounterRepresentative counter);
    std::vector<Representative> representatives(const Principal& who, const std::string& agency_id);

    Letter record_letter(const Principal& who, const std::string& agency_id, Letter letter);
    Letter confirm_letter(const Principal& who, const std::string& id);
    WithdrawnLetter withdraw_letter(const Principal& who, const std::string& id, const std::string& reason);
    std::vector<Letter> letters(const Principal& who, const std::string& agency_id);
    // Every letter in this status the caller may see (a representative: their own agency's), for work queues.
    std::vector<Letter> letters_with_status(const Principal& who, const std::string& status);

private:
    Agency create_agency_sealed(const Principal& who, Agency agency, Representative representative, const SealedId& id);
    Representative add_representative_sealed(const Principal& who, const std::string& agency_id, Representative r,
                                             const SealedId& id);
    DocumentDesk& m_documents;
};

}  // namespace yq::ra
