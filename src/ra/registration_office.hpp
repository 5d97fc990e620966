#pragma once
// The registration office: agencies, representatives and authorisation letters, user service applications with the
// document checklist and the original-ID record, four-eyes approval that opens the account, and the revocation,
// renewal, unlock and re-key requests (architecture "RA flow"). Every method checks the caller's role and the
// four-eyes rules of the case, and every change is one audited transaction.
// Error style: throws yq::Error — 403 "auth.forbidden", 404 "ra.unknown_*", 409 "ra.*" naming the broken rule,
// 422 "ra.documents_missing" with the missing documents.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "accounts/account_service.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "keystore/keystore.hpp"
#include "pki/certificate_authority.hpp"
#include "ra/appointments.hpp"
#include "ra/case_states.hpp"
#include "ra/records.hpp"
#include "ra/registry_store.hpp"
#include "ra/staff.hpp"

namespace yq::ra {

inline constexpr const char* kIdSealLabel = "yq-id-seal";  // AES-GCM key sealing ID document numbers

struct Checklist {
    std::vector<std::string> required;
    std::vector<std::string> missing;
    std::vector<Attachment> attached;
};

struct ApprovedApplication {
    Application application;
    // The one-time login password for the sealed PIN letter: the letter carries no signing secret (#14). The account
    // has no signing key yet; its owner makes it by choosing the signing password in the portal.
    core::SecureString initial_login_password;
    std::string account_id;
};

struct ApprovedRequest {
    ServiceRequest request;
    // Recovery only: the new one-time login password for the letter handed over at the counter (shown once).
    core::SecureString initial_login_password;
};

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

// A user's service application registered at the counter (domain §2 C) in one step: the application, the
// representative's sign-off, the documents of its checklist (checked) and the original ID shown in person.
struct CounterApplication {
    Application application;
    std::string representative_id;  // whose paper sign-off the officer records
    std::string id_type;
    std::string id_number;
    std::map<std::string, core::Bytes> documents;
};

// A representative added at the counter: the person, their ID, and (a delegate) the head's authorisation letter with
// its scan — in one step.
struct CounterRepresentative {
    Representative representative;
    std::string id_number;
    std::optional<Letter> letter;  // a delegate's letter; its scan is documents["authorisation_letter"]
    std::map<std::string, core::Bytes> documents;
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

class RegistrationOffice {
public:
    RegistrationOffice(const core::Config& config, RegistryStore& store, accounts::AccountService& accounts,
                       accounts::AccountStore& account_store, pki::CertificateAuthority& ca, AppointmentBook& appointments,
                       const OfficeCalendar& calendar, keystore::Keystore& keys, const core::Clock& clock)
        : m_config(config), m_store(store), m_accounts(accounts), m_account_store(account_store), m_ca(ca),
          m_appointments(appointments), m_calendar(calendar), m_keys(keys), m_clock(clock) {}

    static void ensure_hsm_keys(keystore::Keystore& keys);

    // Documents
    StoredDocument upload(const Principal& who, const core::Bytes& content);
    StoredDocument document(const Principal& who, const std::string& sha256);
    // Attaches an uploaded document to a case file (agency, letter, application or request).
    void attach(const Principal& who, const std::string& record_id, const std::string& doc_type, const std::string& sha256);
    Checklist checklist(const Principal& who, const std::string& record_id);
    // A file brought to the counter for a case: stored and attached in one unit of work.
    void add_document(const Principal& who, const std::string& record_id, const std::string& doc_type,
                      const core::Bytes& content);

    // Agencies, representatives, letters
    Agency create_agency(const Principal& who, Agency agency, Representative representative, const std::string& id_number);
    Agency agency(const Principal& who, const std::string& id);
    std::vector<Agency> agencies(const Principal& who, const std::string& status);
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

    // At the counter: every step above in one unit of work — all of it is stored, or (any step refused) nothing; the
    // answer is the submitted agency. The ID number is sealed by the HSM before the unit of work opens.
    Agency register_agency_at_counter(const Principal& who, CounterAgency counter);

    // User service applications
    // At the counter: application, sign-off, documents checked and original ID recorded in one unit of work (all or
    // nothing); the answer waits for a second officer's approval (status id_sighted).
    Application register_application_at_counter(const Principal& who, CounterApplication counter);
    Application create_application(const Principal& who, Application a);
    Application application(const Principal& who, const std::string& id);
    std::vector<Application> applications(const Principal& who, const std::string& agency_id, const std::string& status);
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

