// The counter's one-step registrations (#15): each is every step of its case in one unit of work — stored whole, or,
// when any step is refused, nothing at all (no case file, no document, no audit event, no appointment used).
#include <gtest/gtest.h>

#include "support/office_services.hpp"

namespace yq {
namespace {

class CounterRegistrationTest : public test::RegistrationOfficeTest {};

TEST_P(CounterRegistrationTest, DelegatedAgencyIsSubmittedWithItsDocumentsAndTheHeadsLetter) {
    ra::CounterAgency c = agency_at_counter("DSAJ");
    c.representative.is_head = false;
    c.representative.name = "黃副局長 Wong";
    c.letter = ra::Letter{};
    c.letter->scopes = {"apply", "revoke"};
    c.letter->valid_from = clock.unix_seconds();
    c.documents.merge(documents({"authorisation_letter"}));
    ra::Agency a = office.agencies.register_agency_at_counter(officer, c);
    EXPECT_EQ(a.status, ra::AgencyStatus::Submitted);
    EXPECT_TRUE(office.documents.checklist(officer, a.id).missing.empty());
    auto letters = office.agencies.letters(officer, a.id);
    ASSERT_EQ(letters.size(), 1u);
    EXPECT_EQ(letters[0].status, ra::LetterStatus::Pending);
    EXPECT_EQ(letters[0].representative_id, a.representative_id);
    EXPECT_TRUE(office.documents.checklist(officer, letters[0].id).missing.empty());
}

// The last step (the submission) refuses an agency whose checklist is incomplete: the agency, its representative
// and the documents already stored in the same unit of work are gone with it, and its code stays free.
TEST_P(CounterRegistrationTest, AgencyRefusedAtItsSubmissionStoresNothing) {
    ra::CounterAgency c = agency_at_counter("DSAJ");
    c.documents.erase("contact_id_copy");
    std::size_t events = audit_events();
    EXPECT_EQ(test::error_code_of([&] { office.agencies.register_agency_at_counter(officer, c); }), "ra.documents_missing");
    EXPECT_TRUE(office.agencies.list(officer, "").empty());
    EXPECT_EQ(audit_events(), events);
    EXPECT_EQ(office.agencies.register_agency_at_counter(officer, agency_at_counter("DSAJ")).status, ra::AgencyStatus::Submitted);
}

TEST_P(CounterRegistrationTest, DelegateWithoutTheHeadsLetterIsRefusedBeforeAnythingIsStored) {
    ra::CounterAgency c = agency_at_counter("DSAJ");
    c.representative.is_head = false;
    std::size_t events = audit_events();
    EXPECT_EQ(test::error_code_of([&] { office.agencies.register_agency_at_counter(officer, c); }), "ra.letter_required");
    EXPECT_EQ(audit_events(), events);
}

// Registered by one person (here a supervisor working the counter), approved only by another.
TEST_P(CounterRegistrationTest, ApplicationWaitsForASecondPersonWithItsIdSighted) {
    ra::Agency agency = active_agency("DSAJ");
    const ra::Principal at_counter{"sue", {ra::Role::Officer, ra::Role::Supervisor}};
    ra::Application a =
        office.applications.register_application_at_counter(at_counter, application_at_counter(agency, "carol.chan", "5123456(7)"));
    EXPECT_EQ(a.status, ra::ApplicationStatus::IdSighted);
    ASSERT_TRUE(a.sign_off);
    EXPECT_EQ(a.sign_off->representative_id, agency.representative_id);
    ASSERT_TRUE(a.identity);
    EXPECT_EQ(a.identity->officer, at_counter.actor());
    EXPECT_EQ(office.applications.find_by_identity(officer, "macau_bir", "5123456(7)").size(), 1u);
    EXPECT_EQ(test::error_code_of([&] { office.applications.approve_application(at_counter, a.id); }), "ra.four_eyes");
    EXPECT_FALSE(office.applications.approve_application(supervisor, a.id).account_id.empty());
}

// A sign-off by someone who is not the agency's representative is refused after the application was written in the
// same unit of work: the application, its username and the audit events of the steps before are all gone.
TEST_P(CounterRegistrationTest, ApplicationSignedOffByAStrangerStoresNothingAndKeepsTheUsernameFree) {
    ra::Agency agency = active_agency("DSAJ");
    ra::CounterApplication c = application_at_counter(agency, "carol.chan", "5123456(7)");
    c.representative_id = "rep_somebody_else";
    std::size_t events = audit_events();
    EXPECT_NE(test::error_code_of([&] { office.applications.register_application_at_counter(officer, c); }), "");
    EXPECT_TRUE(office.applications.list(officer, "", "").empty());
    EXPECT_TRUE(office.applications.find_by_identity(officer, "macau_bir", "5123456(7)").empty());
    EXPECT_EQ(audit_events(), events);
    EXPECT_EQ(office.applications.register_application_at_counter(officer, application_at_counter(agency, "carol.chan", "5123456(7)"))
                  .status,
              ra::ApplicationStatus::IdSighted);
}

// At a re-key appointment someone shows an ID other than the one sighted when the account was applied for: the request
// is refused at its last step, and the booking is not used up by the attempt (the real owner can still come).
TEST_P(CounterRegistrationTest, RekeyWithAnotherPersonsIdLeavesTheAppointmentUnused) {
    ra::Agency agency = active_agency("DSAJ");
    ra::Application a = office.applications.register_application_at_counter(officer, application_at_counter(agency, "carol.chan", "5123456(7)"));
    office.applications.approve_application(supervisor, a.id);
    std::int64_t slot = calendar.slots_on("2025-11-26").front().start;
    auto booking = appointments.book("rekey", slot, "陳大文 Chan Tai Man", "carol@dsaj.gov.mo", "public:127.0.0.1",
                                     ra::BookingDetails{"", "carol.chan"});
    clock.set(slot);
    ra::CounterRequest c{"rekey", "carol.chan", "", ra::AppointmentChoice{booking.confirmation_code, ""}, "macau_bir",
                         "7654321(0)", documents({"unlock_request_form", "user_id_copy"})};
    std::size_t events = audit_events();
    EXPECT_EQ(test::error_code_of([&] { office.requests.register_request_at_counter(officer, c); }), "ra.identity_mismatch");
    EXPECT_TRUE(office.requests.list(officer, "", "").empty());
    EXPECT_EQ(audit_events(), events);
    EXPECT_EQ(appointments.find(booking.confirmation_code).status, "booked");
    c.id_number = "5123456(7)";
    ra::ServiceRequest opened = office.requests.register_request_at_counter(officer, c);
    EXPECT_EQ(opened.status, ra::RequestStatus::Checked);
    EXPECT_EQ(appointments.find(booking.confirmation_code).status, "attended");
}

INSTANTIATE_TEST_SUITE_P(Backends, CounterRegistrationTest, ::testing::ValuesIn(test::db_kinds()), test::db_kind_name);

}  // namespace
}  // namespace yq
