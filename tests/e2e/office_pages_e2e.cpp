// The registration office's pages over plain HTTP, for what a browser journey does not show: a step refused by role or
// by the four-eyes rule changes nothing, the PIN letter is shown once and never cached, a form without its token
// creates nothing, the back office on a listener of its own, the CA page's live service checks, the week view, and a
// re-key opened at the counter and completed by the signer in the portal.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <thread>

#include "support/fixtures.hpp"
#include "support/http_client.hpp"
#include "support/office_api.hpp"

using namespace yq;
using namespace yq::test::office;

namespace {

// A browser's session with the office pages: the staff cookie and a CSRF token (from any page that has a form).
struct Browser {
    int port = 0;
    std::string cookies, csrf;

    static Browser for_staff(int port, const Staff& who) {
        Browser b{port, "yq_staff=" + who.token, ""};
        b.take_token("/office/unlock");
        return b;
    }
    void take_token(const std::string& page) {
        auto r = test::http_request("GET", port, page, "", "", "", "127.0.0.1", {{"Cookie", cookies}});
        std::smatch m;
        std::string set_cookie = r.headers["set-cookie"];
        ASSERT_TRUE(std::regex_search(set_cookie, m, std::regex("yq_csrf=([0-9a-f]{64})"))) << page << " " << r.status;
        csrf = m[1].str();
        cookies += "; yq_csrf=" + csrf;
    }
    test::HttpResult get(const std::string& target) const {
        return test::http_request("GET", port, target, "", "", "", "127.0.0.1", {{"Cookie", cookies}});
    }
    test::HttpResult post(const std::string& target, const std::string& form) const {
        return test::http_request("POST", port, target, form + "&csrf=" + csrf, "application/x-www-form-urlencoded", "",
                                  "127.0.0.1", {{"Cookie", cookies}});
    }
};

const std::string kBoundary = "----yq-test-boundary";

// A multipart/form-data body as a browser sends a form with files.
std::string multipart_body(const std::map<std::string, std::string>& fields, const std::map<std::string, std::string>& files) {
    std::string body;
    for (const auto& [k, v] : fields)
        body += "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" + v + "\r\n";
    for (const auto& [k, v] : files)
        body += "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + k + "\"; filename=\"" + k +
                ".pdf\"\r\nContent-Type: application/pdf\r\n\r\n" + v + "\r\n";
    return body + "--" + kBoundary + "--\r\n";
}

test::HttpResult post_multipart(int port, const std::string& target, const std::string& cookies,
                                const std::map<std::string, std::string>& fields,
                                const std::map<std::string, std::string>& files) {
    return test::http_request("POST", port, target, multipart_body(fields, files),
                              "multipart/form-data; boundary=" + kBoundary, "", "127.0.0.1", {{"Cookie", cookies}});
}

std::string status_of_application(const Api& api, const Staff& who, const std::string& id) {
    return api.call("GET", "/api/v1/applications/" + id, who.token).body["application"].value("status", "");
}

}  // namespace

TEST(OfficePagesTest, AnApprovalRefusedByRoleOrByTheFourEyesRuleChangesNothingAndTheLetterIsShownOnce) {
    test::ServerProcess server;
    Api api{server.port()};
    Staff officer = sign_in_staff(server, api, "olivia", "officer");
    Staff supervisor = sign_in_staff(server, api, "samuel", "supervisor");
    Staff second = sign_in_staff(server, api, "sofia", "supervisor");
    RegisteredAgency agency = register_agency(api, officer, supervisor);
    std::string by_officer = ready_application(api, officer, agency, "kam.po", "1111111(1)");
    std::string by_supervisor = ready_application(api, supervisor, agency, "lei.sio", "2222222(2)");

    // a forged form (another token) is refused outright
    Browser forged = Browser::for_staff(server.port(), supervisor);
    forged.csrf = std::string(64, 'c');
    EXPECT_EQ(forged.post("/office/applications/" + by_officer + "/approve", "").status, 403);
    // an officer may not approve: sent back to the case with the reason, nothing changed
    auto refused = Browser::for_staff(server.port(), officer).post("/office/applications/" + by_officer + "/approve", "");
    ASSERT_EQ(refused.status, 303);
    EXPECT_EQ(refused.headers["location"], "/office/applications/" + by_officer + "?error=auth.forbidden");
    EXPECT_EQ(status_of_application(api, supervisor, by_officer), "id_sighted");
    // the supervisor who filed, checked and saw the ID may not approve their own case
    Browser samuel = Browser::for_staff(server.port(), supervisor);
    auto own = samuel.post("/office/applications/" + by_supervisor + "/approve", "");
    ASSERT_EQ(own.status, 303);
    EXPECT_NE(own.headers["location"].find("error=ra.four_eyes"), std::string::npos) << own.headers["location"];
    auto shown = samuel.get(own.headers["location"]);
    EXPECT_NE(shown.body.find("id=\"case-error\""), std::string::npos);
    std::ifstream catalogue(std::string(YQ_SOURCE_DIR) + "/src/web/i18n/zh-Hant.json");  // the default language
    std::string four_eyes = nlohmann::json::parse(catalogue)["backoffice"]["errors"]["four_eyes"];
    EXPECT_NE(shown.body.find(four_eyes), std::string::npos) << shown.body.substr(0, 400);
    EXPECT_EQ(status_of_application(api, supervisor, by_supervisor), "id_sighted");

    // a second supervisor approves: the PIN letter, never cached, whose passwords open the account
    Browser sofia = Browser::for_staff(server.port(), second);
    auto letter = sofia.post("/office/applications/" + by_supervisor + "/approve", "");
    ASSERT_EQ(letter.status, 200) << letter.body.substr(0, 400);
    EXPECT_EQ(letter.headers["cache-control"], "no-store");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(letter.body, m, std::regex("id=\"pin-login\">([^<]+)<")));
    std::string login_password = m[1].str();
    // #16: what is printed carries no internal id (the back link to the case is not printed)
    std::string printed = letter.body.substr(letter.body.find("<article"), letter.body.find("</article>") - letter.body.find("<article"));
    EXPECT_EQ(printed.find("app_"), std::string::npos) << printed;
    EXPECT_EQ(printed.find("staff:"), std::string::npos) << printed;
    EXPECT_FALSE(csc_login(api, "lei.sio", login_password).empty());
    EXPECT_EQ(status_of_application(api, supervisor, by_supervisor), "approved");
    // approving again shows no second letter
    auto again = sofia.post("/office/applications/" + by_supervisor + "/approve", "");
    EXPECT_EQ(again.status, 303);
    EXPECT_EQ(sofia.get("/office/applications/" + by_supervisor).body.find(login_password), std::string::npos);
    EXPECT_EQ(server.server_log().find(login_password), std::string::npos);  // never logged
}

