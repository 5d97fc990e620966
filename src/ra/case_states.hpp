#pragma once
// The states of the registration office's case files and the one table of the steps between them (architecture "RA
// flow"; domain reference §2–§3). The office's code saves a case only along a step of this table
// (ra.bad_transition otherwise), docs/registration-office.md draws its state diagrams from it (`yunqian ra
// states` prints them; a test holds the document to the table), and the table-driven test walks it role by role.
#include <array>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "ra/permissions.hpp"

namespace yq::ra {

enum class AgencyStatus { Draft, Submitted, DocumentsChecked, Active, Suspended };
enum class LetterStatus { Pending, Valid, Withdrawn };
enum class ApplicationStatus { Submitted, DocumentsChecked, IdSighted, Approved, Rejected, OnHold };
enum class RequestStatus { Submitted, Checked, Approved, Completed, Rejected, OnHold };

// The names stored in the database and shown (translated) on the pages.
NLOHMANN_JSON_SERIALIZE_ENUM(AgencyStatus, {{AgencyStatus::Draft, "draft"},
                                            {AgencyStatus::Submitted, "submitted"},
                                            {AgencyStatus::DocumentsChecked, "documents_checked"},
                                            {AgencyStatus::Active, "active"},
                                            {AgencyStatus::Suspended, "suspended"}})
NLOHMANN_JSON_SERIALIZE_ENUM(LetterStatus, {{LetterStatus::Pending, "pending"},
                                            {LetterStatus::Valid, "valid"},
                                            {LetterStatus::Withdrawn, "withdrawn"}})
NLOHMANN_JSON_SERIALIZE_ENUM(ApplicationStatus, {{ApplicationStatus::Submitted, "submitted"},
                                                 {ApplicationStatus::DocumentsChecked, "documents_checked"},
                                                 {ApplicationStatus::IdSighted, "id_sighted"},
                                                 {ApplicationStatus::Approved, "approved"},
                                                 {ApplicationStatus::Rejected, "rejected"},
                                                 {ApplicationStatus::OnHold, "on_hold"}})
NLOHMANN_JSON_SERIALIZE_ENUM(RequestStatus, {{RequestStatus::Submitted, "submitted"},
                                             {RequestStatus::Checked, "checked"},
                                             {RequestStatus::Approved, "approved"},
                                             {RequestStatus::Completed, "completed"},
                                             {RequestStatus::Rejected, "rejected"},
                                             {RequestStatus::OnHold, "on_hold"}})

// "documents_checked" for DocumentsChecked: the stored name of a status.
template <class Status>
std::string status_name(Status s) {
    return nlohmann::json(s).get<std::string>();
}
[[noreturn]] void throw_unknown_status(const std::string& name);
// The status of a stored name; throws 400 "ra.bad_status" for a name the kind does not have.
template <class Status>
Status status_from_name(const std::string& name) {
    Status s = nlohmann::json(name).get<Status>();  // an unknown name reads as the first status: checked below
    if (status_name(s) != name) throw_unknown_status(name);
    return s;
}

// One step of a case: from → to, taken by whoever the permission table allows `action` (no action: the signer, in
// the portal), and by a person who did none of the case's earlier steps when `second_person` (four eyes).
template <class Status>
struct Transition {
    Status from;
    Status to;
    std::optional<Action> action;
    bool second_person;
    const char* step;  // as the state diagram labels it
};

// Agency: draft → submitted → documents_checked → active (approved by a second person) → suspended.
inline constexpr std::array<Transition<AgencyStatus>, 4> kAgencySteps{{
    {AgencyStatus::Draft, AgencyStatus::Submitted, Action::AgencySubmit, false, "submit"},
    {AgencyStatus::Submitted, AgencyStatus::DocumentsChecked, Action::AgencyCheckDocuments, false, "check documents"},
    {AgencyStatus::DocumentsChecked, AgencyStatus::Active, Action::AgencyApprove, true, "approve"},
    {AgencyStatus::Active, AgencyStatus::Suspended, Action::AgencySuspend, false, "suspend"},
}};

// Authorisation letter: pending → valid (confirmed by a second person); withdrawn from either.
inline constexpr std::array<Transition<LetterStatus>, 3> kLetterSteps{{
    {LetterStatus::Pending, LetterStatus::Valid, Action::LetterConfirm, true, "confirm"},
    {LetterStatus::Pending, LetterStatus::Withdrawn, Action::LetterWithdraw, false, "withdraw"},
    {LetterStatus::Valid, LetterStatus::Withdrawn, Action::LetterWithdraw, false, "withdraw"},
}};

// User service application: submitted → documents_checked → id_sighted → approved (a second person; the account
// opens). Rejected from any open state; on hold when the letter it was signed off under is withdrawn, back where it
// was when a representative with a valid letter signs it off again.
inline constexpr std::array<Transition<ApplicationStatus>, 13> kApplicationSteps{{
    {ApplicationStatus::Submitted, ApplicationStatus::DocumentsChecked, Action::ApplicationCheckDocuments, false,
     "check documents"},
    {ApplicationStatus::DocumentsChecked, ApplicationStatus::IdSighted, Action::ApplicationSightId, false,
     "record the original ID"},
    {ApplicationStatus::IdSighted, ApplicationStatus::Approved, Action::ApplicationApprove, true, "approve"},
    {ApplicationStatus::Submitted, ApplicationStatus::Rejected, Action::ApplicationReject, false, "reject"},
    {ApplicationStatus::DocumentsChecked, ApplicationStatus::Rejected, Action::ApplicationReject, false, "reject"},
    {ApplicationStatus::IdSighted, ApplicationStatus::Rejected, Action::ApplicationReject, false, "reject"},
    {ApplicationStatus::OnHold, ApplicationStatus::Rejected, Action::ApplicationReject, false, "reject"},
    {ApplicationStatus::Submitted, ApplicationStatus::OnHold, Action::LetterWithdraw, false, "letter withdrawn"},
    {ApplicationStatus::DocumentsChecked, ApplicationStatus::OnHold, Action::LetterWithdraw, false, "letter withdrawn"},
    {ApplicationStatus::IdSighted, ApplicationStatus::OnHold, Action::LetterWithdraw, false, "letter withdrawn"},
    {ApplicationStatus::OnHold, ApplicationStatus::Submitted, Action::ApplicationSignOff, false, "signed off again"},
    {ApplicationStatus::OnHold, ApplicationStatus::DocumentsChecked, Action::ApplicationSignOff, false,
     "signed off again"},
    {ApplicationStatus::OnHold, ApplicationStatus::IdSighted, Action::ApplicationSignOff, false, "signed off again"},
}};

// Revocation, renewal, unlock, re-key and recovery requests: submitted → checked → approved by a second person —
// completed there (revocation, unlock, recovery), or completed by the signer in the portal (renewal, re-key: the new
// key is sealed under their own password). Rejected while open or approved; on hold like applications.
inline constexpr std::array<Transition<RequestStatus>, 12> kRequestSteps{{
    {RequestStatus::Submitted, RequestStatus::Checked, Action::RequestCheck, false, "check"},
    {RequestStatus::Checked, RequestStatus::Approved, Action::RequestApprove, true, "approve (renewal, re-key)"},
    {RequestStatus::Checked, RequestStatus::Completed, Action::RequestApprove, true,
     "approve (revocation, unlock, recovery)"},
    {RequestStatus::Approved, RequestStatus::Completed, std::nullopt, false, "the signer completes it"},
    {RequestStatus::Submitted, RequestStatus::Rejected, Action::RequestReject, false, "reject"},
    {RequestStatus::Checked, RequestStatus::Rejected, Action::RequestReject, false, "reject"},
    {RequestStatus::OnHold, RequestStatus::Rejected, Action::RequestReject, false, "reject"},
    {RequestStatus::Approved, RequestStatus::Rejected, Action::RequestReject, false, "reject"},
    {RequestStatus::Submitted, RequestStatus::OnHold, Action::LetterWithdraw, false, "letter withdrawn"},
    {RequestStatus::Checked, RequestStatus::OnHold, Action::LetterWithdraw, false, "letter withdrawn"},
    {RequestStatus::OnHold, RequestStatus::Submitted, Action::RequestSignOff, false, "signed off again"},
    {RequestStatus::OnHold, RequestStatus::Checked, Action::RequestSignOff, false, "signed off again"},
}};

inline constexpr const auto& steps_of(AgencyStatus) { return kAgencySteps; }
inline constexpr const auto& steps_of(LetterStatus) { return kLetterSteps; }
inline constexpr const auto& steps_of(ApplicationStatus) { return kApplicationSteps; }
inline constexpr const auto& steps_of(RequestStatus) { return kRequestSteps; }

// The step from → to, if the table has one.
template <class Status>
std::optional<Transition<Status>> step_between(Status from, Status to) {
    for (const auto& t : steps_of(from))
        if (t.from == from && t.to == to) return t;
    return std::nullopt;
}

// On its way through the office: not decided and not on hold (a sign-off is recorded in these states).
inline bool in_progress(ApplicationStatus s) {
    return s == ApplicationStatus::Submitted || s == ApplicationStatus::DocumentsChecked || s == ApplicationStatus::IdSighted;
}
inline bool in_progress(RequestStatus s) { return s == RequestStatus::Submitted || s == RequestStatus::Checked; }

// Does a step out of `from` go by `action`? (The pages offer the steps a case can take now.)
template <class Status>
bool has_step(Status from, Action action) {
    for (const auto& t : steps_of(from))
        if (t.from == from && t.action == action) return true;
    return false;
}

// The four kinds' state diagrams, a Markdown heading and a Mermaid "stateDiagram-v2" block each, as
// docs/registration-office.md shows them.
std::string state_diagrams();

}  // namespace yq::ra
