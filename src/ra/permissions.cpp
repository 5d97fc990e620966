#include "ra/permissions.hpp"

#include <map>

#include "core/error.hpp"

namespace yq::ra {

namespace {

struct RoleInfo {
    Role role;
    std::string_view name;
};
constexpr RoleInfo kRoles[] = {{Role::Officer, "officer"},   {Role::Supervisor, "supervisor"},
                               {Role::CaAdmin, "ca_admin"},  {Role::Auditor, "auditor"},
                               {Role::Representative, "representative"}, {Role::Signer, "signer"}};

struct ActionInfo {
    Action action;
    std::string_view name;
};
constexpr ActionInfo kActions[] = {
    {Action::AgencyCreate, "agency.create"}, {Action::AgencyRead, "agency.read"}, {Action::AgencySubmit, "agency.submit"},
    {Action::AgencyCheckDocuments, "agency.check_documents"}, {Action::AgencyApprove, "agency.approve"},
    {Action::AgencySuspend, "agency.suspend"}, {Action::RepresentativeAdd, "representative.add"},
    {Action::LetterRecord, "letter.record"}, {Action::LetterConfirm, "letter.confirm"},
    {Action::LetterWithdraw, "letter.withdraw"}, {Action::DocumentUpload, "document.upload"},
    {Action::DocumentRead, "document.read"}, {Action::ApplicationCreate, "application.create"},
    {Action::ApplicationRead, "application.read"}, {Action::ApplicationSignOff, "application.sign_off"},
    {Action::ApplicationCheckDocuments, "application.check_documents"},
    {Action::ApplicationSightId, "application.sight_id"}, {Action::ApplicationApprove, "application.approve"},
    {Action::ApplicationReject, "application.reject"}, {Action::IdentitySearch, "identity.search"},
    {Action::RequestCreate, "request.create"}, {Action::RequestRead, "request.read"},
    {Action::RequestSignOff, "request.sign_off"}, {Action::RequestCheck, "request.check"},
    {Action::RequestApprove, "request.approve"}, {Action::RequestReject, "request.reject"},
    {Action::AppointmentList, "appointment.list"}, {Action::AuditSearch, "audit.search"},
    {Action::StaffManage, "staff.manage"}, {Action::CrlPublish, "crl.publish"},
};

// Intake work: an officer files cases, uploads and checks documents, sights IDs and records sign-offs on paper forms.
constexpr Action kIntake[] = {Action::AgencyCreate, Action::AgencyRead, Action::AgencySubmit,
                              Action::AgencyCheckDocuments, Action::RepresentativeAdd, Action::LetterRecord,
                              Action::DocumentUpload, Action::DocumentRead, Action::ApplicationCreate,
                              Action::ApplicationRead, Action::ApplicationSignOff, Action::ApplicationCheckDocuments,
                              Action::ApplicationSightId, Action::IdentitySearch, Action::RequestCreate,
                              Action::RequestRead, Action::RequestSignOff, Action::RequestCheck,
                              Action::AppointmentList};
// Decisions: a supervisor approves and rejects (never a case they worked on — checked per case), confirms and
// withdraws letters, suspends agencies. Supervisors also do intake work.
constexpr Action kDecisions[] = {Action::AgencyApprove, Action::AgencySuspend, Action::LetterConfirm,
                                 Action::LetterWithdraw, Action::ApplicationApprove, Action::ApplicationReject,
                                 Action::RequestApprove, Action::RequestReject};
// Read-only oversight.
constexpr Action kAuditor[] = {Action::AgencyRead, Action::ApplicationRead, Action::RequestRead, Action::DocumentRead,
                               Action::AuditSearch, Action::AppointmentList};
// The CA administrator also manages staff sign-ins, and reads agencies to make their representatives' sign-ins.
constexpr Action kCaAdmin[] = {Action::StaffManage, Action::CrlPublish, Action::AuditSearch, Action::AgencyRead};
// A representative reads their own agency's files and signs off its applications, revocations and renewals (the
// service checks the agency and the letter's scope).
constexpr Action kRepresentative[] = {Action::AgencyRead, Action::ApplicationRead, Action::ApplicationSignOff,
                                      Action::RequestRead, Action::RequestSignOff};

template <std::size_t N>
bool in(const Action (&list)[N], Action a) {
    for (Action x : list)
        if (x == a) return true;
    return false;
}

}  // namespace

std::string_view role_name(Role r) {
    for (const auto& i : kRoles)
        if (i.role == r) return i.name;
    return "?";
}

Role role_from_name(const std::string& name) {
    for (const auto& i : kRoles)
        if (i.name == name) return i.role;
    throw_bad_input("staff.unknown_role",
                    "unknown role '" + name + "'; roles are officer, supervisor, ca_admin, auditor, representative");
}

std::string_view action_name(Action a) {
    for (const auto& i : kActions)
        if (i.action == a) return i.name;
    return "?";
}

const std::vector<Role>& all_roles() {
    static const std::vector<Role> k = [] {
        std::vector<Role> v;
        for (const auto& i : kRoles) v.push_back(i.role);
        return v;
    }();
    return k;
}

const std::vector<Action>& all_actions() {
    static const std::vector<Action> k = [] {
        std::vector<Action> v;
        for (const auto& i : kActions) v.push_back(i.action);
        return v;
    }();
    return k;
}

bool role_permits(Role role, Action action) {
    switch (role) {
        case Role::Officer: return in(kIntake, action);
        case Role::Supervisor: return in(kIntake, action) || in(kDecisions, action);
        case Role::CaAdmin: return in(kCaAdmin, action);
        case Role::Auditor: return in(kAuditor, action);
        case Role::Representative: return in(kRepresentative, action);
        case Role::Signer: return false;  // signers use /api/v1/me and the CSC API only
    }
    return false;
}

bool permits(const std::set<Role>& roles, Action action) {
    for (Role r : roles)
        if (role_permits(r, action)) return true;
    return false;
}

bool is_decision_role(Role role) {
    for (Action a : kDecisions)
        if (role_permits(role, a)) return true;
    return role_permits(role, Action::StaffManage);
}

}  // namespace yq::ra