TEST(OfficePagesTest, ARegistrationFormWithoutItsTokenOrItsDocumentsCreatesNothing) {
    test::ServerProcess server;
    Api api{server.port()};
    Staff officer = sign_in_staff(server, api, "olivia", "officer");
    Browser olivia = Browser::for_staff(server.port(), officer);
    std::map<std::string, std::string> fields{{"kind", "government"}, {"name_zh", "印務局"}, {"code", "IO-01"},
                                              {"head_name", "局長"}, {"contact_name", "聯絡人"},
                                              {"contact_email", "c@io.gov.mo"}, {"rep_is_head", "1"},
                                              {"rep_id_type", "macau_bir"}, {"rep_id_number", "3333333(3)"}};
    std::map<std::string, std::string> files{{"agency_application_form", pdf("form")},
                                             {"representative_id_copy", jpeg()}, {"contact_id_copy", png()}};
    auto send = [&](const std::map<std::string, std::string>& f, const std::map<std::string, std::string>& d) {
        return post_multipart(server.port(), "/office/agencies", olivia.cookies, f, d);
    };
    auto agencies = [&] { return api.call("GET", "/api/v1/agencies", officer.token).body["agencies"].size(); };
    EXPECT_EQ(send(fields, files).status, 403);  // no token
    fields["csrf"] = olivia.csrf;
    auto missing = files;
    missing.erase("contact_id_copy");
    auto refused = send(fields, missing);
    EXPECT_EQ(refused.status, 422);
    EXPECT_NE(refused.body.find("value=\"印務局\""), std::string::npos);  // what was typed comes back
    EXPECT_NE(refused.body.find("id=\"documents-error\""), std::string::npos);  // the reason, by the documents
    EXPECT_EQ(refused.body.find("3333333(3)"), std::string::npos);      // the ID number does not
    auto not_a_document = files;
    not_a_document["contact_id_copy"] = "just text";
    EXPECT_EQ(send(fields, not_a_document).status, 422);
    // a delegate whose letter ends before it starts: refused before anything is stored
    auto delegate = fields;
    delegate.erase("rep_is_head");
    delegate.insert({{"rep_name", "代表 Wong"}, {"scope_apply", "1"}, {"letter_from", "2026-12-01"}, {"letter_to", "2026-11-01"}});
    auto with_letter = files;
    with_letter["authorisation_letter"] = pdf("letter");
    auto backwards = send(delegate, with_letter);
    EXPECT_EQ(backwards.status, 422);
    EXPECT_NE(backwards.body.find("id=\"letter-error\""), std::string::npos);
    EXPECT_EQ(agencies(), 0u);
    auto made = send(fields, files);
    ASSERT_EQ(made.status, 303) << made.body.substr(0, 300);
    EXPECT_EQ(agencies(), 1u);
    auto page = olivia.get(made.headers["location"]);
    EXPECT_NE(page.body.find("id=\"agency-status\""), std::string::npos);
    EXPECT_EQ(page.body.find("class=\"missing\""), std::string::npos);  // the checklist is complete
}

TEST(OfficePagesTest, TheBackOfficeCanListenOnAnAddressOfItsOwn) {
    test::ServerProcess server{test::ServerProcess::Options{
        test::DbKind::Sqlite, R"({"server": {"office_listener": {"host": "127.0.0.1", "port": 0}}})"}};
    std::smatch m;
    std::string log = server.server_log();
    for (int i = 0; i < 50 && log.find("  Office ") == std::string::npos; ++i) {  // the start-up lines reach the log
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        log = server.server_log();
    }
    ASSERT_TRUE(std::regex_search(log, m, std::regex("Office +http://127\\.0\\.0\\.1:([0-9]+)/office"))) << "log:" << log;
    int office_port = std::stoi(m[1].str());
    ASSERT_NE(office_port, server.port());
    // the public listener serves no office page and no staff API
    for (const char* path : {"/office/login", "/office", "/api/v1/agencies", "/api/v1/audit/events"})
        EXPECT_EQ(test::http_request("GET", server.port(), path).status, 404) << path;
    EXPECT_EQ(test::http_request("POST", server.port(), "/api/v1/staff/login", "{}", "application/json").status, 404);
    // the office listener serves them, with the page assets, and not the public site
    EXPECT_EQ(test::http_request("GET", office_port, "/office/login").status, 200);
    EXPECT_EQ(test::http_request("GET", office_port, "/static/site.css").status, 200);
    EXPECT_EQ(test::http_request("GET", office_port, "/api/v1/agencies").status, 401);
    EXPECT_EQ(test::http_request("GET", office_port, "/portal/login").status, 404);
    EXPECT_EQ(test::http_request("GET", office_port, "/").headers["location"], "/office");
    EXPECT_EQ(test::http_request("GET", server.port(), "/portal/login").status, 200);
    // staff signed in on the office listener work there
    Api office{office_port};
    Staff officer = sign_in_staff(server, office, "olivia", "officer");
    EXPECT_EQ(office.call("GET", "/api/v1/agencies", officer.token).status, 200);
}