    // Revocation, renewal, unlock, re-key
    ServiceRequest create_request(const Principal& who, const std::string& kind, const std::string& username,
                                  const std::string& reason, const AppointmentChoice& appointment);
    // At the counter, in one unit of work: the request, its documents and (in person) the original ID checked; a
    // refused step stores nothing, not even the appointment's check-in.
    ServiceRequest register_request_at_counter(const Principal& who, CounterRequest counter);
    ServiceRequest request(const Principal& who, const std::string& id);
    std::vector<ServiceRequest> requests(const Principal& who, const std::string& agency_id, const std::string& status);
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
    template <class T>
    struct Loaded {
        T value;
        StoredRecord meta;
    };
    template <class T>
    Loaded<T> load(const std::string& kind, const std::string& id);
    template <class T>
    void insert(const std::string& kind, const T& value, const std::string& agency_id, const std::string& status,
                const std::vector<std::string>& unique_keys, const std::vector<core::Bytes>& macs, const audit::Event& e);
    template <class T, class Status>
    void save(Loaded<T>& loaded, Status status, const audit::Event& e,
              const std::vector<std::string>& release_keys = {}, const std::vector<core::Bytes>& macs = {});

    void authorise(const Principal& who, Action action) const;
    void within_agency(const Principal& who, const std::string& agency_id);
    // The agency a listing may show: the representative's own, whatever was asked; for staff the filter as given.
    std::string visible_agency(const Principal& who, const std::string& agency_id);
    audit::Event event(const Principal& who, const std::string& action, const std::string& object,
                       const std::string& details = "{}") const;
    // An ID number sealed by the HSM and its keyed hash, made before any unit of work opens.
    struct SealedId {
        std::string id_type;
        std::string sealed;
        core::Bytes mac;
    };
    SealedId seal_identity(const std::string& id_type, const std::string& id_number);
    Agency create_agency_sealed(const Principal& who, Agency agency, Representative representative, const SealedId& id);
    Application record_identity_sealed(const Principal& who, const std::string& id, const SealedId& sealed);
    Representative add_representative_sealed(const Principal& who, const std::string& agency_id, Representative r,
                                             const SealedId& id);
    // `shown`: the ID shown in person (the kinds handled at an appointment), sealed before the unit of work.
    ServiceRequest check_request_sealed(const Principal& who, const std::string& id, const std::optional<SealedId>& shown);
    // Each document (type → file) stored and attached to the case file `record_id`, each audited.
    void attach_documents(const Principal& who, const std::string& record_id,
                          const std::map<std::string, core::Bytes>& documents, const std::vector<std::string>& types);
    std::string seal_id_number(const std::string& id_type, const std::string& id_number);
    core::Bytes identity_mac(const std::string& id_type, const std::string& id_number);
    void check_id_type(const std::string& id_type) const;
    // The sign-off of `representative_id` for a case of `agency_id` needing `scope`; checks the letter.
    SignOff make_sign_off(const Principal& who, const std::string& agency_id, const std::string& representative_id,
                          const std::string& scope);
    void require_valid_sign_off(const std::optional<SignOff>& s, const std::string& scope);
    bool letter_valid(const Letter& l, const std::string& scope) const;
    Loaded<Application> application_of_user(const std::string& username);
    // #16: `e` with the notices that tell the user (`user_audience`) and the agency's contact person of it.
    audit::Event with_notices(audit::Event e, const std::string& kind, const std::string& user_audience,
                              const std::string& agency_id, nlohmann::json params);
    accounts::Credential complete_with_new_key(const ServiceRequest& pending, const std::string& username,
                                               const core::SecureString& signing_password, const std::string& actor);
    void four_eyes(const Principal& who, std::initializer_list<std::string> earlier_actors, const char* what) const;

    const core::Config& m_config;
    RegistryStore& m_store;
    accounts::AccountService& m_accounts;
    accounts::AccountStore& m_account_store;
    pki::CertificateAuthority& m_ca;
    AppointmentBook& m_appointments;
    const OfficeCalendar& m_calendar;
    keystore::Keystore& m_keys;
    const core::Clock& m_clock;
};

}  // namespace yq::ra
