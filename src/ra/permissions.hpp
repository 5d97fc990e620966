#pragma once
// Who may do what in the registration office. One table, consulted by every API action (web/ checks it before calling
// the service, the service checks the four-eyes rules that depend on the case). Domain reference §1 (actors).
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace yq::ra {

enum class Role { Officer, Supervisor, CaAdmin, Auditor, Representative, Signer };

enum class Action {
    AgencyCreate, AgencyRead, AgencySubmit, AgencyCheckDocuments, AgencyApprove, AgencySuspend,
    RepresentativeAdd, LetterRecord, LetterConfirm, LetterWithdraw,
    DocumentUpload, DocumentRead,
    ApplicationCreate, ApplicationRead, ApplicationSignOff, ApplicationCheckDocuments, ApplicationSightId,
    ApplicationApprove, ApplicationReject, IdentitySearch,
    RequestCreate, RequestRead, RequestSignOff, RequestCheck, RequestApprove, RequestReject,
    AppointmentList,
    AuditSearch,
    StaffManage,
    CrlPublish,
};

std::string_view role_name(Role r);
Role role_from_name(const std::string& name);  // throws "staff.unknown_role"
std::string_view action_name(Action a);
const std::vector<Role>& all_roles();
const std::vector<Action>& all_actions();

// The permission table. A principal may hold several roles; it may act when any of them permits the action.
bool role_permits(Role role, Action action);
bool permits(const std::set<Role>& roles, Action action);
// A role that decides (approves, rejects, confirms, suspends) or manages sign-ins: made or reset only with a second
// administrator's approval (#14), so that one administrator cannot be both people of four eyes.
bool is_decision_role(Role role);

}  // namespace yq::ra