TEST(OfficePagesTest, TheCaPageChecksOcspAndTheTsaLiveAndTheWeekShowsSevenDays) {
    test::ServerProcess server{test::ServerProcess::Options{test::DbKind::Sqlite, office_config()}};
    Api api{server.port()};
    Staff admin = sign_in_staff(server, api, "carla", "ca_admin");
    Staff officer = sign_in_staff(server, api, "olivia", "officer");
    auto ca = Browser::for_staff(server.port(), admin).get("/office/ca");
    ASSERT_EQ(ca.status, 200);
    std::string services = ca.body.substr(ca.body.find("id=\"services\""));
    services = services.substr(0, services.find("</table>"));
    EXPECT_NE(services.find("OCSP"), std::string::npos);
    EXPECT_NE(services.find("the TSA certificate is good"), std::string::npos) << services;
    EXPECT_NE(services.find("token verified to the root"), std::string::npos) << services;
    EXPECT_EQ(services.find("badge failed"), std::string::npos) << services;

    auto booked = api.call("POST", "/api/v1/appointments", "",
                           {{"purpose", "unlock"}, {"slot_start", next_free_slot(api)}, {"name", "區小明 Au"},
                            {"contact", "au@example.mo"}, {"username", "au.siuming"}});
    ASSERT_EQ(booked.status, 201) << booked.body;
    auto week = Browser::for_staff(server.port(), officer).get("/office/appointments/week");
    ASSERT_EQ(week.status, 200);
    std::string body = week.body;
    std::ptrdiff_t days = 0;
    for (std::size_t p = body.find("<section class=\"day"); p != std::string::npos; p = body.find("<section class=\"day", p + 1)) ++days;
    EXPECT_EQ(days, 7);
    EXPECT_NE(body.find("區小明 Au"), std::string::npos);
    EXPECT_EQ(Browser::for_staff(server.port(), officer).get("/office/appointments/week?start=2026-13-01").status, 400);
}

// Forgotten signing password: re-key at the counter (booking, form, the same ID as at registration), a second person
// approves, and the signer chooses the new signing password in the portal — the new key signs, the old password not.
TEST(OfficePagesTest, AReKeyOpenedAtTheCounterIsCompletedByTheSignerInThePortal) {
    test::ServerProcess server{test::ServerProcess::Options{test::DbKind::Sqlite, office_config()}};
    Api api{server.port()};
    Staff officer = sign_in_staff(server, api, "olivia", "officer");
    Staff supervisor = sign_in_staff(server, api, "samuel", "supervisor");
    RegisteredAgency agency = register_agency(api, officer, supervisor);
    Signer signer = open_account(api, supervisor, ready_application(api, officer, agency, "iao.mei", "4444444(4)"));
    auto booked = api.call("POST", "/api/v1/appointments", "",
                           {{"purpose", "rekey"}, {"slot_start", next_free_slot(api)}, {"name", "姚美 Iao"},
                            {"contact", "iao@dsaj.gov.mo"}, {"username", "iao.mei"}});
    ASSERT_EQ(booked.status, 201) << booked.body;

    Browser olivia = Browser::for_staff(server.port(), officer);
    auto opened = post_multipart(server.port(), "/office/requests", olivia.cookies,
                                 {{"csrf", olivia.csrf}, {"kind", "rekey"},
                                  {"appointment_code", booked.body["confirmation_code"]}, {"username", "iao.mei"},
                                  {"id_type", "macau_bir"}, {"id_number", "4444444(4)"}},
                                 {{"unlock_request_form", pdf("rekey form")}, {"user_id_copy", png()}});
    ASSERT_EQ(opened.status, 303) << opened.body.substr(0, 400);
    std::string request_page = opened.headers["location"];
    EXPECT_EQ(request_page.find("error="), std::string::npos) << request_page;
    auto approved = Browser::for_staff(server.port(), supervisor).post(request_page + "/approve", "");
    ASSERT_EQ(approved.status, 303);
    EXPECT_EQ(approved.headers["location"], request_page);

    // the signer's portal: the approval shows, the new password is chosen, and the new key signs
    Browser portal{server.port(), "yq_session=" + signer.csc_token, ""};
    auto home = portal.get("/portal");
    ASSERT_EQ(home.status, 200);
    EXPECT_NE(home.body.find("id=\"rekey-approved\""), std::string::npos);
    portal.take_token("/portal/complete?kind=rekey");
    auto differ = portal.post("/portal/complete", "kind=rekey&new_password=brand-new-secret-1&new_password_again=other-secret-2");
    EXPECT_EQ(differ.status, 422);
    auto done = portal.post("/portal/complete", "kind=rekey&new_password=brand-new-secret-1&new_password_again=brand-new-secret-1");
    ASSERT_EQ(done.status, 303) << done.body.substr(0, 400);
    EXPECT_EQ(done.headers["location"], "/portal?changed=rekey");
    EXPECT_EQ(portal.get("/portal").body.find("id=\"rekey-approved\""), std::string::npos);
    auto info = api.call("POST", "/csc/v2/credentials/list", signer.csc_token, nlohmann::json::object());
    ASSERT_EQ(info.status, 200) << info.body;
    Signer renewed = signer;
    for (const auto& id : info.body["credentialIDs"])
        if (id != signer.credential) renewed.credential = id;
    ASSERT_NE(renewed.credential, signer.credential) << info.body;
    std::string hash = core::base64_encode(core::sha256(std::string("after re-key")));
    EXPECT_EQ(authorize(api, renewed, "brand-new-secret-1", hash).status, 200);
    EXPECT_NE(authorize(api, renewed, signer.signing_password, hash).status, 200);
}

