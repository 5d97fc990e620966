// The registration office over loopback, as a new office would use it: staff made with the CLI, everything else
// through /api/v1 and the CSC API, verdicts from openssl. Runs on SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <ctime>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "core/bytes.hpp"
#include "core/clock.hpp"
#include "support/fixtures.hpp"
#include "support/http_client.hpp"
#include "support/office_api.hpp"

using namespace yq;
using nlohmann::json;
using test::DbKind;
using test::run_command;

using namespace test::office;


class RegistrationTest : public ::testing::TestWithParam<DbKind> {
protected:
    test::TempDir work;
};

// Issue "Registration office", done-when: agency under a letter → application → documents → original ID → second
// officer → the user signs; letter withdrawn → pending cases stop; revocation by the representative → OCSP revoked;
// unlock appointment inside office hours (not on a holiday) → unlock at the appointment; all in the audit chain.
TEST_P(RegistrationTest, AgencyToSignerToRevocationAndUnlockAtAnAppointment) {
    test::ServerProcess server(test::ServerProcess::Options{GetParam(), office_config()});
    Api api{server.port()};
    Staff officer = sign_in_staff(server, api, "olivia", "officer");
    Staff supervisor = sign_in_staff(server, api, "samuel", "supervisor");
    Staff auditor = sign_in_staff(server, api, "audrey", "auditor");

    // Bad uploads: type by content, size limit.
    EXPECT_EQ(api.upload(officer.token, "hello, not a scan").status, 415);
    EXPECT_EQ(api.upload(officer.token, pdf(std::string(70000, 'x'))).status, 413);

    // A draft agency cannot be submitted without its documents: the answer lists them.
    auto draft = api.call("POST", "/api/v1/agencies", officer.token,
                          {{"kind", "government"}, {"name_zh", "測試局"}, {"code", "TEST-00"},
                           {"head", {{"name", "Head"}}}, {"contact", {{"name", "Contact"}, {"phone", "28000000"}}},
                           {"representative", {{"name", "Delegate"}, {"is_head", false}, {"id_type", "macau_bir"},
                                               {"id_number", "1000001(1)"}}}});
    ASSERT_EQ(draft.status, 201) << draft.body;
    auto missing = api.call("POST", "/api/v1/agencies/" + draft.body["agency"]["id"].get<std::string>() + "/submit",
                            officer.token);
    EXPECT_EQ(missing.status, 422);
    EXPECT_EQ(missing.body["error"], "ra.documents_missing");
    EXPECT_EQ(missing.body["details"], json({"agency_application_form", "representative_id_copy", "contact_id_copy",
                                             "authorisation_letter"}));

    RegisteredAgency agency = register_agency(api, officer, supervisor);

    // Application: documents checked and ID sighted by the officer; the officer cannot approve (role), the
    // supervisor can.
    std::string app1 = ready_application(api, officer, agency, "chan.taiman", "1234567(8)");
    auto by_officer = api.call("POST", "/api/v1/applications/" + app1 + "/approve", officer.token);
    EXPECT_EQ(by_officer.status, 403);
    EXPECT_EQ(by_officer.body["error"], "auth.forbidden");
    Signer chan = open_account(api, supervisor, app1);
    EXPECT_NE(sign_and_verify(api, work, chan, "公文 document 1").find("Verified OK"), std::string::npos);

    // The ID number is searchable by keyed hash, in any spelling, and never shown.
    auto found = api.call("POST", "/api/v1/identity-search", officer.token,
                          {{"id_type", "macau_bir"}, {"id_number", "12345678"}});
    ASSERT_EQ(found.status, 200) << found.body;
    ASSERT_EQ(found.body["applications"].size(), 1u);
    EXPECT_EQ(found.body["applications"][0]["username"], "chan.taiman");
    EXPECT_EQ(found.body.dump().find("id_number"), std::string::npos);

    // A second user, approved before the letter is withdrawn; a third still pending.
    std::string app2 = ready_application(api, officer, agency, "lei.user", "7654321(0)");
    Signer lei = open_account(api, supervisor, app2);
    std::string app3 = ready_application(api, officer, agency, "pending.user", "5555555(5)");

    // Withdrawing the letter stops the pending application; approving it now names the rule.
    auto withdrawn = api.call("POST", "/api/v1/letters/" + agency.letter_id + "/withdraw", supervisor.token,
                              {{"reason", "delegate left the bureau"}});
    ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
    EXPECT_EQ(withdrawn.body["held"], json({app3}));
    auto held = api.call("GET", "/api/v1/applications/" + app3, officer.token);
    EXPECT_EQ(held.body["application"]["status"], "on_hold");
    auto blocked = api.call("POST", "/api/v1/applications/" + app3 + "/approve", supervisor.token);
    EXPECT_EQ(blocked.status, 409);
    EXPECT_EQ(blocked.body["error"], "ra.application_on_hold");
    // The withdrawn delegate cannot sign off again.
    auto resign = api.call("POST", "/api/v1/applications/" + app3 + "/sign-off", officer.token,
                           {{"representative_id", agency.delegate_id}});
    EXPECT_EQ(resign.status, 409);
    EXPECT_EQ(resign.body["error"], "ra.no_valid_letter");

    // The head becomes a representative with a sign-in and signs off chan's revocation online.
    auto head = api.call("POST", "/api/v1/agencies/" + agency.id + "/representatives", officer.token,
                         {{"name", "梁局長 Leong"}, {"title", "局長"}, {"is_head", true}, {"id_type", "macau_bir"},
                          {"id_number", "1111111(1)"}});
    ASSERT_EQ(head.status, 201) << head.body;
    Staff head_rep = sign_in_staff(server, api, "leong.head", "representative", head.body["id"]);
    auto revocation = api.call("POST", "/api/v1/requests", officer.token,
                               {{"kind", "revocation"}, {"username", "chan.taiman"}, {"reason", "affiliationChanged"}});
    ASSERT_EQ(revocation.status, 201) << revocation.body;
    std::string rev_id = revocation.body["id"];
    api.attach(officer.token, rev_id, "revocation_request_form", pdf("revocation chan"));
    EXPECT_EQ(api.call("POST", "/api/v1/requests/" + rev_id + "/sign-off", head_rep.token).status, 200);
    EXPECT_EQ(api.call("POST", "/api/v1/requests/" + rev_id + "/check", officer.token).status, 200);
    EXPECT_EQ(api.call("POST", "/api/v1/requests/" + rev_id + "/approve", head_rep.token).status, 403);

    // Before approval OCSP says good; after it, revoked.
    auto info = api.call("POST", "/csc/v2/credentials/info", chan.csc_token, {{"credentialID", chan.credential}});
    core::Bytes der = core::base64_decode(info.body["cert"]["certificates"][0].get<std::string>());
    test::write_file(work.file("chan.der"), std::string(der.begin(), der.end()));
    run_command("openssl x509 -inform DER -in " + work.file("chan.der") + " -out " + work.file("chan.pem"));
    auto ocsp = [&] {
        return run_command("openssl ocsp -issuer " + server.issuing_pem() + " -cert " + work.file("chan.pem") +
                           " -url " + server.base_url() + "/ocsp -CAfile " + server.root_pem())
            .output;
    };
    EXPECT_NE(ocsp().find("chan.pem: good"), std::string::npos);
    auto approved = api.call("POST", "/api/v1/requests/" + rev_id + "/approve", supervisor.token);
    ASSERT_EQ(approved.status, 200) << approved.body;
    EXPECT_EQ(approved.body["status"], "completed");
    std::string verdict;
    for (int i = 0; i < 30 && verdict.find("revoked") == std::string::npos; ++i) {
        verdict = ocsp();
        if (verdict.find("revoked") == std::string::npos) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_NE(verdict.find("chan.pem: revoked"), std::string::npos) << verdict;
    EXPECT_NE(verdict.find("Reason: affiliationChanged"), std::string::npos) << verdict;

    // Five wrong signing passwords lock lei; an unlock appointment is bookable inside office hours, not on a holiday.
    for (int i = 0; i < 5; ++i) authorize(api, lei, "wrong-password-" + std::to_string(i), core::base64_encode(core::sha256(std::string("y"))));
    auto locked = authorize(api, lei, lei.signing_password, core::base64_encode(core::sha256(std::string("y"))));
    EXPECT_EQ(locked.status, 400) << locked.body;
    EXPECT_EQ(locked.body["error_description"], "Credential locked");
    auto holiday = api.call("GET", "/api/v1/appointments/slots?date=" + today_in_macau(10), "");
    EXPECT_TRUE(holiday.body["slots"].empty()) << holiday.body;
    auto on_holiday = api.call("POST", "/api/v1/appointments", "",
                               {{"purpose", "unlock"}, {"slot_start", today_in_macau(10) + "T02:00:00Z"},
                                {"name", "李用戶 Lei"}, {"contact", "lei.user@dsaj.gov.mo"}, {"username", "lei.user"}});
    EXPECT_EQ(on_holiday.status, 400);
    EXPECT_EQ(on_holiday.body["error"], "appointments.outside_office_hours");
    std::string slot = next_free_slot(api);
    ASSERT_FALSE(slot.empty());
    auto booked = api.call("POST", "/api/v1/appointments", "",
                           {{"purpose", "unlock"}, {"slot_start", slot}, {"name", "李用戶 Lei"},
                            {"contact", "lei.user@dsaj.gov.mo"}, {"username", "lei.user"}});
    ASSERT_EQ(booked.status, 201) << booked.body;
    std::string code = booked.body["confirmation_code"];

    // At the appointment: unlock form, ID checked against the one sighted at registration, second person approves.
    auto no_code = api.call("POST", "/api/v1/requests", officer.token, {{"kind", "unlock"}, {"username", "lei.user"}});
    EXPECT_EQ(no_code.status, 400);
    EXPECT_EQ(no_code.body["error"], "appointments.code_required");
    auto unlock = api.call("POST", "/api/v1/requests", officer.token,
                           {{"kind", "unlock"}, {"username", "lei.user"}, {"appointment_code", code}});
    ASSERT_EQ(unlock.status, 201) << unlock.body;
    std::string unlock_id = unlock.body["id"];
    auto again = api.call("POST", "/api/v1/requests", officer.token,
                          {{"kind", "unlock"}, {"username", "lei.user"}, {"appointment_code", code}});
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(again.body["error"], "appointments.not_booked");
    auto early = api.call("POST", "/api/v1/requests/" + unlock_id + "/check", officer.token,
                          {{"id_type", "macau_bir"}, {"id_number", "7654321(0)"}});
    EXPECT_EQ(early.status, 422);
    EXPECT_EQ(early.body["details"], json({"unlock_request_form", "user_id_copy"}));
    api.attach(officer.token, unlock_id, "unlock_request_form", pdf("unlock lei"));
    api.attach(officer.token, unlock_id, "user_id_copy", jpeg() + "lei again");
    auto wrong_id = api.call("POST", "/api/v1/requests/" + unlock_id + "/check", officer.token,
                             {{"id_type", "macau_bir"}, {"id_number", "1234567(8)"}});
    EXPECT_EQ(wrong_id.status, 409);
    EXPECT_EQ(wrong_id.body["error"], "ra.identity_mismatch");
    EXPECT_EQ(api.call("POST", "/api/v1/requests/" + unlock_id + "/check", officer.token,
                       {{"id_type", "macau_bir"}, {"id_number", "7654321 (0)"}})
                  .status,
              200);
    auto unlocked = api.call("POST", "/api/v1/requests/" + unlock_id + "/approve", supervisor.token);
    ASSERT_EQ(unlocked.status, 200) << unlocked.body;
    EXPECT_EQ(unlocked.body["status"], "completed");
    EXPECT_NE(sign_and_verify(api, work, lei, "after unlock").find("Verified OK"), std::string::npos);
    // The office's day shows the appointment as attended, in the API and the CLI.
    std::string day = booked.body["local_time"].get<std::string>().substr(0, 10);
    auto listed = api.call("GET", "/api/v1/appointments?date=" + day, officer.token);
    ASSERT_EQ(listed.status, 200) << listed.body;
    ASSERT_EQ(listed.body["appointments"].size(), 1u);
    EXPECT_EQ(listed.body["appointments"][0]["status"], "attended");
    EXPECT_NE(server.cli("appointments list --date " + day).output.find("unlock  attended  李用戶 Lei"), std::string::npos);

    // The auditor finds the application's history; the officer may not search the audit log.
    auto history = api.call("GET", "/api/v1/audit/events?object=application:" + app1, auditor.token);
    ASSERT_EQ(history.status, 200) << history.body;
    std::vector<std::string> actions;
    for (const auto& e : history.body["events"]) actions.push_back(e["action"]);
    std::reverse(actions.begin(), actions.end());
    EXPECT_EQ(actions, (std::vector<std::string>{"application.submitted", "application.signed_off", "document.attached",
                                                 "document.attached", "application.documents_checked",
                                                 "application.id_sighted", "application.approved"}));
    EXPECT_EQ(api.call("GET", "/api/v1/audit/events?object=application:" + app1, officer.token).status, 403);
    auto by_supervisor = api.call("GET", "/api/v1/audit/events?actor=staff:samuel&action=request.approved", auditor.token);
    EXPECT_EQ(by_supervisor.body["events"].size(), 2u) << by_supervisor.body;
    // No ID number, password or code in clear anywhere in the chain.
    auto all = api.call("GET", "/api/v1/audit/events?limit=1000", auditor.token);
    for (const char* secret : {"7654321", "1234567", code.c_str(), "own-signing-secret"})
        EXPECT_EQ(all.body.dump().find(secret), std::string::npos) << secret;
    auto verified = server.cli("audit verify");
    EXPECT_EQ(verified.exit_code, 0) << verified.output;
}

// Two supervisors approve the same application at once: exactly one account is opened; the others get 409 and
// nothing of their attempts remains. No certificate is issued at approval at all (#14: the key and its certificate
// are made when the signer first chooses the signing password).
TEST_P(RegistrationTest, ConcurrentApprovalsOpenExactlyOneAccount) {
    test::ServerProcess server(test::ServerProcess::Options{GetParam(), office_config()});
    Api api{server.port()};
    Staff officer = sign_in_staff(server, api, "olivia", "officer");
    Staff s1 = sign_in_staff(server, api, "sup.one", "supervisor");
    Staff s2 = sign_in_staff(server, api, "sup.two", "supervisor");
    RegisteredAgency agency = register_agency(api, officer, s1);
    std::string app = ready_application(api, officer, agency, "race.user", "2222222(2)");

    std::atomic<int> ok{0}, conflict{0};
    std::vector<std::thread> threads;
    for (const Staff* s : {&s1, &s2, &s1, &s2})
        threads.emplace_back([&, s] {
            auto r = api.call("POST", "/api/v1/applications/" + app + "/approve", s->token);
            if (r.status == 200) ++ok;
            if (r.status == 409) ++conflict;
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), 1);
    EXPECT_EQ(conflict.load(), 3);
    auto opened = server.cli("audit search --object account:race.user --action account.created");
    std::size_t accounts = 0;
    for (std::size_t p = opened.output.find("account.created"); p != std::string::npos;
         p = opened.output.find("account.created", p + 1))
        ++accounts;
    EXPECT_EQ(accounts, 1u) << opened.output;
    EXPECT_EQ(server.cli("ca list").output.find("  signer  "), std::string::npos);
    EXPECT_EQ(server.cli("audit verify").exit_code, 0);
}

// Four-eyes beyond roles: a supervisor who checked the documents cannot approve the same application.
TEST_P(RegistrationTest, TheSupervisorWhoCheckedCannotApprove) {
    test::ServerProcess server(test::ServerProcess::Options{GetParam(), office_config()});
    Api api{server.port()};
    Staff officer = sign_in_staff(server, api, "olivia", "officer");
    Staff checker = sign_in_staff(server, api, "sup.checker", "supervisor");
    Staff other = sign_in_staff(server, api, "sup.other", "supervisor");
    RegisteredAgency agency = register_agency(api, officer, other);
    std::string app = ready_application(api, checker, agency, "four.eyes", "3333333(3)");
    auto self = api.call("POST", "/api/v1/applications/" + app + "/approve", checker.token);
    EXPECT_EQ(self.status, 409);
    EXPECT_EQ(self.body["error"], "ra.four_eyes");
    EXPECT_EQ(api.call("POST", "/api/v1/applications/" + app + "/approve", other.token).status, 200);
    // Invalid transitions name the rule.
    auto twice = api.call("POST", "/api/v1/applications/" + app + "/approve", other.token);
    EXPECT_EQ(twice.status, 409);
    EXPECT_EQ(twice.body["error"], "ra.application_closed");
    auto taken = api.call("POST", "/api/v1/applications", officer.token,
                          {{"agency_id", agency.id}, {"username", "four.eyes"}, {"display_name", "Other"},
                           {"email", "o@dsaj.gov.mo"}});
    EXPECT_EQ(taken.status, 409);
    EXPECT_EQ(taken.body["error"], "ra.username_taken");
}

// Every (role, action) cell over HTTP. The expected roles per endpoint are written here from the issue's role
// description, independently of the server's permission table: a change to either shows up as a failure.
TEST_P(RegistrationTest, EveryRoleActionCellIsEnforcedOverHttp) {
    test::ServerProcess server(test::ServerProcess::Options{GetParam(), office_config()});
    Api api{server.port()};
    std::map<std::string, std::string> token;
    for (const char* role : {"officer", "supervisor", "ca_admin", "auditor"})
        token[role] = sign_in_staff(server, api, std::string("r.") + role, role).token;
    auto agency = api.call("POST", "/api/v1/agencies", token["officer"],
                           {{"kind", "organisation"}, {"name_zh", "某公司"}, {"code", "M1-1234"},
                            {"head", {{"name", "Head"}}}, {"contact", {{"name", "Contact"}, {"phone", "28000000"}}},
                            {"representative", {{"name", "Head"}, {"is_head", true}, {"id_type", "macau_bir"},
                                                {"id_number", "1000001(1)"}}}});
    ASSERT_EQ(agency.status, 201) << agency.body;
    token["representative"] =
        sign_in_staff(server, api, "r.representative", "representative", agency.body["representative_id"]).token;
    std::string input = work.file("signer.in");
    test::write_file(input, "login-password-1\nsigning-password-1\n");
    ASSERT_EQ(server.cli("account create --username r.signer --name Signer --agency X < " + input).exit_code, 0);
    token["signer"] = csc_login(api, "r.signer", "login-password-1");

    struct Cell {
        const char* method;
        const char* path;
        const char* allowed;  // roles, space-separated
    };
    const Cell table[] = {
        {"POST", "/api/v1/documents", "officer supervisor"},
        {"GET", "/api/v1/documents/nope", "officer supervisor auditor"},
        {"POST", "/api/v1/cases/nope/documents", "officer supervisor"},
        {"GET", "/api/v1/cases/nope/checklist", "officer supervisor auditor representative ca_admin"},
        {"POST", "/api/v1/agencies", "officer supervisor"},
        {"GET", "/api/v1/agencies", "officer supervisor auditor representative ca_admin"},
        {"GET", "/api/v1/agencies/nope", "officer supervisor auditor representative ca_admin"},
        {"POST", "/api/v1/agencies/nope/submit", "officer supervisor"},
        {"POST", "/api/v1/agencies/nope/check-documents", "officer supervisor"},
        {"POST", "/api/v1/agencies/nope/approve", "supervisor"},
        {"POST", "/api/v1/agencies/nope/suspend", "supervisor"},
        {"POST", "/api/v1/agencies/nope/representatives", "officer supervisor"},
        {"POST", "/api/v1/agencies/nope/letters", "officer supervisor"},
        {"POST", "/api/v1/letters/nope/confirm", "supervisor"},
        {"POST", "/api/v1/letters/nope/withdraw", "supervisor"},
        {"POST", "/api/v1/applications", "officer supervisor"},
        {"GET", "/api/v1/applications", "officer supervisor auditor representative"},
        {"GET", "/api/v1/applications/nope", "officer supervisor auditor representative"},
        {"POST", "/api/v1/applications/nope/sign-off", "officer supervisor representative"},
        {"POST", "/api/v1/applications/nope/check-documents", "officer supervisor"},
        {"POST", "/api/v1/applications/nope/identity", "officer supervisor"},
        {"POST", "/api/v1/applications/nope/approve", "supervisor"},
        {"POST", "/api/v1/applications/nope/reject", "supervisor"},
        {"POST", "/api/v1/identity-search", "officer supervisor"},
        {"POST", "/api/v1/requests", "officer supervisor"},
        {"GET", "/api/v1/requests", "officer supervisor auditor representative"},
        {"GET", "/api/v1/requests/nope", "officer supervisor auditor representative"},
        {"POST", "/api/v1/requests/nope/sign-off", "officer supervisor representative"},
        {"POST", "/api/v1/requests/nope/check", "officer supervisor"},
        {"POST", "/api/v1/requests/nope/approve", "supervisor"},
        {"POST", "/api/v1/requests/nope/reject", "supervisor"},
        {"GET", "/api/v1/appointments?date=2026-12-01", "officer supervisor auditor"},
        {"GET", "/api/v1/audit/events?limit=1", "auditor ca_admin"},
        {"GET", "/api/v1/staff", "ca_admin"},
        {"POST", "/api/v1/staff", "ca_admin"},
        {"POST", "/api/v1/staff/nope/reset", "ca_admin"},
        {"POST", "/api/v1/staff/nope/approve", "ca_admin"},
        {"POST", "/api/v1/staff/nope/cancel", "ca_admin"},
    };
    for (const Cell& cell : table) {
        for (const auto& [role, t] : token) {
            bool allowed = (" " + std::string(cell.allowed) + " ").find(" " + role + " ") != std::string::npos;
            auto r = api.call(cell.method, cell.path, t, std::string(cell.method) == "POST" ? json::object() : json());
            if (allowed) {
                EXPECT_NE(r.status, 403) << role << " " << cell.method << " " << cell.path << " " << r.body;
                EXPECT_NE(r.status, 401) << role << " " << cell.method << " " << cell.path << " " << r.body;
            } else {
                EXPECT_EQ(r.status, 403) << role << " " << cell.method << " " << cell.path << " " << r.body;
                EXPECT_EQ(r.body.value("error", ""), "auth.forbidden") << role << " " << cell.path;
            }
        }
        EXPECT_EQ(api.call(cell.method, cell.path, "").status, 401) << cell.path;  // nobody signed in
    }
    // A representative sees only their own agency.
    auto other = api.call("POST", "/api/v1/agencies", token["officer"],
                          {{"kind", "organisation"}, {"name_zh", "另一公司"}, {"code", "M1-9999"},
                           {"head", {{"name", "H"}}}, {"contact", {{"name", "C"}, {"phone", "28000001"}}},
                           {"representative", {{"name", "H"}, {"is_head", true}, {"id_type", "passport"},
                                               {"id_number", "P1234567"}}}});
    ASSERT_EQ(other.status, 201);
    auto foreign = api.call("GET", "/api/v1/agencies/" + other.body["agency"]["id"].get<std::string>(),
                            token["representative"]);
    EXPECT_EQ(foreign.status, 403);
    auto own = api.call("GET", "/api/v1/agencies", token["representative"]);
    ASSERT_EQ(own.body["agencies"].size(), 1u);
    EXPECT_EQ(own.body["agencies"][0]["code"], "M1-1234");
}

// Staff sign-in: one answer for unknown user, wrong password, wrong code and a locked sign-in; the fifth failure locks
// the sign-in (even the right password is then refused); a replayed code is refused; an administrator's reset opens it.
TEST_P(RegistrationTest, StaffSignInNeedsPasswordAndFreshTotpAndLocksAfterFailures) {
    test::ServerProcess server(test::ServerProcess::Options{GetParam(), office_config()});
    Api api{server.port()};
    Staff o = sign_in_staff(server, api, "olivia", "officer");
    auto try_login = [&](const std::string& user, const std::string& password, const std::string& otp) {
        return api.call("POST", "/api/v1/staff/login", "", {{"username", user}, {"password", password}, {"otp", otp}});
    };
    auto unknown = try_login("nobody", "whatever-password", "123456");
    auto replay = try_login("olivia", "olivia-chosen-password", o.login_otp);  // the code already used to sign in
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(replay.status, 401);
    EXPECT_EQ(unknown.body, replay.body);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(try_login("olivia", "wrong-password", test::totp_now(o.otp_secret, 30)).status, 401);
    auto fifth = try_login("olivia", "wrong-password", test::totp_now(o.otp_secret, 30));
    EXPECT_EQ(fifth.status, 401);
    EXPECT_EQ(fifth.body, unknown.body);  // #14: locking tells a guesser nothing
    auto right_but_locked = try_login("olivia", "olivia-chosen-password", test::totp_now(o.otp_secret, 30));
    EXPECT_EQ(right_but_locked.status, 401);
    EXPECT_EQ(right_but_locked.body, unknown.body);  // locked, unknown and wrong answer alike
    auto reset = server.cli("admin reset-password --user olivia");
    ASSERT_EQ(reset.exit_code, 0) << reset.output;
    const std::string before_password = "change it at first sign-in):\n  ";
    std::string rest = reset.output.substr(reset.output.find(before_password) + before_password.size());
    EXPECT_EQ(reset.output.find("otpauth://"), std::string::npos) << reset.output;  // the administrator sees no secret
    // the reset forgot the authenticator: the one-time password alone signs in, to enrol a new one
    auto again = try_login("olivia", rest.substr(0, rest.find('\n')), "");
    EXPECT_EQ(again.status, 200) << again.body;
    EXPECT_TRUE(again.body.value("must_enrol", false));
    EXPECT_TRUE(again.body.value("must_change_password", false));
    // Until the authenticator is enrolled and the one-time password replaced, nothing else is allowed.
    std::string fresh = again.body.value("access_token", "");
    auto early = api.call("GET", "/api/v1/agencies", fresh);
    EXPECT_EQ(early.status, 403);
    EXPECT_EQ(early.body["error"], "auth.enrolment_required");
    auto enrolment = api.call("POST", "/api/v1/staff/me/totp", fresh);
    ASSERT_EQ(enrolment.status, 200) << enrolment.body;
    EXPECT_EQ(api.call("POST", "/api/v1/staff/me/password", fresh,
                       {{"old_password", rest.substr(0, rest.find('\n'))}, {"new_password", "olivia-third-password"}})
                  .status,
              403);  // the password waits for the authenticator
    std::string new_secret = enrolment.body.value("secret", "");
    EXPECT_NE(new_secret, o.otp_secret);
    ASSERT_EQ(api.call("POST", "/api/v1/staff/me/totp/confirm", fresh,
                       {{"candidate", enrolment.body.value("candidate", "")}, {"otp", test::totp_now(new_secret)}})
                  .status,
              204);
    auto later = api.call("GET", "/api/v1/agencies", fresh);
    EXPECT_EQ(later.status, 403);
    EXPECT_EQ(later.body["error"], "auth.password_change_required");
    auto failures = server.cli("audit search --action staff.sign_in_failed --object staff:olivia");
    EXPECT_EQ(std::count(failures.output.begin(), failures.output.end(), '\n'), 5) << failures.output;
}

// #14: an administrator makes a supervisor's sign-in, later watches the supervisor type their password, and signs in
// as them to be the second person of their own four-eyes approvals. Before the fix the administrator was shown the
// sign-in's TOTP secret with the one-time password and could make its codes for ever; now the person enrols their own
// authenticator at the first sign-in, and nothing the administrator saw makes a code.
TEST_P(RegistrationTest, AdministratorWhoMadeASignInCannotMakeItsCodes) {
    test::ServerProcess server(test::ServerProcess::Options{GetParam(), office_config()});
    Api api{server.port()};
    Staff carla = sign_in_staff(server, api, "carla", "ca_admin");
    Staff dora = sign_in_staff(server, api, "dora", "ca_admin");
    auto made = api.call("POST", "/api/v1/staff", carla.token, {{"username", "samuel"}, {"roles", {"supervisor"}}});
    ASSERT_EQ(made.status, 201) << made.body;
    auto approved = api.call("POST", "/api/v1/staff/samuel/approve", dora.token);
    ASSERT_EQ(approved.status, 200) << approved.body;
    const std::string seen_by_admins = made.body.dump() + approved.body.dump();
    const std::string password = made.body.value("first_part", "") + approved.body.value("second_part", "");
    Staff samuel{"samuel", "", "", ""};
    samuel.token = first_staff_sign_in(api, samuel, password);
    ASSERT_EQ(api.call("POST", "/api/v1/staff/me/password", samuel.token,
                       {{"old_password", password}, {"new_password", "samuel-chosen-password"}})
                  .status,
              204);
    auto sign_in = [&](const std::string& otp) {
        return api.call("POST", "/api/v1/staff/login", "",
                        {{"username", "samuel"}, {"password", "samuel-chosen-password"}, {"otp", otp}});
    };
    // every run of base32 letters the administrators were shown, tried as the authenticator's secret
    int tried = 0;
    std::regex base32("[A-Z2-7]{16,}");
    for (auto it = std::sregex_iterator(seen_by_admins.begin(), seen_by_admins.end(), base32); it != std::sregex_iterator(); ++it) {
        ++tried;
        EXPECT_EQ(sign_in(test::totp_now(it->str(), 30)).status, 401) << "a code from what the administrators saw";
    }
    EXPECT_EQ(seen_by_admins.find("otpauth"), std::string::npos) << seen_by_admins;
    EXPECT_LE(tried, 2) << seen_by_admins;  // at most the one-time password's two parts themselves
    // the person's own authenticator works
    EXPECT_EQ(sign_in(test::totp_now(samuel.otp_secret, 30)).status, 200);
}

// #14 four eyes on sign-ins: one CA administrator makes (or resets) a supervisor's or an administrator's sign-in for a
// puppet, to act as both people of four eyes. The sign-in waits for a second administrator; the one who asked holds
// only the password's first part, cannot approve, and neither part alone signs in. An officer's sign-in needs no
// second person; a withdrawn request leaves nothing to approve.
TEST_P(RegistrationTest, OneAdministratorCannotMakeADecisionSignInAlone) {
    test::ServerProcess server(test::ServerProcess::Options{GetParam(), office_config()});
    Api api{server.port()};
    Staff carla = sign_in_staff(server, api, "carla", "ca_admin");
    Staff dora = sign_in_staff(server, api, "dora", "ca_admin");
    auto login = [&](const std::string& user, const std::string& password) {
        return api.call("POST", "/api/v1/staff/login", "", {{"username", user}, {"password", password}});
    };
    for (const char* role : {"supervisor", "ca_admin"}) {
        const std::string puppet = std::string("puppet.") + (role[0] == 's' ? "sup" : "adm");
        auto made = api.call("POST", "/api/v1/staff", carla.token, {{"username", puppet}, {"roles", {role}}});
        ASSERT_EQ(made.status, 201) << made.body;
        EXPECT_EQ(made.body.value("status", ""), "awaiting_approval") << role;
        EXPECT_FALSE(made.body.contains("one_time_password")) << made.body;
        const std::string first = made.body.value("first_part", "");
        ASSERT_FALSE(first.empty()) << made.body;
        EXPECT_EQ(login(puppet, first).status, 401) << "the first part alone signs in";
        for (int i = 0; i < 6; ++i) login(puppet, first + "guess" + std::to_string(i));  // nor locks it meanwhile
        auto own = api.call("POST", "/api/v1/staff/" + puppet + "/approve", carla.token);
        EXPECT_EQ(own.status, 403) << own.body;
        EXPECT_EQ(own.body.value("error", ""), "staff.second_administrator_required");
        EXPECT_EQ(login(puppet, first).status, 401) << "refused approval left the sign-in usable";
        auto approved = api.call("POST", "/api/v1/staff/" + puppet + "/approve", dora.token);
        ASSERT_EQ(approved.status, 200) << approved.body;
        const std::string second = approved.body.value("second_part", "");
        ASSERT_FALSE(second.empty());
        EXPECT_EQ(api.call("POST", "/api/v1/staff/" + puppet + "/approve", dora.token).body.value("error", ""),
                  "staff.not_awaiting_approval");
        EXPECT_EQ(login(puppet, second).status, 401) << "the second part alone signs in";
        auto both = login(puppet, first + second);
        EXPECT_EQ(both.status, 200) << both.body;
        EXPECT_TRUE(both.body.value("must_enrol", false));
    }
    // an officer decides nothing: the whole one-time password at once
    auto officer = api.call("POST", "/api/v1/staff", carla.token, {{"username", "oliver"}, {"roles", {"officer"}}});
    ASSERT_EQ(officer.status, 201) << officer.body;
    EXPECT_EQ(officer.body.value("status", ""), "active");
    EXPECT_EQ(login("oliver", officer.body.value("one_time_password", "")).status, 200);
    // a reset of an administrator by another: her sessions end, her old password stops, and she waits for a third
    // person (here the operator at the console) — never for the one who reset her
    auto reset = api.call("POST", "/api/v1/staff/dora/reset", carla.token);
    ASSERT_EQ(reset.status, 200) << reset.body;
    EXPECT_EQ(reset.body.value("status", ""), "awaiting_approval");
    EXPECT_EQ(api.call("GET", "/api/v1/staff", dora.token).status, 401);
    EXPECT_EQ(api.call("POST", "/api/v1/staff/dora/approve", carla.token).status, 403);
    EXPECT_EQ(login("dora", reset.body.value("first_part", "")).status, 401);
    auto console = server.cli("admin approve-staff --user dora");
    ASSERT_EQ(console.exit_code, 0) << console.output;
    std::smatch part;
    ASSERT_TRUE(std::regex_search(console.output, part, std::regex("shown only now\\):\\n  (\\S+)\\n")));
    EXPECT_EQ(login("dora", reset.body.value("first_part", "") + part[1].str()).status, 200);
    // a withdrawn request: nothing left to approve, the sign-in stays shut
    auto withdrawn = api.call("POST", "/api/v1/staff", carla.token, {{"username", "wendy"}, {"roles", {"supervisor"}}});
    ASSERT_EQ(withdrawn.status, 201);
    EXPECT_EQ(api.call("POST", "/api/v1/staff/wendy/cancel", carla.token).status, 204);
    EXPECT_EQ(api.call("POST", "/api/v1/staff/wendy/approve", dora.token).status, 401);  // dora was reset: signed out
    Staff erin = sign_in_staff(server, api, "erin", "ca_admin");
    EXPECT_EQ(api.call("POST", "/api/v1/staff/wendy/approve", erin.token).body.value("error", ""),
              "staff.not_awaiting_approval");
    auto audit = server.cli("audit search --object staff:puppet.sup");
    EXPECT_NE(audit.output.find("staff.approved"), std::string::npos) << audit.output;
    EXPECT_NE(audit.output.find("staff:dora"), std::string::npos) << audit.output;
}

// A thief holds a staff session (a second token). Changing the password ends every other session at once (#14); an
// administrator's reset ends all of them, the owner's too.
TEST_P(RegistrationTest, StolenStaffSessionDiesWhenThePasswordIsChangedOrReset) {
    test::ServerProcess server(test::ServerProcess::Options{GetParam(), office_config()});
    Api api{server.port()};
    Staff o = sign_in_staff(server, api, "oscar", "officer");
    auto stolen = api.call("POST", "/api/v1/staff/login", "",
                           {{"username", "oscar"}, {"password", "oscar-chosen-password"}, {"otp", test::totp_now(o.otp_secret, 30)}});
    ASSERT_EQ(stolen.status, 200) << stolen.body;
    std::string thief = stolen.body.value("access_token", "");
    ASSERT_EQ(api.call("GET", "/api/v1/agencies", thief).status, 200);
    auto changed = api.call("POST", "/api/v1/staff/me/password", o.token,
                            {{"old_password", "oscar-chosen-password"}, {"new_password", "oscar-second-password"}});
    ASSERT_EQ(changed.status, 204) << changed.body;
    EXPECT_EQ(api.call("GET", "/api/v1/agencies", thief).status, 401);    // the other session is over
    EXPECT_EQ(api.call("GET", "/api/v1/agencies", o.token).status, 200);  // the one that changed it goes on
    ASSERT_EQ(server.cli("admin reset-password --user oscar").exit_code, 0);
    EXPECT_EQ(api.call("GET", "/api/v1/agencies", o.token).status, 401);  // a reset ends every session
}

// Renewal (inside the window, signed off by the head, approved) and re-key (forgotten password, at an appointment):
// the office approves, the user completes with their own password, and the new key signs.
TEST_P(RegistrationTest, RenewalAndForgottenPasswordRekeyAreCompletedByTheUser) {
    // A 3-year certificate is inside a 1200-day renewal window from the start.
    test::ServerProcess server(
        test::ServerProcess::Options{GetParam(), office_config(R"(, "ca": {"renewal_window_days": 1200})")});
    Api api{server.port()};
    Staff officer = sign_in_staff(server, api, "olivia", "officer");
    Staff supervisor = sign_in_staff(server, api, "samuel", "supervisor");
    RegisteredAgency agency = register_agency(api, officer, supervisor);
    auto head = api.call("POST", "/api/v1/agencies/" + agency.id + "/representatives", officer.token,
                         {{"name", "梁局長 Leong"}, {"is_head", true}, {"id_type", "macau_bir"}, {"id_number", "1111111(1)"}});
    ASSERT_EQ(head.status, 201) << head.body;
    Signer user = open_account(api, supervisor, ready_application(api, officer, agency, "renew.user", "4444444(4)"));

    // Renewal: the delegate's letter has no "renew" scope, the head signs.
    auto renewal = api.call("POST", "/api/v1/requests", officer.token, {{"kind", "renewal"}, {"username", "renew.user"}});
    ASSERT_EQ(renewal.status, 201) << renewal.body;
    std::string rid = renewal.body["id"];
    api.attach(officer.token, rid, "renewal_request_form", pdf("renewal"));
    auto delegate = api.call("POST", "/api/v1/requests/" + rid + "/sign-off", officer.token,
                             {{"representative_id", agency.delegate_id}});
    EXPECT_EQ(delegate.status, 409);
    EXPECT_EQ(delegate.body["error"], "ra.no_valid_letter");
    EXPECT_EQ(api.call("POST", "/api/v1/requests/" + rid + "/sign-off", officer.token,
                       {{"representative_id", head.body["id"]}})
                  .status,
              200);
    EXPECT_EQ(api.call("POST", "/api/v1/requests/" + rid + "/check", officer.token).status, 200);
    auto approved = api.call("POST", "/api/v1/requests/" + rid + "/approve", supervisor.token);
    ASSERT_EQ(approved.status, 200) << approved.body;
    EXPECT_EQ(approved.body["status"], "approved");  // waits for the user
    EXPECT_EQ(api.call("GET", "/api/v1/me", user.csc_token).body["renewal_approved"], true);
    auto wrong = api.call("POST", "/api/v1/me/renew", user.csc_token, {{"signing_password", "not-my-password"}});
    EXPECT_EQ(wrong.status, 400);
    auto renewed = api.call("POST", "/api/v1/me/renew", user.csc_token, {{"signing_password", user.signing_password}});
    ASSERT_EQ(renewed.status, 200) << renewed.body;
    EXPECT_NE(renewed.body["credential_id"], user.credential);
    user.credential = renewed.body["credential_id"];
    EXPECT_NE(sign_and_verify(api, work, user, "signed with the renewed key").find("Verified OK"), std::string::npos);
    EXPECT_EQ(api.call("GET", "/api/v1/requests/" + rid, officer.token).body["request"]["status"], "completed");
    EXPECT_EQ(api.call("POST", "/api/v1/me/renew", user.csc_token, {{"signing_password", user.signing_password}}).body["error"],
              "ra.no_approved_request");

    // Forgotten password: re-key only through an approved request made at a rekey appointment.
    EXPECT_EQ(api.call("POST", "/api/v1/me/rekey", user.csc_token, {{"new_password", "a-brand-new-secret"}}).status, 409);
    std::string slot = next_free_slot(api);
    auto booked = api.call("POST", "/api/v1/appointments", "",
                           {{"purpose", "rekey"}, {"slot_start", slot}, {"name", "Renew User"}, {"contact", "renew@dsaj.gov.mo"},
                            {"username", "renew.user"}});
    ASSERT_EQ(booked.status, 201) << booked.body;
    auto unlock_code = api.call("POST", "/api/v1/requests", officer.token,
                                {{"kind", "unlock"}, {"username", "renew.user"}, {"appointment_code", booked.body["confirmation_code"]}});
    EXPECT_EQ(unlock_code.status, 409);  // not locked (and the booking is for re-key anyway)
    auto rekey = api.call("POST", "/api/v1/requests", officer.token,
                          {{"kind", "rekey"}, {"username", "renew.user"}, {"appointment_code", booked.body["confirmation_code"]}});
    ASSERT_EQ(rekey.status, 201) << rekey.body;
    std::string kid = rekey.body["id"];
    api.attach(officer.token, kid, "unlock_request_form", pdf("forgotten password"));
    api.attach(officer.token, kid, "user_id_copy", jpeg() + "renew");
    EXPECT_EQ(api.call("POST", "/api/v1/requests/" + kid + "/check", officer.token,
                       {{"id_type", "macau_bir"}, {"id_number", "4444444(4)"}})
                  .status,
              200);
    EXPECT_EQ(api.call("POST", "/api/v1/requests/" + kid + "/approve", supervisor.token).status, 200);
    auto rekeyed = api.call("POST", "/api/v1/me/rekey", user.csc_token, {{"new_password", "a-brand-new-secret"}});
    ASSERT_EQ(rekeyed.status, 200) << rekeyed.body;
    user.credential = rekeyed.body["credential_id"];
    user.signing_password = "a-brand-new-secret";
    EXPECT_NE(sign_and_verify(api, work, user, "signed after re-key").find("Verified OK"), std::string::npos);
    EXPECT_EQ(server.cli("audit verify").exit_code, 0);
}

// #14 signer recovery: a forgotten login password or a lost authenticator is handled only at an appointment, with the
// ID sighted at registration and a second person's approval. Someone else at the counter (another ID) is refused;
// the approval prints a new one-time login password, forgets the authenticator and ends every session, and the
// signing key stays under the signing password only its owner knows.
TEST_P(RegistrationTest, LostSignInIsRecoveredOnlyAtAnAppointmentWithTheSameIdAndASecondPerson) {
    test::ServerProcess server(test::ServerProcess::Options{GetParam(), office_config()});
    Api api{server.port()};
    Staff officer = sign_in_staff(server, api, "olivia", "officer");
    Staff supervisor = sign_in_staff(server, api, "samuel", "supervisor");
    Staff checker = sign_in_staff(server, api, "sam.two", "supervisor");
    RegisteredAgency agency = register_agency(api, officer, supervisor);
    Signer user = open_account(api, supervisor, ready_application(api, officer, agency, "lost.user", "3333333(3)"));

    auto no_booking = api.call("POST", "/api/v1/requests", officer.token, {{"kind", "recovery"}, {"username", "lost.user"}});
    EXPECT_NE(no_booking.status, 201) << no_booking.body;
    auto booked = api.call("POST", "/api/v1/appointments", "",
                           {{"purpose", "recovery"}, {"slot_start", next_free_slot(api)}, {"name", "Lost User"},
                            {"contact", "lost@dsaj.gov.mo"}, {"username", "lost.user"}});
    ASSERT_EQ(booked.status, 201) << booked.body;
    auto created = api.call("POST", "/api/v1/requests", officer.token,
                            {{"kind", "recovery"}, {"username", "lost.user"}, {"appointment_code", booked.body["confirmation_code"]}});
    ASSERT_EQ(created.status, 201) << created.body;
    std::string rid = created.body["id"];
    api.attach(officer.token, rid, "unlock_request_form", pdf("lost sign-in"));
    api.attach(officer.token, rid, "user_id_copy", jpeg() + "lost");
    auto impostor = api.call("POST", "/api/v1/requests/" + rid + "/check", checker.token,
                             {{"id_type", "macau_bir"}, {"id_number", "9999999(9)"}});
    EXPECT_EQ(impostor.status, 409) << impostor.body;
    EXPECT_EQ(impostor.body["error"], "ra.identity_mismatch");
    ASSERT_EQ(api.call("POST", "/api/v1/requests/" + rid + "/check", checker.token,
                       {{"id_type", "macau_bir"}, {"id_number", "3333333(3)"}})
                  .status,
              200);
    auto alone = api.call("POST", "/api/v1/requests/" + rid + "/approve", checker.token);
    EXPECT_EQ(alone.status, 409) << alone.body;
    EXPECT_EQ(alone.body["error"], "ra.four_eyes");
    auto approved = api.call("POST", "/api/v1/requests/" + rid + "/approve", supervisor.token);
    ASSERT_EQ(approved.status, 200) << approved.body;
    EXPECT_EQ(approved.body["status"], "completed");
    std::string fresh = approved.body["recovery_letter"].value("initial_login_password", "");
    ASSERT_GE(fresh.size(), 12u);

    EXPECT_EQ(api.call("GET", "/api/v1/me", user.csc_token).status, 401);  // every session ended
    user.csc_token = csc_login(api, "lost.user", fresh);
    EXPECT_NE(sign_and_verify(api, work, user, "signed after recovery").find("Verified OK"), std::string::npos);
    auto events = server.cli("audit search --object account:lost.user --action account.sign_in_reset");
    EXPECT_NE(events.output.find("staff:samuel"), std::string::npos) << events.output;
    EXPECT_EQ(events.output.find(fresh), std::string::npos);
    EXPECT_EQ(server.cli("audit verify").exit_code, 0);
}

// Outside the window a renewal is refused, naming the rule.
TEST_P(RegistrationTest, RenewalOutsideTheWindowIsRefused) {
    test::ServerProcess server(test::ServerProcess::Options{GetParam(), office_config()});
    Api api{server.port()};
    Staff officer = sign_in_staff(server, api, "olivia", "officer");
    Staff supervisor = sign_in_staff(server, api, "samuel", "supervisor");
    RegisteredAgency agency = register_agency(api, officer, supervisor);
    open_account(api, supervisor, ready_application(api, officer, agency, "early.user", "6666666(6)"));
    auto early = api.call("POST", "/api/v1/requests", officer.token, {{"kind", "renewal"}, {"username", "early.user"}});
    EXPECT_EQ(early.status, 409);
    EXPECT_EQ(early.body["error"], "ra.renewal_not_open");
}

INSTANTIATE_TEST_SUITE_P(Backends, RegistrationTest, ::testing::ValuesIn(test::db_kinds()), test::db_kind_name);
