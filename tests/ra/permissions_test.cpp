// Properties of the permission table that must hold whatever its cells (the cells themselves are checked over HTTP in
// RegistrationTest.EveryRoleActionCellIsEnforcedOverHttp).
#include <gtest/gtest.h>

#include "ra/permissions.hpp"
#include "ra/staff.hpp"
#include "support/fixtures.hpp"

using namespace yq;

TEST(Permissions, DecisionsAreNeverAnOfficersAndSignersHaveNoBackOfficeAction) {
    for (ra::Action a : {ra::Action::ApplicationApprove, ra::Action::RequestApprove, ra::Action::AgencyApprove,
                         ra::Action::LetterConfirm, ra::Action::LetterWithdraw})
        EXPECT_FALSE(ra::role_permits(ra::Role::Officer, a)) << ra::action_name(a);
    for (ra::Action a : ra::all_actions()) {
        EXPECT_FALSE(ra::role_permits(ra::Role::Signer, a)) << ra::action_name(a);
        // The auditor only reads.
        std::string name(ra::action_name(a));
        if (ra::role_permits(ra::Role::Auditor, a)) {
            EXPECT_TRUE(name.find(".read") != std::string::npos || name.find(".search") != std::string::npos ||
                        name.find(".list") != std::string::npos)
                << name;
        }
    }
}

TEST(Permissions, RoleNamesRoundTripAndUnknownOnesAreRejected) {
    for (ra::Role r : ra::all_roles()) EXPECT_EQ(ra::role_from_name(std::string(ra::role_name(r))), r);
    EXPECT_EQ(test::error_code_of([] { ra::parse_roles("officer,root"); }), "staff.unknown_role");
    EXPECT_EQ(ra::parse_roles("officer,supervisor").size(), 2u);
}

TEST(Permissions, AOneTimePasswordAllowsNothingUntilChanged) {
    ra::Principal p{"alice", {ra::Role::Supervisor}, "", true};
    EXPECT_EQ(test::error_code_of([&] { ra::require_permission(p, ra::Action::AgencyRead); }),
              "auth.password_change_required");
    p.must_change_password = false;
    EXPECT_NO_THROW(ra::require_permission(p, ra::Action::AgencyRead));
    EXPECT_EQ(test::error_code_of([&] { ra::require_permission(p, ra::Action::StaffManage); }), "auth.forbidden");
}

// #14: the roles whose sign-ins need a second administrator are exactly those that decide a case or manage sign-ins —
// derived from the table, so a decision given to another role later makes that role's sign-ins four-eyes too.
TEST(Permissions, EveryRoleThatDecidesOrManagesSignInsIsADecisionRole) {
    const ra::Action deciding[] = {ra::Action::AgencyApprove,      ra::Action::AgencySuspend,     ra::Action::LetterConfirm,
                                   ra::Action::LetterWithdraw,     ra::Action::ApplicationApprove, ra::Action::ApplicationReject,
                                   ra::Action::RequestApprove,     ra::Action::RequestReject,     ra::Action::StaffManage};
    for (ra::Role r : ra::all_roles()) {
        bool decides = false;
        for (ra::Action a : deciding) decides = decides || ra::role_permits(r, a);
        EXPECT_EQ(ra::is_decision_role(r), decides) << ra::role_name(r);
    }
    EXPECT_TRUE(ra::is_decision_role(ra::Role::Supervisor));
    EXPECT_TRUE(ra::is_decision_role(ra::Role::CaAdmin));
    EXPECT_FALSE(ra::is_decision_role(ra::Role::Officer));
    EXPECT_FALSE(ra::is_decision_role(ra::Role::Auditor));
}