// Revocation on the agency's form: opened with the form, the representative's sign-off recorded (letter scope revoke),
// checked, and approved by a second person — the certificate is revoked at once and the signer can no longer sign.
TEST(OfficePagesTest, ARevocationNeedsTheRepresentativesSignOffAndASecondPerson) {
    test::ServerProcess server{test::ServerProcess::Options{test::DbKind::Sqlite, office_config()}};
    Api api{server.port()};
    Staff officer = sign_in_staff(server, api, "olivia", "officer");
    Staff supervisor = sign_in_staff(server, api, "samuel", "supervisor");
    RegisteredAgency agency = register_agency(api, officer, supervisor);  // the delegate may revoke
    Signer signer = open_account(api, supervisor, ready_application(api, officer, agency, "wu.kin", "5555555(5)"));
    Browser olivia = Browser::for_staff(server.port(), officer);
    auto opened = post_multipart(server.port(), "/office/requests", olivia.cookies,
                                 {{"csrf", olivia.csrf}, {"kind", "revocation"}, {"username", "wu.kin"},
                                  {"reason", "affiliationChanged"}},
                                 {{"revocation_request_form", pdf("revocation wu.kin")}});
    ASSERT_EQ(opened.status, 303) << opened.body.substr(0, 400);
    std::string page = opened.headers["location"];
    Browser samuel = Browser::for_staff(server.port(), supervisor);
    // checked without the sign-off, the second person's approval is refused and nothing is revoked
    ASSERT_EQ(olivia.post(page + "/check", "").headers["location"], page);
    auto early = samuel.post(page + "/approve", "");
    EXPECT_NE(early.headers["location"].find("error=ra.sign_off_missing"), std::string::npos) << early.headers["location"];
    std::string hash = core::base64_encode(core::sha256(std::string("still mine")));
    EXPECT_EQ(authorize(api, signer, signer.signing_password, hash).status, 200);
    // the sign-off by the delegate under the letter, then the approval
    ASSERT_EQ(olivia.post(page + "/sign-off", "representative_id=" + agency.delegate_id).headers["location"], page);
    ASSERT_EQ(samuel.post(page + "/approve", "").headers["location"], page);
    auto shown = samuel.get(page);
    EXPECT_NE(shown.body.find("staff:samuel"), std::string::npos);
    auto request = api.call("GET", "/api/v1" + page.substr(std::string("/office").size()), supervisor.token);
    EXPECT_EQ(request.body["request"].value("status", ""), "completed") << request.body;
    EXPECT_NE(authorize(api, signer, signer.signing_password, hash).status, 200);
    auto audit = server.cli("audit search --object 'account:wu.kin'");
    EXPECT_NE(audit.output.find("account.revoked"), std::string::npos) << audit.output;
}

// #16 "Contacts and office facts": with the seed office's example configuration, the home page shows the office's
// contacts and the public holidays ahead in the visitor's language, every page's footer names the operator, and the
// PIN letter carries the telephone and the helpdesk address.
TEST(OfficePagesTest, TheOfficesContactsAndHolidaysAreOnTheHomePageEveryFooterAndTheLetters) {
    std::ifstream in(std::string(YQ_SOURCE_DIR) + "/docs/examples/office-macau.json");
    nlohmann::json example = nlohmann::json::parse(in, nullptr, true, /*ignore_comments=*/true);
    nlohmann::json config = nlohmann::json::parse(office_config());
    for (const char* key : {"operator_name", "address", "phone", "fax", "email", "sales_email", "helpdesk_email"})
        config["office"][key] = example["office"][key];
    // a named holiday three days ahead (the example's own dates age), and the test office's open-all-day hours
    const std::string ahead = today_in_macau(3);
    config["office"]["holidays"] = {{{"date", ahead}, {"name", {{"zh-Hant", "測試假期"}, {"pt", "Feriado de teste"}, {"en", "Test holiday"}}}},
                                    today_in_macau(-3)};
    test::ServerProcess server(test::ServerProcess::Options{test::DbKind::Sqlite, config.dump()});
    const nlohmann::json& office = example["office"];
    for (const auto& [lang, holiday] : std::map<std::string, std::string>{
             {"zh-Hant", "測試假期"}, {"pt", "Feriado de teste"}, {"en", "Test holiday"}}) {
        auto home = test::http_request("GET", server.port(), "/", "", "", "", "127.0.0.1", {{"Cookie", "yq_lang=" + lang}});
        ASSERT_EQ(home.status, 200);
        for (const char* key : {"operator_name", "address"})
            EXPECT_NE(home.body.find(office[key][lang].get<std::string>()), std::string::npos) << lang << " " << key;
        for (const char* key : {"phone", "fax", "email", "sales_email", "helpdesk_email"})
            EXPECT_NE(home.body.find(office[key].get<std::string>()), std::string::npos) << lang << " " << key;
        EXPECT_NE(home.body.find(ahead), std::string::npos) << lang;
        EXPECT_NE(home.body.find(holiday), std::string::npos) << lang;
        EXPECT_EQ(home.body.find(today_in_macau(-3)), std::string::npos) << "a past holiday is listed";
        auto other = test::http_request("GET", server.port(), "/register", "", "", "", "127.0.0.1",
                                        {{"Cookie", "yq_lang=" + lang}});
        std::string footer = other.body.substr(other.body.find("<footer"));
        EXPECT_NE(footer.find(office["operator_name"][lang].get<std::string>()), std::string::npos) << lang;
        EXPECT_NE(footer.find(office["phone"].get<std::string>()), std::string::npos) << lang;
    }
    Api api{server.port()};
    Staff officer = sign_in_staff(server, api, "olivia", "officer");
    Staff supervisor = sign_in_staff(server, api, "samuel", "supervisor");
    RegisteredAgency agency = register_agency(api, officer, supervisor);
    std::string application = ready_application(api, officer, agency, "ho.man", "3333333(3)");
    auto letter = Browser::for_staff(server.port(), supervisor).post("/office/applications/" + application + "/approve", "");
    ASSERT_EQ(letter.status, 200) << letter.body.substr(0, 300);
    std::string printed = letter.body.substr(letter.body.find("<article"));
    printed = printed.substr(0, printed.find("</article>"));
    EXPECT_NE(printed.find(office["helpdesk_email"].get<std::string>()), std::string::npos);
    EXPECT_NE(printed.find(office["phone"].get<std::string>()), std::string::npos);
    EXPECT_NE(printed.find(office["address"]["zh-Hant"].get<std::string>()), std::string::npos);
}

