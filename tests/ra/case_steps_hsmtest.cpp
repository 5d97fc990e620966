// Every step of a user's application (ra/case_states.hpp) taken as every role from every state, against the
// registration office in process (fresh SoftHSM token, SQLite or PostgreSQL, fixed clock). A step is taken exactly
// when the role may take it (permission table) and the table has it from that state; a second person's step is
// refused to whoever did the case's earlier steps, whatever their roles (four eyes).
#include <gtest/gtest.h>

#include <functional>

#include "core/error.hpp"
#include "support/office_services.hpp"

namespace yq {
namespace {

using Status = ra::ApplicationStatus;

struct Outcome {
    int http_status = 0;  // 0: done
    std::string code;
};

Outcome outcome_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return {e.http_status(), e.code()};
    }
    return {};
}

class CaseStepsTest : public test::RegistrationOfficeTest {
protected:
    ra::Agency agency;
    int serial = 0;

    struct Delegate {
        ra::Representative representative;
        std::string letter_id;
    };
    Delegate delegate;  // signs off the applications; their letter stays valid

    void SetUp() override {
        test::RegistrationOfficeTest::SetUp();
        agency = active_agency("DSAJ");
        delegate = new_delegate();
    }

    // A delegate of the agency with a confirmed letter (scope "apply").
    Delegate new_delegate() {
        ra::CounterRepresentative c;
        c.representative = ra::Representative{"", "", "黃副局長 Wong", "副局長", false, "macau_bir", "", "", 0};
        c.id_number = std::to_string(7000000 + ++serial) + "(7)";
        c.letter = ra::Letter{};
        c.letter->scopes = {"apply"};
        c.letter->valid_from = clock.unix_seconds();
        c.documents = documents({"authorisation_letter"});
        Delegate d{office.agencies.add_representative_at_counter(officer, agency.id, c), ""};
        for (const auto& l : office.agencies.letters(officer, agency.id))
            if (l.representative_id == d.representative.id) d.letter_id = l.id;
        office.agencies.confirm_letter(supervisor, d.letter_id);
        return d;
    }

    // A fresh application brought to `status` by the officer (and the supervisor for the decisions), signed off by a
    // delegate under a letter, with its documents attached. On hold: its own delegate's letter is withdrawn.
    ra::Application application_in(Status status) {
        ra::Application a;
        a.agency_id = agency.id;
        a.username = "user" + std::to_string(++serial);
        a.display_name = "陳大文 Chan Tai Man";
        a.email = a.username + "@dsaj.gov.mo";
        a = office.applications.create_application(officer, a);
        Delegate signer = status == Status::OnHold ? new_delegate() : delegate;
        office.applications.sign_off_application(officer, a.id, signer.representative.id);
        for (const char* type : {"service_application_form", "user_id_copy"})
            office.documents.add_document(officer, a.id, type, documents({type}).begin()->second);
        if (status == Status::Rejected) return office.applications.reject_application(supervisor, a.id, "incomplete");
        if (status == Status::OnHold) {
            office.agencies.withdraw_letter(supervisor, signer.letter_id, "replaced");
            return office.applications.application(officer, a.id);
        }
        if (status == Status::Submitted) return a;
        a = office.applications.check_application_documents(officer, a.id);
        if (status == Status::DocumentsChecked) return a;
        a = office.applications.record_identity(officer, a.id, "macau_bir", std::to_string(1000000 + serial) + "(1)");
        if (status == Status::IdSighted) return a;
        office.applications.approve_application(supervisor, a.id);
        return office.applications.application(officer, a.id);
    }

    // The office's call for `action` on the application.
    void take(ra::Action action, const ra::Principal& who, const ra::Application& a) {
        switch (action) {
            case ra::Action::ApplicationCheckDocuments: office.applications.check_application_documents(who, a.id); return;
            case ra::Action::ApplicationSightId: office.applications.record_identity(who, a.id, "macau_bir", "2222222(2)"); return;
            case ra::Action::ApplicationApprove: office.applications.approve_application(who, a.id); return;
            case ra::Action::ApplicationReject: office.applications.reject_application(who, a.id, "not eligible"); return;
            default: FAIL() << "no call for " << ra::action_name(action);
        }
    }
};

TEST_P(CaseStepsTest, EveryRoleTakesExactlyTheApplicationStepsTheTablesGiveIt) {
    const ra::Action actions[] = {ra::Action::ApplicationCheckDocuments, ra::Action::ApplicationSightId,
                                  ra::Action::ApplicationApprove, ra::Action::ApplicationReject};
    const Status states[] = {Status::Submitted, Status::DocumentsChecked, Status::IdSighted,
                             Status::Approved,  Status::Rejected,         Status::OnHold};
    int taken = 0;
    for (Status from : states) {
        for (ra::Action action : actions) {
            for (ra::Role role : ra::all_roles()) {
                SCOPED_TRACE(ra::status_name(from) + " × " + std::string(ra::action_name(action)) + " × " +
                             std::string(ra::role_name(role)));
                ra::Application a = application_in(from);
                ASSERT_EQ(a.status, from);
                // someone who did none of the case's steps, with this one role
                const ra::Principal who{"fresh." + std::string(ra::role_name(role)), {role},
                                        role == ra::Role::Representative ? delegate.representative.id : ""};
                Outcome o = outcome_of([&] { take(action, who, a); });
                const bool permitted = ra::role_permits(role, action);
                std::optional<ra::Transition<Status>> step;
                for (const auto& t : ra::kApplicationSteps)
                    if (t.from == from && t.action == action) step = t;
                if (!permitted) {
                    EXPECT_EQ(o.code, "auth.forbidden");
                } else if (!step) {
                    EXPECT_EQ(o.http_status, 409) << o.code;
                } else {
                    EXPECT_EQ(o.code, "");
                    EXPECT_EQ(office.applications.application(officer, a.id).status, step->to);
                    ++taken;
                }
            }
        }
    }
    // officer and supervisor check documents and record the ID; the supervisor approves, and rejects from four states
    EXPECT_EQ(taken, 2 + 2 + 1 + 4);
}

// The table's second-person steps, taken by the officer who filed the case (given the decision role): refused.
TEST_P(CaseStepsTest, ASecondPersonsStepIsRefusedToWhoeverDidAnEarlierStep) {
    const ra::Principal filer_promoted{officer.username, {ra::Role::Officer, ra::Role::Supervisor}};
    for (const auto& t : ra::kApplicationSteps) {
        if (!t.second_person) continue;
        SCOPED_TRACE(t.step);
        ra::Application a = application_in(t.from);
        EXPECT_EQ(outcome_of([&] { take(*t.action, filer_promoted, a); }).code, "ra.four_eyes");
        EXPECT_EQ(office.applications.application(officer, a.id).status, t.from);
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, CaseStepsTest, ::testing::ValuesIn(test::db_kinds()), test::db_kind_name);

}  // namespace
}  // namespace yq
