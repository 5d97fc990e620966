// The table of case states and steps (ra/case_states.hpp): the properties it must have whatever its rows, and the
// registration office's document drawn from it.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "ra/case_states.hpp"
#include "support/fixtures.hpp"

using namespace yq;

namespace {

// Every status of the kind is reached from `first` along the table's steps.
template <class Status>
std::set<std::string> reachable(Status first) {
    std::set<std::string> seen{ra::status_name(first)};
    for (bool grew = true; grew;) {
        grew = false;
        for (const auto& t : ra::steps_of(first))
            if (seen.count(ra::status_name(t.from)) && seen.insert(ra::status_name(t.to)).second) grew = true;
    }
    return seen;
}

template <class Status>
void expect_sound(Status first, std::initializer_list<Status> all) {
    EXPECT_EQ(reachable(first).size(), all.size()) << "a status no step leads to";
    for (Status s : all) EXPECT_EQ(ra::status_from_name<Status>(ra::status_name(s)), s);
    for (const auto& t : ra::steps_of(first)) {
        EXPECT_NE(t.from, t.to) << t.step;
        if (!t.action) continue;  // the signer's own step, in the portal
        bool someone = false;
        for (ra::Role r : ra::all_roles()) someone = someone || ra::role_permits(r, *t.action);
        EXPECT_TRUE(someone) << "nobody may " << t.step;
        // a second person's step is a decision: never an officer's
        if (t.second_person) {
            EXPECT_FALSE(ra::role_permits(ra::Role::Officer, *t.action)) << t.step;
        }
    }
}

}  // namespace

TEST(CaseStates, EveryStatusIsReachedAndEveryStepHasSomeoneWhoMayTakeIt) {
    using A = ra::AgencyStatus;
    using L = ra::LetterStatus;
    using P = ra::ApplicationStatus;
    using R = ra::RequestStatus;
    expect_sound(A::Draft, {A::Draft, A::Submitted, A::DocumentsChecked, A::Active, A::Suspended});
    expect_sound(L::Pending, {L::Pending, L::Valid, L::Withdrawn});
    expect_sound(P::Submitted, {P::Submitted, P::DocumentsChecked, P::IdSighted, P::Approved, P::Rejected, P::OnHold});
    expect_sound(R::Submitted, {R::Submitted, R::Checked, R::Approved, R::Completed, R::Rejected, R::OnHold});
}

TEST(CaseStates, AStatusNameTheKindDoesNotHaveIsRefused) {
    EXPECT_EQ(test::error_code_of([] { ra::status_from_name<ra::AgencyStatus>("approved"); }), "ra.bad_status");
    EXPECT_EQ(test::error_code_of([] { ra::status_from_name<ra::RequestStatus>(""); }), "ra.bad_status");
}

// docs/registration-office.md shows the state diagrams between two markers; they are the table's, to the letter.
TEST(CaseStates, TheRegistrationOfficeDocumentShowsTheTable) {
    std::ifstream in(std::string(YQ_SOURCE_DIR) + "/docs/registration-office.md");
    std::stringstream text;
    text << in.rdbuf();
    const std::string doc = text.str(), begin = "<!-- states: begin -->\n", end = "<!-- states: end -->";
    auto from = doc.find(begin), to = doc.find(end);
    ASSERT_NE(from, std::string::npos);
    ASSERT_NE(to, std::string::npos);
    EXPECT_EQ(doc.substr(from + begin.size(), to - from - begin.size()), ra::state_diagrams())
        << "paste ra::state_diagrams() between the markers:\n"
        << ra::state_diagrams();
}