// The staff administrator makes a sign-in in the browser: its one-time password is shown once (never cached); a
// supervisor's sign-in waits for a second administrator, who approves it on the same page and takes the password's
// second part (#14); the person signs in with both parts and enrols their own authenticator. Nobody else may make
// sign-ins.
TEST(OfficePagesTest, TheAdministratorMakesAStaffSignInWhoseSecretsAreShownOnce) {
    test::ServerProcess server;
    Api api{server.port()};
    Staff admin = sign_in_staff(server, api, "carla", "ca_admin");
    Staff second_admin = sign_in_staff(server, api, "dora", "ca_admin");
    Staff officer = sign_in_staff(server, api, "olivia", "officer");
    EXPECT_EQ(Browser::for_staff(server.port(), officer).get("/office/staff").status, 403);
    Browser carla = Browser::for_staff(server.port(), admin);
    auto no_role = carla.post("/office/staff", "username=nadia");
    EXPECT_EQ(no_role.status, 422);
    auto made = carla.post("/office/staff", "username=nadia&role_supervisor=1");
    ASSERT_EQ(made.status, 200) << made.body.substr(0, 300);
    EXPECT_EQ(made.headers["cache-control"], "no-store");
    EXPECT_NE(made.body.find("id=\"awaiting-approval\""), std::string::npos);
    std::smatch first, second;
    ASSERT_TRUE(std::regex_search(made.body, first, std::regex("id=\"staff-password\">([^<]+)<")));
    EXPECT_EQ(made.body.find("otpauth"), std::string::npos);  // #14: the administrator never sees the authenticator
    // the one who asked is offered no approval, and approving anyway is refused
    auto carla_list = carla.get("/office/staff");
    EXPECT_EQ(carla_list.body.find("/office/staff/nadia/approve"), std::string::npos);
    EXPECT_NE(carla_list.body.find("/office/staff/nadia/cancel"), std::string::npos);
    auto refused = carla.post("/office/staff/nadia/approve", "");
    EXPECT_EQ(refused.status, 303);
    EXPECT_NE(refused.headers["location"].find("error="), std::string::npos);
    Browser dora = Browser::for_staff(server.port(), second_admin);
    EXPECT_NE(dora.get("/office/staff").body.find("/office/staff/nadia/approve"), std::string::npos);
    auto approved = dora.post("/office/staff/nadia/approve", "");
    ASSERT_EQ(approved.status, 200) << approved.body.substr(0, 300);
    EXPECT_EQ(approved.headers["cache-control"], "no-store");
    ASSERT_TRUE(std::regex_search(approved.body, second, std::regex("id=\"staff-password\">([^<]+)<")));
    // nadia's first sign-in (both parts, no code) leads only to her own authenticator's enrolment, then the password
    auto first_sign_in =
        api.call("POST", "/api/v1/staff/login", "", {{"username", "nadia"}, {"password", first[1].str() + second[1].str()}});
    ASSERT_EQ(first_sign_in.status, 200) << first_sign_in.body;
    Browser nadia{server.port(), "yq_staff=" + first_sign_in.body.value("access_token", ""), ""};
    nadia.take_token("/office/enrol");
    EXPECT_EQ(nadia.get("/office").headers["location"], "/office/enrol");
    auto enrol = nadia.get("/office/enrol");
    ASSERT_EQ(enrol.status, 200);
    std::smatch secret, candidate;
    ASSERT_TRUE(std::regex_search(enrol.body, secret, std::regex("data-secret=\"([A-Z2-7]+)\"")));
    ASSERT_TRUE(std::regex_search(enrol.body, candidate, std::regex("name=\"candidate\" value=\"([0-9a-f]+)\"")));
    auto enrolled = nadia.post("/office/enrol", "candidate=" + candidate[1].str() + "&otp=" + test::totp_now(secret[1].str()));
    EXPECT_EQ(enrolled.status, 303);
    EXPECT_EQ(enrolled.headers["location"], "/office/password");
    auto list = carla.get("/office/staff");
    EXPECT_NE(list.body.find("nadia"), std::string::npos);
    EXPECT_EQ(list.body.find(first[1].str()), std::string::npos);  // the list never shows a secret
    EXPECT_EQ(list.body.find(second[1].str()), std::string::npos);
    auto audit = server.cli("audit search --object staff:nadia");
    EXPECT_NE(audit.output.find("staff.created"), std::string::npos) << audit.output;
    EXPECT_NE(audit.output.find("staff.approved"), std::string::npos) << audit.output;
}

