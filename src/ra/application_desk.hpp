#pragma once
// The applications' desk (domain reference §2 C, §3): a user's cloud-signing application with the representative's
// sign-off, its documents checked, the original ID recorded (sealed by the HSM, searchable by keyed hash), and a
// second person's approval, which opens the account and answers the sealed PIN letter's one-time password.
#include "ra/document_desk.hpp"

namespace yq::ra {

struct ApprovedApplication {
    Application application;
    // The one-time login password for the sealed PIN letter: the letter carries no signing secret (#14). The account
    // has no signing key yet; its owner makes it by choosing the signing password in the portal.
    core::SecureString initial_login_password;
    std::string account_id;
};

// A user's service application registered at the counter (domain §2 C) in one step: the application, the
// representative's sign-off, the documents of its checklist (checked) and the original ID shown in person.
struct CounterApplication {
    Application application;
    std::string representative_id;  // whose paper sign-off the officer records
    std::string id_type;
    std::string id_number;
    std::map<std::string, core::Bytes> documents;
};

class ApplicationDesk : private CaseFiles {
public:
    ApplicationDesk(const OfficeServices& s, DocumentDesk& documents) : CaseFiles(s), m_documents(documents) {}

    Application create_application(const Principal& who, Application a);
    // At the counter: application, sign-off, documents checked and original ID recorded in one unit of work (all or
    // nothing); the answer waits for a second person's approval (status id_sighted).
    Application register_application_at_counter(const Principal& who, CounterApplication counter);
    Application application(const Principal& who, const std::string& id);
    std::vector<Application> list(const Principal& who, const std::string& agency_id, const std::string& status);
    // The representative's sign-off. A representative signs off for themselves; an officer records a paper sign-off
    // by naming the representative.
    Application sign_off_application(const Principal& who, const std::string& id, const std::string& representative_id);
    Application check_application_documents(const Principal& who, const std::string& id);
    Application record_identity(const Principal& who, const std::string& id, const std::string& id_type,
                                const std::string& id_number);
    ApprovedApplication approve_application(const Principal& who, const std::string& id);
    Application reject_application(const Principal& who, const std::string& id, const std::string& reason);
    // Applications whose applicant showed this ID (keyed-hash search; the number is never stored in clear).
    std::vector<Application> find_by_identity(const Principal& who, const std::string& id_type, const std::string& id_number);

private:
    Application record_identity_sealed(const Principal& who, const std::string& id, const SealedId& sealed);
    DocumentDesk& m_documents;
};

}  // namespace yq::ra
