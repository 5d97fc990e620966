// The web UI's protections over real HTTP: security headers on every page, forms refused without their token,
// sign-in attempts and bookings limited per client address (429 with Retry-After), redirects only to local paths.
#include <gtest/gtest.h>

#include <ctime>
#include <nlohmann/json.hpp>
#include <regex>

#include "core/bytes.hpp"
#include "support/fixtures.hpp"
#include "support/http_client.hpp"
#include "support/office_api.hpp"

using namespace yq;

namespace {

// The CSRF cookie a page sets, and the same token as the form carries it.
struct FormToken {
    std::string cookie, token;
};
FormToken form_token(const test::ServerProcess& server, const std::string& path) {
    auto page = test::http_request("GET", server.port(), path);
    EXPECT_EQ(page.status, 200);
    std::smatch m;
    std::string set_cookie = page.headers["set-cookie"];
    EXPECT_TRUE(std::regex_search(set_cookie, m, std::regex("yq_csrf=([0-9a-f]{64})"))) << set_cookie;
    FormToken t{"yq_csrf=" + m[1].str(), m[1].str()};
    EXPECT_NE(page.body.find("name=\"csrf\" value=\"" + t.token + "\""), std::string::npos);
    return t;
}

}  // namespace

TEST(UiSecurityTest, PagesCarryAStrictPolicyAndFormsNeedTheirToken) {
    test::ServerProcess server;
    for (const char* path : {"/", "/register", "/verify", "/appointments/book", "/repository", "/portal/login", "/office/login",
                             "/forms/agency_application_form", "/forms/unlock_request_form"}) {
        auto page = test::http_request("GET", server.port(), path);
        EXPECT_EQ(page.status, 200) << path;
        EXPECT_NE(page.headers["content-security-policy"].find("default-src 'none'"), std::string::npos) << path;
        EXPECT_EQ(page.headers["content-security-policy"].find("unsafe-inline"), std::string::npos) << path;
        EXPECT_EQ(page.headers["x-frame-options"], "DENY") << path;
        EXPECT_EQ(page.body.find("<script>"), std::string::npos) << path;  // no inline script
        EXPECT_EQ(page.body.find("style=\""), std::string::npos) << path;  // no inline style
    }
    // pdf.js for the signing page's preview: the two files of the Debian package, nothing else from its folder
    EXPECT_EQ(test::http_request("GET", server.port(), "/static/pdfjs/pdf.js").status, 200);
    EXPECT_EQ(test::http_request("GET", server.port(), "/static/pdfjs/pdf.worker.js").status, 200);
    EXPECT_EQ(test::http_request("GET", server.port(), "/static/pdfjs/pdf.sandbox.js").status, 404);
    EXPECT_EQ(test::http_request("GET", server.port(), "/static/pdfjs/..%2Fpdf.js").status, 404);
    // the signed-in pages send strangers to the sign-in page
    EXPECT_EQ(test::http_request("GET", server.port(), "/portal").headers["location"], "/portal/login");
    EXPECT_EQ(test::http_request("GET", server.port(), "/office").headers["location"], "/office/login");
    // a form without its token, or with another one, is refused
    FormToken t = form_token(server, "/verify");
    auto forged = test::http_request("POST", server.port(), "/appointments/cancel", "code=X&csrf=" + std::string(64, 'a'),
                                     "application/x-www-form-urlencoded", "", "127.0.0.1", {{"Cookie", t.cookie}});
    EXPECT_EQ(forged.status, 403);
    auto missing = test::http_request("POST", server.port(), "/appointments/cancel", "code=X",
                                      "application/x-www-form-urlencoded", "", "127.0.0.1", {{"Cookie", t.cookie}});
    EXPECT_EQ(missing.status, 403);
    // the language switch only returns to local paths
    auto away = test::http_request("GET", server.port(), "/language/pt?next=%2F%2Fevil.example%2F");
    EXPECT_EQ(away.status, 303);
    EXPECT_EQ(away.headers["location"], "/");
    EXPECT_NE(away.headers["set-cookie"].find("yq_lang=pt"), std::string::npos);
    EXPECT_NE(away.headers["set-cookie"].find("SameSite=Strict"), std::string::npos);
}