// An agency's later life on its page: another delegate with the head's letter (a second person confirms it), the first
// letter withdrawn — the application signed off under it goes on hold — and the agency suspended.
TEST(OfficePagesTest, AnAgencyGetsAnotherDelegateLosesALetterAndIsSuspended) {
    test::ServerProcess server;
    Api api{server.port()};
    Staff officer = sign_in_staff(server, api, "olivia", "officer");
    Staff supervisor = sign_in_staff(server, api, "samuel", "supervisor");
    RegisteredAgency agency = register_agency(api, officer, supervisor);
    std::string application = ready_application(api, officer, agency, "sou.ka", "6666666(6)");
    std::string page = "/office/agencies/" + agency.id;
    Browser olivia = Browser::for_staff(server.port(), officer);
    Browser samuel = Browser::for_staff(server.port(), supervisor);

    auto added = post_multipart(server.port(), page + "/representatives", olivia.cookies,
                                {{"csrf", olivia.csrf}, {"rep_name", "蘇代表 Sou"}, {"rep_title", "處長"},
                                 {"rep_id_type", "macau_bir"}, {"rep_id_number", "7777777(7)"}, {"scope_apply", "1"}},
                                {{"authorisation_letter", pdf("second letter")}});
    ASSERT_EQ(added.status, 303);
    EXPECT_EQ(added.headers["location"], page);
    auto letters = api.call("GET", "/api/v1/agencies/" + agency.id, officer.token).body["letters"];
    ASSERT_EQ(letters.size(), 2u) << letters;
    std::string second_letter;
    for (const auto& l : letters)
        if (l["id"] != agency.letter_id) second_letter = l["id"];
    EXPECT_EQ(samuel.post(page + "/letters/" + second_letter + "/confirm", "").headers["location"], page);
    // a letter of another agency is refused by the page, and nothing changes
    RegisteredAgency other = register_agency(api, officer, supervisor, "IACM-02");
    auto foreign = samuel.post(page + "/letters/" + other.letter_id + "/withdraw", "reason=x");
    EXPECT_NE(foreign.headers["location"].find("error=ui.bad_form"), std::string::npos) << foreign.headers["location"];

    auto withdrawn = samuel.post(page + "/letters/" + agency.letter_id + "/withdraw", "reason=the delegate left");
    ASSERT_EQ(withdrawn.status, 303);
    EXPECT_EQ(withdrawn.headers["location"], page + "?held=1");
    EXPECT_EQ(status_of_application(api, supervisor, application), "on_hold");
    auto after = api.call("GET", "/api/v1/agencies/" + agency.id, officer.token);
    for (const auto& l : after.body["letters"])
        EXPECT_EQ(l["status"], l["id"] == agency.letter_id ? "withdrawn" : "valid") << l;

    EXPECT_EQ(olivia.post(page + "/suspend", "reason=x").headers["location"], page + "?error=auth.forbidden");
    EXPECT_EQ(samuel.post(page + "/suspend", "reason=closed by decree").headers["location"], page);
    EXPECT_EQ(api.call("GET", "/api/v1/agencies/" + agency.id, officer.token).body["agency"]["status"], "suspended");
    auto audit = server.cli("audit search --object 'agency:" + agency.id + "'");
    EXPECT_NE(audit.output.find("agency.suspended"), std::string::npos) << audit.output;
}

// A representative's own sign-in, made from the agency's page: the representative signs off an application online
// (the office records who signed, under which letter), and sees nothing of another agency.
TEST(OfficePagesTest, ARepresentativesOwnSignInSignsOffOnlineOnlyUnderALetterThatAllowsUse) {
    test::ServerProcess server;
    Api api{server.port()};
    Staff admin = sign_in_staff(server, api, "carla", "ca_admin");
    Staff officer = sign_in_staff(server, api, "olivia", "officer");
    Staff supervisor = sign_in_staff(server, api, "samuel", "supervisor");
    RegisteredAgency agency = register_agency(api, officer, supervisor);
    RegisteredAgency other = register_agency(api, officer, supervisor, "IACM-03");
    Browser carla = Browser::for_staff(server.port(), admin);
    auto page = carla.get("/office/agencies/" + agency.id);
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("/representatives/" + agency.delegate_id + "/sign-in"), std::string::npos);
    // another agency's representative cannot be given a sign-in from this page
    auto foreign = carla.post("/office/agencies/" + agency.id + "/representatives/" + other.delegate_id + "/sign-in", "username=sneaky");
    EXPECT_NE(foreign.headers["location"].find("error=ui.bad_form"), std::string::npos);
    auto made = carla.post("/office/agencies/" + agency.id + "/representatives/" + agency.delegate_id + "/sign-in", "username=wong.rep");
    ASSERT_EQ(made.status, 200) << made.body.substr(0, 300);
    std::smatch password;
    ASSERT_TRUE(std::regex_search(made.body, password, std::regex("id=\"staff-password\">([^<]+)<")));
    Staff rep{"wong.rep", "", "", ""};
    rep.token = first_staff_sign_in(api, rep, password[1].str());
    ASSERT_EQ(api.call("POST", "/api/v1/staff/me/password", rep.token,
                       {{"old_password", password[1].str()}, {"new_password", "wong-chosen-password"}}).status, 204);

    auto filed = api.call("POST", "/api/v1/applications", officer.token,
                          {{"agency_id", agency.id}, {"username", "ng.ka"}, {"display_name", "吳嘉 Ng"},
                           {"email", "ng.ka@dsaj.gov.mo"}, {"services", {"cloud_signing"}}});
    ASSERT_EQ(filed.status, 201) << filed.body;
    std::string id = filed.body.value("id", "");
    Browser wong = Browser::for_staff(server.port(), rep);
    // #16 「使用」: the delegate's letter allows applications and revocations, but not using the service online
    auto refused = wong.post("/office/applications/" + id + "/sign-off", "representative_id=");
    ASSERT_EQ(refused.status, 303);
    EXPECT_NE(refused.headers["location"].find("error=ra.letter_lacks_use"), std::string::npos) << refused.headers["location"];
    EXPECT_TRUE(api.call("GET", "/api/v1/applications/" + id, officer.token).body["application"]["sign_off"].is_null());
    auto use_letter = api.call("POST", "/api/v1/agencies/" + agency.id + "/letters", officer.token,
                               {{"representative_id", agency.delegate_id},
                                {"scopes", {"apply", "use"}},
                                {"valid_from", "2026-01-01T00:00:00Z"}});
    ASSERT_EQ(use_letter.status, 201) << use_letter.body;
    const std::string use_letter_id = use_letter.body.value("id", "");
    api.attach(officer.token, use_letter_id, "authorisation_letter", pdf("letter with use"));
    ASSERT_EQ(api.call("POST", "/api/v1/letters/" + use_letter_id + "/confirm", supervisor.token).status, 200);

    auto signed_off = wong.post("/office/applications/" + id + "/sign-off", "representative_id=");
    ASSERT_EQ(signed_off.status, 303);
    EXPECT_EQ(signed_off.headers["location"], "/office/applications/" + id);
    auto application = api.call("GET", "/api/v1/applications/" + id, officer.token).body["application"];
    EXPECT_EQ(application["sign_off"]["representative_id"], agency.delegate_id);
    EXPECT_EQ(application["sign_off"]["letter_id"], use_letter_id);
    EXPECT_EQ(application["sign_off"]["recorded_by"], "staff:wong.rep");
    EXPECT_EQ(wong.get("/office/agencies/" + other.id).status, 403);
    auto queue = wong.get("/office");  // the representative's queue: their agency only, no counter work
    EXPECT_EQ(queue.status, 200);
    EXPECT_EQ(queue.body.find("href=\"/office/unlock\" class"), std::string::npos);
    EXPECT_EQ(queue.body.find("IACM-03"), std::string::npos);
}

