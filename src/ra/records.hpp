#pragma once
// The registration office's case files (architecture "RA flow"; domain reference §2–3). Each is kept as a versioned
// JSON document; a transition reads a version and writes the next one only if nobody else wrote in between.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ra/case_states.hpp"

namespace yq::ra {

struct Person {
    std::string name;
    std::string title;
    std::string phone;
    std::string email;
};

// Agency: its states and steps are in case_states.hpp.
struct Agency {
    std::string id;
    std::string kind;  // government | organisation
    std::string name_zh, name_pt, name_en;
    std::string code;  // agency code, or tax registration number for organisations
    std::string address;
    Person head;
    Person contact;  // receives notices; no signing authority
    std::string representative_id;  // who signed the agency application (the head, or a delegate under a letter)
    AgencyStatus status = AgencyStatus::Draft;
    std::string created_by, submitted_by, documents_checked_by, approved_by;
    std::int64_t created_at = 0;
};

// A representative signs documents for the agency: the head (is_head), or a delegate under an authorisation letter.
struct Representative {
    std::string id;
    std::string agency_id;
    std::string name;
    std::string title;
    bool is_head = false;
    std::string id_type;
    std::string id_number_sealed;  // base64 of AES-GCM under an HSM key; never in clear at rest
    std::string created_by;
    std::int64_t created_at = 0;
};

// Authorisation letter (states in case_states.hpp); "expired" once valid_to passes.
struct Letter {
    std::string id;
    std::string agency_id;
    std::string representative_id;
    std::vector<std::string> scopes;  // apply | use | revoke | renew
    std::int64_t valid_from = 0;
    std::int64_t valid_to = 0;  // 0 = until withdrawn
    LetterStatus status = LetterStatus::Pending;
    std::string recorded_by, confirmed_by, withdrawn_by, withdrawn_reason;
    std::int64_t created_at = 0;
};

// The representative's sign-off on an application or request (on paper, recorded by an officer, or online).
struct SignOff {
    std::string representative_id;
    std::string letter_id;  // empty when the representative is the head
    std::string recorded_by;
    std::int64_t at = 0;
};

// An officer saw the original ID document.
struct IdentityCheck {
    std::string officer;
    std::int64_t at = 0;
    std::string id_type;
    std::string id_number_sealed;  // base64, AES-GCM under an HSM key
};

// User service application (states in case_states.hpp).
struct Application {
    std::string id;
    std::string agency_id;
    std::string username;  // chosen once; immutable after the account opens
    std::string display_name;  // as on the ID, Chinese and Latin
    std::string email;
    std::string phone;
    std::string department;
    std::string title;
    std::string user_kind = "government";  // government | other
    std::vector<std::string> services;     // e.g. "signing"
    std::string key_type;                  // ec-p256 | rsa-2048 | …
    ApplicationStatus status = ApplicationStatus::Submitted;
    ApplicationStatus held_from = ApplicationStatus::Submitted;  // the status before on_hold
    std::string hold_reason;
    std::optional<SignOff> sign_off;
    std::string documents_checked_by;
    std::optional<IdentityCheck> identity;
    std::string approved_by, rejected_by, reason;
    std::string account_id;
    std::string created_by;
    std::int64_t created_at = 0;
};

// The user's own requests, made in person at an appointment with the ID sighted at registration (unlock, re-key,
// recovery); the others come with the representative's sign-off.
inline bool handled_in_person(const std::string& request_kind) {
    return request_kind == "unlock" || request_kind == "rekey" || request_kind == "recovery";
}

// Revocation, renewal, unlock, re-key and recovery requests (states in case_states.hpp). Unlock, re-key and recovery
// happen only at an appointment; renewal and re-key are completed by the user (their new key must be sealed under
// their own password).
struct ServiceRequest {
    std::string id;
    std::string kind;  // revocation | renewal | unlock | rekey
    std::string agency_id;
    std::string username;
    std::string reason;          // RFC 5280 reason name (revocation) or free text
    std::string appointment_id;  // unlock | rekey
    RequestStatus status = RequestStatus::Submitted;
    RequestStatus held_from = RequestStatus::Submitted;  // the status before on_hold
    std::string hold_reason;
    std::optional<SignOff> sign_off;
    std::string checked_by;
    std::optional<IdentityCheck> identity;
    std::string approved_by, rejected_by, completed_by;
    std::string created_by;
    std::int64_t created_at = 0;
    std::int64_t completed_at = 0;
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Person, name, title, phone, email)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Agency, id, kind, name_zh, name_pt, name_en, code, address, head, contact,
                                                representative_id, status, created_by, submitted_by,
                                                documents_checked_by, approved_by, created_at)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Representative, id, agency_id, name, title, is_head, id_type,
                                                id_number_sealed, created_by, created_at)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Letter, id, agency_id, representative_id, scopes, valid_from, valid_to,
                                                status, recorded_by, confirmed_by, withdrawn_by, withdrawn_reason,
                                                created_at)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SignOff, representative_id, letter_id, recorded_by, at)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(IdentityCheck, officer, at, id_type, id_number_sealed)

}  // namespace yq::ra

// std::optional<T> ↔ null
namespace nlohmann {
template <class T>
struct adl_serializer<std::optional<T>> {
    static void to_json(json& j, const std::optional<T>& o) {
        if (o) j = *o;
        else j = nullptr;
    }
    static void from_json(const json& j, std::optional<T>& o) {
        if (j.is_null()) o.reset();
        else o = j.get<T>();
    }
};
}  // namespace nlohmann

namespace yq::ra {
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Application, id, agency_id, username, display_name, email, phone,
                                                department, title, user_kind, services, key_type, status, held_from,
                                                hold_reason, sign_off, documents_checked_by, identity, approved_by,
                                                rejected_by, reason, account_id, created_by, created_at)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ServiceRequest, id, kind, agency_id, username, reason, appointment_id,
                                                status, held_from, hold_reason, sign_off, checked_by, identity,
                                                approved_by, rejected_by, completed_by, created_by, created_at,
                                                completed_at)
}  // namespace yq::ra