TEST(UiSecurityTest, SignInFailuresAndBookingsAreLimitedPerAddress) {
    test::ServerProcess server{test::ServerProcess::Options{
        test::DbKind::Sqlite, R"({"ui": {"sign_in_failures": 3, "bookings": 2, "window_seconds": 600}})"}};
    for (const char* path : {"/portal/login", "/office/login"}) {
        FormToken t = form_token(server, path);
        for (int i = 0; i < 3; ++i) {
            auto r = test::http_request("POST", server.port(), path,
                                        "username=nobody" + std::to_string(i) + "&password=wrong&otp=000000&csrf=" + t.token,
                                        "application/x-www-form-urlencoded", "", "127.0.0.1", {{"Cookie", t.cookie}});
            EXPECT_EQ(r.status, 401) << path << " " << i;
        }
        auto limited = test::http_request("POST", server.port(), path, "username=someone&password=x&otp=1&csrf=" + t.token,
                                          "application/x-www-form-urlencoded", "", "127.0.0.1", {{"Cookie", t.cookie}});
        EXPECT_EQ(limited.status, 429) << path;
        EXPECT_GT(std::stoi(limited.headers["retry-after"].empty() ? "0" : limited.headers["retry-after"]), 0);
    }
    FormToken t = form_token(server, "/verify");
    for (int i = 0; i < 2; ++i)  // bad bookings count too: the allowance is for attempts
        EXPECT_NE(test::http_request("POST", server.port(), "/appointments/book", "purpose=unlock&slot=1&name=a&contact=b&csrf=" + t.token,
                                     "application/x-www-form-urlencoded", "", "127.0.0.1", {{"Cookie", t.cookie}})
                      .status,
                  429);
    EXPECT_EQ(test::http_request("POST", server.port(), "/appointments/book", "purpose=unlock&slot=1&name=a&contact=b&csrf=" + t.token,
                                 "application/x-www-form-urlencoded", "", "127.0.0.1", {{"Cookie", t.cookie}})
                  .status,
              429);
}

// #14: someone who watched a signer sign in (the password typed, the code on the phone) signs in again with the same
// code inside its 30 seconds. Before the fix the portal checked the code without using up its step, so the replay
// got a second session; now a code signs in once.
TEST(UiSecurityTest, ObservedPortalSignInCodeCannotBeReplayed) {
    test::ServerProcess server;  // OTP required
    test::TempDir work;
    test::TestAccount account = test::create_account(server, work, "watched.user");
    FormToken t = form_token(server, "/portal/login");
    std::string code = test::totp_now(account.otp_secret_b32);
    auto sign_in = [&] {
        return test::http_request("POST", server.port(), "/portal/login",
                                  "username=watched.user&password=login-password-1&otp=" + code + "&csrf=" + t.token,
                                  "application/x-www-form-urlencoded", "", "127.0.0.1", {{"Cookie", t.cookie}});
    };
    auto owner = sign_in();
    EXPECT_EQ(owner.status, 303);
    EXPECT_EQ(owner.headers["location"], "/portal");
    auto replay = sign_in();
    EXPECT_EQ(replay.status, 401);
    EXPECT_EQ(replay.headers["set-cookie"].find("yq_session="), std::string::npos) << replay.headers["set-cookie"];
}

