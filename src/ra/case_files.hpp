#pragma once
// What every desk of the registration office shares (architecture "RA flow"): the case files themselves — load one,
// insert a new one, save the next version along a step of case_states.hpp's table with its audit event in the same
// transaction (optimistic version check) — and the rules every case follows: the caller's role, a representative's
// own agency, four eyes, the representative's sign-off under a valid letter, ID numbers sealed by the HSM.
// Error style: throws yq::Error — 403 "auth.forbidden", 404 "ra.unknown_*", 409 "ra.*" naming the broken rule.
#include <initializer_list>
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

// What the desks work with; they keep the references.
struct OfficeServices {
    const core::Config& config;
    RegistryStore& store;
    accounts::AccountService& accounts;
    accounts::AccountStore& account_store;
    pki::CertificateAuthority& ca;
    AppointmentBook& appointments;
    const OfficeCalendar& calendar;
    keystore::Keystore& keys;
    const core::Clock& clock;
};

// The base of each desk: the shared case-file helper.
class CaseFiles {
protected:
    explicit CaseFiles(const OfficeServices& s)
        : m_config(s.config), m_store(s.store), m_accounts(s.accounts), m_account_store(s.account_store), m_ca(s.ca),
          m_appointments(s.appointments), m_calendar(s.calendar), m_keys(s.keys), m_clock(s.clock) {}

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
    // #16: `e` with the notices that tell the user (`user_audience`) and the agency's contact person of it.
    audit::Event with_notices(audit::Event e, const std::string& kind, const std::string& user_audience,
                              const std::string& agency_id, nlohmann::json params);
    void four_eyes(const Principal& who, std::initializer_list<std::string> earlier_actors, const char* what) const;

    // An ID number sealed by the HSM and its keyed hash, made before any unit of work opens.
    struct SealedId {
        std::string id_type;
        std::string sealed;
        core::Bytes mac;
    };
    SealedId seal_identity(const std::string& id_type, const std::string& id_number);
    std::string seal_id_number(const std::string& id_type, const std::string& id_number);
    core::Bytes identity_mac(const std::string& id_type, const std::string& id_number);
    void check_id_type(const std::string& id_type) const;

    // The sign-off of `representative_id` for a case of `agency_id` needing `scope`; checks the letter.
    SignOff make_sign_off(const Principal& who, const std::string& agency_id, const std::string& representative_id,
                          const std::string& scope);
    void require_valid_sign_off(const std::optional<SignOff>& s, const std::string& scope);
    bool letter_valid(const Letter& l, const std::string& scope) const;
    // The approved application that opened the account of `username`.
    Loaded<Application> application_of_user(const std::string& username);

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
