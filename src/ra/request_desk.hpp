#pragma once
// The requests' desk (domain reference §2 D, E, §3): revocation and renewal signed off by the representative; unlock,
// re-key and recovery only in person at an appointment with the ID sighted at registration; an officer's check and a
// second person's approval; renewal and re-key completed by the signer, whose new key is sealed under their own password.
#include "ra/document_desk.hpp"

namespace yq::ra {

struct ApprovedRequest {
    ServiceRequest request;
    // Recovery only: the new one-time login password for the letter handed over at the counter (shown once).
    core::SecureString initial_login_password;
};

// A revocation, renewal, unlock, re-key or recovery request opened at the counter in one step: the request (an
// appointment's booking checked in), its documents, and — for those handled only in person — the check of the
// original ID against the one sighted at registration.
struct CounterRequest {
    std::string kind;
    std::string username;
    std::string reason;
    AppointmentChoice appointment;
    std::string id_type;  // in-person kinds only
    std::string id_number;
    std::map<std::string, core::Bytes> documents;
};

class RequestDesk : private CaseFiles {
public:
    RequestDesk(const OfficeServices& s, DocumentDesk& documents) : CaseFiles(s), m_documents(documents) {}

    ServiceRequest create_request(const Principal& who, const std::string& kind, const std::string& username,
                                  const std::string& reason, const AppointmentChoice& appointment);
    // At the counter, in one unit of work: the request, its documents and (in person) the original ID checked; a
    // refused step stores nothing, not even the appointment's check-in.
    ServiceRequest register_request_at_counter(const Principal& who, CounterRequest counter);
    ServiceRequest request(const Principal& who, const std::string& id);
    std::vector<ServiceRequest> list(const Principal& who, const std::string& agency_id, const std::string& status);
    ServiceRequest sign_off_request(const Principal& who, const std::string& id, const std::string& representative_id);
    // Documents complete, and for unlock/re-key the ID shown matches the one sighted at registration.
    ServiceRequest check_request(const Principal& who, const std::string& id, const std::string& id_type,
                                 const std::string& id_number);
    // Recovery (a forgotten login password or a lost authenticator) also answers the new one-time login password.
    ApprovedRequest approve_request(const Principal& who, const std::string& id);
    ServiceRequest reject_request(const Principal& who, const std::string& id, const std::string& reason);

    // The signer completes an approved re-key (new signing password) or renewal (current signing password + OTP);
    // the new key is sealed under the user's own password.
    // Both use up a one-time code (re-key: this one; renewal: with the signing check), and neither holds a write
    // transaction while the key is made and certified (#14).
    accounts::Credential complete_rekey(const std::string& account_id, const core::SecureString& new_signing_password,
                                        const std::string& otp);
    accounts::Credential complete_renewal(const std::string& account_id, const core::SecureString& signing_password,
                                          const std::string& otp);
    // The approved, not yet completed request of this kind for the account, if any (portal shows it).
    std::optional<ServiceRequest> pending_for_user(const std::string& username, const std::string& kind);

private:
    // `shown`: the ID shown in person (the kinds handled at an appointment), sealed before the unit of work.
    ServiceRequest check_request_sealed(const Principal& who, const std::string& id, const std::optional<SealedId>& shown);
    accounts::Credential complete_with_new_key(const ServiceRequest& pending, const std::string& username,
                                               const core::SecureString& signing_password, const std::string& actor);
    DocumentDesk& m_documents;
};

}  // namespace yq::ra