// #14: someone who learnt a signer's login password (not the phone) logs in through CSC auth/login, which has no field
// for a code, and puts the access token into the portal's session cookie to skip the portal's second factor — then
// changes the login password to lock the owner out. Before the fix every access token opened the portal; now the
// portal takes only a session whose code was proven, and the login password changes only with a fresh code.
TEST(UiSecurityTest, PasswordOnlyCscTokenCannotOpenThePortalOrTakeOverTheSignIn) {
    test::ServerProcess server;  // OTP required
    test::TempDir work;
    test::TestAccount account = test::create_account(server, work, "half.known");
    auto login = test::http_request(
        "POST", server.port(), "/csc/v2/auth/login", "", "", "", "127.0.0.1",
        {{"Authorization", "Basic " + core::base64_encode(core::to_bytes("half.known:login-password-1"))}});
    ASSERT_EQ(login.status, 200) << login.body;
    std::string token = nlohmann::json::parse(login.body)["access_token"];
    auto portal = test::http_request("GET", server.port(), "/portal", "", "", "", "127.0.0.1",
                                     {{"Cookie", "yq_session=" + token}});
    EXPECT_EQ(portal.status, 303);
    EXPECT_EQ(portal.headers["location"], "/portal/login");
    auto change = test::http_request("POST", server.port(), "/api/v1/me/login-password",
                                     R"({"old_password": "login-password-1", "new_password": "taken-over-pw-2"})",
                                     "application/json", "", "127.0.0.1", {{"Authorization", "Bearer " + token}});
    EXPECT_EQ(change.status, 401) << change.body;
    EXPECT_NE(change.body.find("accounts.otp_required"), std::string::npos) << change.body;
    // the token still does what CSC allows with a password: list the credentials (signing needs PIN + OTP)
    auto list = test::http_request("POST", server.port(), "/csc/v2/credentials/list", "{}", "application/json", "",
                                   "127.0.0.1", {{"Authorization", "Bearer " + token}});
    EXPECT_EQ(list.status, 200) << list.body;
    // the owner, with the code, signs in to the portal and changes the login password (with a fresh code)
    FormToken t = form_token(server, "/portal/login");
    auto owner = test::http_request(
        "POST", server.port(), "/portal/login",
        "username=half.known&password=login-password-1&otp=" + test::totp_now(account.otp_secret_b32) + "&csrf=" + t.token,
        "application/x-www-form-urlencoded", "", "127.0.0.1", {{"Cookie", t.cookie}});
    ASSERT_EQ(owner.status, 303);
    std::string cookie = owner.headers["set-cookie"].substr(0, owner.headers["set-cookie"].find(';'));
    EXPECT_EQ(test::http_request("GET", server.port(), "/portal", "", "", "", "127.0.0.1", {{"Cookie", cookie}}).status,
              200);
    auto owner_token = cookie.substr(cookie.find('=') + 1);
    auto changed = test::http_request(
        "POST", server.port(), "/api/v1/me/login-password",
        nlohmann::json{{"old_password", "login-password-1"},
                       {"new_password", "login-password-2"},
                       {"otp", test::totp_now(account.otp_secret_b32, 30)}}
            .dump(),
        "application/json", "", "127.0.0.1", {{"Authorization", "Bearer " + owner_token}});
    EXPECT_EQ(changed.status, 204) << changed.body;
}

// The audit log page answers the auditor and nobody else; dates are days in office time.
TEST(UiSecurityTest, TheAuditLogPageIsForAuditors) {
    using namespace test::office;
    test::ServerProcess server;
    Api api{server.port()};
    Staff auditor = sign_in_staff(server, api, "audrey", "auditor");
    Staff officer = sign_in_staff(server, api, "olivia", "officer");
    auto as = [&](const Staff& who, const std::string& target) {
        return test::http_request("GET", server.port(), target, "", "", "", "127.0.0.1", {{"Cookie", "yq_staff=" + who.token}});
    };
    auto page = as(auditor, "/office/audit?action=staff.signed_in&from=" + today_in_macau(-1) + "&to=" + today_in_macau(0));
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("staff:olivia"), std::string::npos);  // the officer's sign-in is listed
    EXPECT_NE(page.body.find("id=\"audit-events\""), std::string::npos);
    auto tomorrow = as(auditor, "/office/audit?action=staff.signed_in&from=" + today_in_macau(1));
    EXPECT_EQ(tomorrow.body.find("id=\"audit-events\""), std::string::npos);  // nothing from tomorrow on
    EXPECT_EQ(as(officer, "/office/audit?action=staff.signed_in").status, 403);
    EXPECT_EQ(as(Staff{}, "/office/audit").headers["location"], "/office/login");
}