// #16 forms as the office issues them: zh-Hant and Português on one page whatever the site's language, with the
// form's code and version and the services applied for from the configuration (not the template), the user-type
// boxes, the fields government users leave blank and the 「其他」 box they tick; revocation and renewal forms too.
TEST(OfficePagesTest, TheOfficesFormsAreBilingualWithTheirCodeAndTheConfiguredServices) {
    test::ServerProcess server(test::ServerProcess::Options{
        test::DbKind::Sqlite,
        R"({"ra": {"forms": {"service_application_form": {"code": "DSAJ-F-77", "version": "3.1"}},
                   "services": [{"id": "cloud_signing", "name": {"zh-Hant": "雲簽帳戶測試", "pt": "Conta de teste"}},
                                {"id": "stamp", "name": "印章服務 Serviço de selo"}]}})"});
    auto catalogue = [](const std::string& lang) {
        std::ifstream in(std::string(YQ_SOURCE_DIR) + "/src/web/i18n/" + lang + ".json");
        return nlohmann::json::parse(in);
    };
    const nlohmann::json zh = catalogue("zh-Hant"), pt = catalogue("pt");
    auto form = test::http_request("GET", server.port(), "/forms/service_application_form", "", "", "", "127.0.0.1",
                                   {{"Cookie", "yq_lang=en"}});
    ASSERT_EQ(form.status, 200);
    std::string page = form.body.substr(form.body.find("<article"));
    for (const char* key : {"type_government", "type_personal", "username", "home_address"}) {
        EXPECT_NE(page.find(zh["forms"]["fields"][key].get<std::string>()), std::string::npos) << key;
        EXPECT_NE(page.find(pt["forms"]["fields"][key].get<std::string>()), std::string::npos) << key;
    }
    EXPECT_NE(page.find(zh["documents"]["service_application_form"].get<std::string>()), std::string::npos);
    EXPECT_NE(page.find(pt["documents"]["service_application_form"].get<std::string>()), std::string::npos);
    std::smatch code;
    ASSERT_TRUE(std::regex_search(page, code, std::regex("id=\"form-code\">[^\\n]*<strong>([^<]+)</strong>[^\\n]*<strong>([^<]+)</strong>")));
    EXPECT_EQ(code[1].str(), "DSAJ-F-77");
    EXPECT_EQ(code[2].str(), "3.1");
    for (const char* service : {"雲簽帳戶測試", "Conta de teste", "印章服務 Serviço de selo"})
        EXPECT_NE(page.find(service), std::string::npos) << service;
    EXPECT_EQ(page.find("雲簽遠端電子簽署帳戶"), std::string::npos) << "a default service the configuration replaced";
    EXPECT_NE(page.find(zh["forms"]["service_other"].get<std::string>()), std::string::npos);
    EXPECT_NE(page.find(zh["forms"]["service_other_hint"].get<std::string>()), std::string::npos);
    // the personal-only fields say government users leave them blank; the username field does not
    std::string note = zh["forms"]["blank_for_government"].get<std::string>();
    std::size_t home = page.find(zh["forms"]["fields"]["home_address"].get<std::string>());
    EXPECT_NE(page.find(note, home), std::string::npos);
    EXPECT_LT(page.find(note, home), page.find("</dt>", home));
    std::size_t user = page.find(zh["forms"]["fields"]["username"].get<std::string>());
    EXPECT_GT(page.find(note, user), page.find("</dt>", user));
    // every form the checklists name can be printed, with the default code of its own
    for (const char* doc : {"agency_application_form", "authorisation_letter", "unlock_request_form",
                            "revocation_request_form", "renewal_request_form"}) {
        auto other = test::http_request("GET", server.port(), std::string("/forms/") + doc);
        EXPECT_EQ(other.status, 200) << doc;
        EXPECT_NE(other.body.find("<strong>YQ-RA-0"), std::string::npos) << doc;
    }
    EXPECT_EQ(test::http_request("GET", server.port(), "/forms/nope").status, 404);
}