// The CA administrator's page: the hierarchy, a CRL published from the page (audited), and nobody else may.
TEST(UiSecurityTest, OnlyTheCaAdministratorPublishesACrlFromTheOfficePages) {
    using namespace test::office;
    test::ServerProcess server;
    Api api{server.port()};
    Staff admin = sign_in_staff(server, api, "carla", "ca_admin");
    Staff officer = sign_in_staff(server, api, "olivia", "officer");
    FormToken t = form_token(server, "/verify");
    auto as = [&](const Staff& who, const std::string& method, const std::string& target, const std::string& body = "") {
        return test::http_request(method, server.port(), target, body, body.empty() ? "" : "application/x-www-form-urlencoded",
                                  "", "127.0.0.1", {{"Cookie", "yq_staff=" + who.token + "; " + t.cookie}});
    };
    auto page = as(admin, "GET", "/office/ca");
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("yunqian Root CA"), std::string::npos);
    EXPECT_NE(page.body.find("id=\"profiles\""), std::string::npos);
    EXPECT_EQ(as(officer, "GET", "/office/ca").status, 403);
    EXPECT_EQ(as(officer, "POST", "/office/ca/crl", "csrf=" + t.token).status, 403);
    EXPECT_EQ(as(admin, "POST", "/office/ca/crl", "csrf=" + std::string(64, 'b')).status, 403);  // forged form
    auto published = as(admin, "POST", "/office/ca/crl", "csrf=" + t.token);
    ASSERT_EQ(published.status, 303) << published.body.substr(0, 300);
    std::string number = published.headers["location"].substr(published.headers["location"].find('=') + 1);
    auto after = as(admin, "GET", published.headers["location"]);
    EXPECT_NE(after.body.find("<dd id=\"crl-number\">" + number + "</dd>"), std::string::npos);
    // the same CRL is what relying parties download, and the act is in the audit log under the administrator's name
    test::write_file(server.home() + "/crl.der", test::http_request("GET", server.port(), "/repo/issuing.crl").body);
    auto crl = test::run_command("openssl crl -inform DER -noout -crlnumber -in " + server.home() + "/crl.der");
    EXPECT_NE(crl.output.find("crlNumber="), std::string::npos) << crl.output;
    auto audit = server.cli("audit search --actor staff:carla");
    EXPECT_NE(audit.output.find("crl.published"), std::string::npos) << audit.output;
}

// The office's appointment list for a day: bookings with their contact, for staff who may list them; a bad date is a
// clear error page.
TEST(UiSecurityTest, TheOfficeListsADaysAppointmentsWithTheirContact) {
    using namespace test::office;
    test::ServerProcess server{test::ServerProcess::Options{test::DbKind::Sqlite, office_config()}};
    Api api{server.port()};
    Staff officer = sign_in_staff(server, api, "olivia", "officer");
    std::string slot = next_free_slot(api);
    auto booked = api.call("POST", "/api/v1/appointments", "",
                           {{"purpose", "registration"}, {"slot_start", slot}, {"name", "麥嘉欣 Mak"}, {"contact", "mak@example.mo"},
                            {"agency", "Direcção dos Serviços X"}});
    ASSERT_EQ(booked.status, 201) << booked.body;
    std::time_t t = core::parse_rfc3339(slot) + 8 * 3600;  // the slot's day in office time
    std::tm tm{};
    gmtime_r(&t, &tm);
    char day[16];
    std::strftime(day, sizeof day, "%Y-%m-%d", &tm);
    auto as = [&](const std::string& target) {
        return test::http_request("GET", server.port(), target, "", "", "", "127.0.0.1", {{"Cookie", "yq_staff=" + officer.token}});
    };
    auto page = as(std::string("/office/appointments?date=") + day);
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("麥嘉欣 Mak"), std::string::npos);
    EXPECT_NE(page.body.find("mak@example.mo"), std::string::npos);
    auto bad = as("/office/appointments?date=2026-02-31");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(test::http_request("GET", server.port(), "/office/appointments").headers["location"], "/office/login");
}