// #16 申請表填寫指引: each form filled with a sample, its callouts numbered on the fields they explain (which box
// government users tick, the username that never changes, the fields they leave blank, the 「其他」 box), linked from
// "how to register".
TEST(OfficePagesTest, EachFormHasAFilledSampleWithCalloutsLinkedFromHowToRegister) {
    test::ServerProcess server;
    std::ifstream in(std::string(YQ_SOURCE_DIR) + "/src/web/i18n/zh-Hant.json");
    const nlohmann::json zh = nlohmann::json::parse(in);
    auto guide = test::http_request("GET", server.port(), "/forms/service_application_form/guide");
    ASSERT_EQ(guide.status, 200);
    std::string page = guide.body.substr(guide.body.find("<article"));
    for (int n = 1; n <= 4; ++n)
        EXPECT_NE(page.find(zh["forms"]["callouts"]["service_application_form"][std::to_string(n)].get<std::string>()),
                  std::string::npos)
            << n;
    // the callout sits on the field it explains, and the sample is written in its blank
    auto field = [&](const std::string& key) {
        std::size_t at = page.find(zh["forms"]["fields"][key].get<std::string>());
        return at == std::string::npos ? std::string() : page.substr(at, page.find("</dd>", at) - at);
    };
    auto box = [&](const std::string& key) {  // the box drawn right before the choice's words
        const std::string words = "</span><span lang=\"zh-Hant\">" + zh["forms"]["fields"][key].get<std::string>() + "<";
        std::size_t at = page.find(words);
        std::size_t b = at == std::string::npos ? at : page.rfind("<span class=\"box\">", at);
        return b == std::string::npos ? std::string("(no box)") : page.substr(b + 18, at - b - 18);
    };
    EXPECT_NE(field("type_government").find("class=\"callout\">1<"), std::string::npos) << field("type_government");
    EXPECT_EQ(box("type_government"), "☑");
    EXPECT_EQ(box("type_personal"), "☐");
    EXPECT_NE(field("username").find("class=\"callout\">2<"), std::string::npos);
    EXPECT_NE(field("username").find("chan.taiman"), std::string::npos);
    EXPECT_NE(field("home_address").find("class=\"callout\">3<"), std::string::npos);
    EXPECT_EQ(field("home_address").find("示例"), std::string::npos) << "a government user's sample fills a personal field";
    std::size_t other = page.find(zh["forms"]["service_other"].get<std::string>());
    ASSERT_NE(other, std::string::npos);
    std::string other_line = page.substr(other, page.find("</dd>", other) - other);
    EXPECT_NE(other_line.find("class=\"callout\">4<"), std::string::npos);
    EXPECT_NE(other_line.find("☑ 雲簽"), std::string::npos);
    // the blank form stays blank
    auto blank = test::http_request("GET", server.port(), "/forms/service_application_form");
    EXPECT_EQ(blank.body.find("chan.taiman"), std::string::npos);
    EXPECT_EQ(blank.body.find("class=\"callout\""), std::string::npos);
    // every form has its sample, and "how to register" links them
    auto how = test::http_request("GET", server.port(), "/register");
    for (const char* doc : {"agency_application_form", "authorisation_letter", "service_application_form",
                            "unlock_request_form", "revocation_request_form", "renewal_request_form"}) {
        EXPECT_EQ(test::http_request("GET", server.port(), std::string("/forms/") + doc + "/guide").status, 200) << doc;
        EXPECT_NE(how.body.find(std::string("href=\"/forms/") + doc + "/guide\""), std::string::npos) << doc;
    }
    EXPECT_EQ(test::http_request("GET", server.port(), "/forms/nope/guide").status, 404);
}

// #16 "filled from the case where the office prints them": every case's form comes out filled with what the office
// recorded — never an ID number (kept sealed) — and a box is ticked only where the case says so.
TEST(OfficePagesTest, TheOfficePrintsEachCasesFormFilledFromTheCase) {
    test::ServerProcess server(test::ServerProcess::Options{test::DbKind::Sqlite, office_config()});
    Api api{server.port()};
    Staff officer = sign_in_staff(server, api, "olivia", "officer");
    Staff supervisor = sign_in_staff(server, api, "samuel", "supervisor");
    RegisteredAgency agency = register_agency(api, officer, supervisor);
    std::string application = ready_application(api, officer, agency, "chan.taiman", "1234567(8)");
    Browser olivia = Browser::for_staff(server.port(), officer);

    auto agency_page = olivia.get("/office/agencies/" + agency.id);
    EXPECT_NE(agency_page.body.find("/office/agencies/" + agency.id + "/form"), std::string::npos);
    EXPECT_NE(agency_page.body.find("/letters/" + agency.letter_id + "/form"), std::string::npos);
    auto agency_form = olivia.get("/office/agencies/" + agency.id + "/form");
    ASSERT_EQ(agency_form.status, 200);
    for (const char* recorded : {"法務局", "Direcção dos Serviços de Assuntos de Justiça", "DSAJ-01", "Rua do Campo, Macau",
                                 "梁局長 Leong", "黃代表 Wong", "何聯絡 Ho", "ho@dsaj.gov.mo", "YQ-RA-01"})
        EXPECT_NE(agency_form.body.find(recorded), std::string::npos) << recorded;
    EXPECT_EQ(agency_form.body.find("5123456(7)"), std::string::npos) << "an ID number is never printed";

    auto letter_form = olivia.get("/office/agencies/" + agency.id + "/letters/" + agency.letter_id + "/form");
    ASSERT_EQ(letter_form.status, 200);
    auto ticked = [&](const std::string& body, const std::string& label) {  // the box drawn before the choice's words
        auto at = body.find("</span><span lang=\"zh-Hant\">" + label);
        auto b = at == std::string::npos ? at : body.rfind("<span class=\"box\">", at);
        if (b == std::string::npos) return std::string("(no such box)");
        return body.substr(b + 18, at - b - 18);
    };
    EXPECT_EQ(ticked(letter_form.body, "雲端簽署帳戶申請"), "☑");
    EXPECT_EQ(ticked(letter_form.body, "證書撤銷"), "☑");
    EXPECT_EQ(ticked(letter_form.body, "使用雲簽服務"), "☐") << "the letter does not include use";
    EXPECT_NE(letter_form.body.find("2026-01-01"), std::string::npos);

    auto app_form = olivia.get("/office/applications/" + application + "/form");
    ASSERT_EQ(app_form.status, 200);
    for (const char* recorded : {"chan.taiman", "陳大文 Chan Tai Man", "chan.taiman@dsaj.gov.mo", "Registry", "Technician",
                                 "YQ-RA-03", "黃代表 Wong"})
        EXPECT_NE(app_form.body.find(recorded), std::string::npos) << recorded;
    EXPECT_EQ(app_form.body.find("1234567(8)"), std::string::npos) << "an ID number is never printed";
    EXPECT_NE(app_form.body.find("表格已按註冊署的紀錄填寫"), std::string::npos) << "a filled form says so, not 'fill it in by hand'";
    EXPECT_EQ(ticked(app_form.body, "政府／機構用戶"), "☑") << app_form.body.substr(0, 2000);
    EXPECT_EQ(ticked(app_form.body, "個人用戶"), "☐");
    EXPECT_EQ(ticked(app_form.body, "雲簽遠端電子簽署帳戶"), "☑") << "the service applied for (ra.services)";
    EXPECT_EQ(ticked(app_form.body, "個人電子簽署證書"), "☐");

    EXPECT_EQ(olivia.get("/office/applications/app_doesnotexist/form").status, 404);
}
