// Browser journeys (tests/ui/journeys.mjs: playwright-core driving Debian's Chromium) over the real server. Each
// journey asserts on what the pages show and leaves its screenshots under ui-artefacts/<journey> in the build
// directory; this file starts the server, prepares what a journey needs, and reads the journey's verdict.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/fixtures.hpp"
#include "core/bytes.hpp"
#include "support/office_api.hpp"
#include "support/pdf_tools.hpp"

using namespace yq;

namespace {

test::CommandResult run_journey(const test::ServerProcess& server, const std::string& journey,
                                const nlohmann::json& args = nlohmann::json::object()) {
    std::filesystem::path artefacts = std::filesystem::current_path() / "ui-artefacts" / journey;
    std::filesystem::remove_all(artefacts);
    return test::run_command("node " + std::string(YQ_SOURCE_DIR) + "/tests/ui/journeys.mjs " + journey + " " +
                             server.base_url() + " " + artefacts.string() + " " + test::shell_quote(args.dump()) + " 2>&1");
}

}  // namespace

TEST(UiTest, ThePublicSiteSpeaksTraditionalChinesePortugueseAndEnglish) {
    test::ServerProcess server;
    auto r = run_journey(server, "languages");
    EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST(UiTest, APersonBooksLooksUpAndCancelsAnAppointmentInsideOfficeHours) {
    test::ServerProcess server;
    auto r = run_journey(server, "book");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    // the booking and its cancellation are in the audit log
    auto audit = server.cli("audit search --object 'appointment:*'");
    EXPECT_NE(audit.output.find("appointment.booked"), std::string::npos) << audit.output;
    EXPECT_NE(audit.output.find("appointment.cancelled"), std::string::npos) << audit.output;
}

TEST(UiTest, TheVerifyPageShowsAValidAndATamperedSignature) {
    test::TempDir work;
    test::ServerProcess server{test::ServerProcess::Options{test::DbKind::Sqlite, R"({"accounts": {"otp_required": false}})"}};
    test::create_account(server, work, "chan.taiman");
    std::string input = test::ghostscript_pdf(work, 1);
    test::write_file(work.file("pin"), "signing-password-1\n");
    std::string valid = work.file("signed.pdf");
    auto s = server.cli("sign pdf --in " + input + " --out " + valid + " --username chan.taiman --level B-T --page 1 "
                        "--rect 300,60,560,160 < " + work.file("pin"));
    ASSERT_EQ(s.exit_code, 0) << s.output;
    std::string bytes = test::read_file(valid);
    bytes[test::read_file(input).find("/MediaBox") + 1] = 'm';  // inside the signed range
    test::write_file(work.file("tampered.pdf"), bytes);
    auto html = server.cli("verify --format html " + valid);
    test::write_file(work.file("report.html"), html.output);
    auto r = run_journey(server, "verify",
                         {{"valid", valid}, {"tampered", work.file("tampered.pdf")}, {"signer", "陳大文 Chan Tai Man"},
                          {"report_html", work.file("report.html")}});
    EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST(UiTest, ASignerSignsInChangesTheSigningPasswordSignsAPdfAndIsLockedAfterWrongPasswords) {
    test::TempDir work;
    test::ServerProcess server;  // OTP required, as in production
    auto account = test::create_account(server, work, "chan.taiman");
    std::string input = test::ghostscript_pdf(work, 2);
    std::string signed_out = work.file("downloaded.pdf");
    auto r = run_journey(server, "portal",
                         {{"username", "chan.taiman"}, {"login_password", "login-password-1"},
                          {"signing_password", "signing-password-1"}, {"new_signing_password", "signing-password-2"},
                          {"otp_secret", account.otp_secret_b32}, {"pdf", input}, {"signed_out", signed_out},
                          {"lockout", 5}});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    // the signature sits where the signer clicked on the preview: page 2, the box the page reported
    auto placed_line = r.output.find("RECT {");
    ASSERT_NE(placed_line, std::string::npos) << r.output;
    auto placed = nlohmann::json::parse(r.output.substr(placed_line + 5, r.output.find('\n', placed_line) - placed_line - 5));
    auto widgets = test::signature_widgets(signed_out);
    ASSERT_EQ(widgets.size(), 1u);
    EXPECT_EQ(widgets[0].page, 2);
    ASSERT_EQ(widgets[0].rect.size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) EXPECT_NEAR(widgets[0].rect[i], placed["rect"][i].get<double>(), 0.01) << i;
    // the download is a B-T signature that yunqian's validator and pdfsig accept
    auto verified = server.cli("verify --format json " + signed_out);
    EXPECT_EQ(verified.exit_code, 0) << verified.output;
    EXPECT_NE(verified.output.find("\"level\": \"B-T\""), std::string::npos) << verified.output;
    // the office unlocks at the appointment (back-office pages come later; the CLI does the same act)
    auto unlock = server.cli("account unlock --username chan.taiman");
    ASSERT_EQ(unlock.exit_code, 0) << unlock.output;
    auto after = run_journey(server, "unlocked",
                             {{"username", "chan.taiman"}, {"login_password", "login-password-1"},
                              {"otp_secret", account.otp_secret_b32}});
    EXPECT_EQ(after.exit_code, 0) << after.output;
    auto audit = server.cli("audit search --object 'account:chan.taiman'");
    EXPECT_NE(audit.output.find("account.locked"), std::string::npos) << audit.output;
}

// The lock → appointment → unlock loop with the office's pages: the signer's account is locked by wrong signing
// passwords, an unlock appointment is booked, an officer records it at the counter, a supervisor approves.
TEST(UiTest, TheOfficeUnlocksALockedAccountAtTheAppointmentWithASecondPersonApproving) {
    using namespace test::office;
    test::TempDir work;
    test::ServerProcess server{test::ServerProcess::Options{test::DbKind::Sqlite, office_config()}};
    Api api{server.port()};
    Staff officer = sign_in_staff(server, api, "olivia", "officer");
    Staff supervisor = sign_in_staff(server, api, "samuel", "supervisor");
    RegisteredAgency agency = register_agency(api, officer, supervisor);
    Signer signer = open_account(api, supervisor, ready_application(api, officer, agency, "lam.kaman", "1234567(8)"));
    std::string hash = core::base64_encode(core::sha256(std::string("x")));
    for (int i = 0; i < 5; ++i) authorize(api, signer, "wrong-password-" + std::to_string(i), hash);
    EXPECT_NE(authorize(api, signer, signer.signing_password, hash).status, 200);  // locked: even the right password fails
    auto booked = api.call("POST", "/api/v1/appointments", "",
                           {{"purpose", "unlock"}, {"slot_start", next_free_slot(api)}, {"name", "林嘉雯 Lam"},
                            {"contact", "lam@dsaj.gov.mo"}, {"username", "lam.kaman"}});
    ASSERT_EQ(booked.status, 201) << booked.body;
    test::write_file(work.file("unlock-form.pdf"), pdf("unlock form lam.kaman"));
    test::write_file(work.file("id-copy.png"), png() + "lam");
    auto r = run_journey(server, "office",
                         {{"officer", "olivia"}, {"officer_password", "olivia-chosen-password"},
                          {"officer_secret", officer.otp_secret}, {"supervisor", "samuel"},
                          {"supervisor_password", "samuel-chosen-password"}, {"supervisor_secret", supervisor.otp_secret},
                          {"appointment_code", booked.body["confirmation_code"]}, {"username", "lam.kaman"},
                          {"id_number", "1234567(8)"}, {"unlock_form", work.file("unlock-form.pdf")},
                          {"id_copy", work.file("id-copy.png")}});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(authorize(api, signer, signer.signing_password, hash).status, 200);  // unlocked: signing works again
    auto audit = server.cli("audit search --object 'account:lam.kaman'");
    EXPECT_NE(audit.output.find("account.unlocked"), std::string::npos) << audit.output;
}

// The whole registration in the browser: an officer registers an agency whose delegate holds the head's letter and
// files a user's application; a second officer approves both and prints the PIN letter (no signing secret on it). The
// user's first sign-in enrols the authenticator from a QR code only they see, chooses the signing password (the key
// and certificate are made then), and signs at B-LTA.
TEST(UiTest, AnOfficerRegistersAnAgencyAndAUserASecondOfficerApprovesAndTheUserEnrolsAndSigns) {
    using namespace test::office;
    test::TempDir work;
    test::ServerProcess server;  // OTP required
    Api api{server.port()};
    Staff officer = sign_in_staff(server, api, "olivia", "officer");
    Staff supervisor = sign_in_staff(server, api, "samuel", "supervisor");
    std::map<std::string, std::string> files{{"agency_form", pdf("agency application DSAJ")},
                                             {"representative_id", jpeg() + "wong"},
                                             {"contact_id", png() + "ho"},
                                             {"letter", pdf("authorisation letter DSAJ")},
                                             {"service_form", pdf("service application ho.weng")},
                                             {"user_id", png() + "ho.weng"}};
    nlohmann::json args{{"officer", "olivia"}, {"officer_password", "olivia-chosen-password"},
                        {"officer_secret", officer.otp_secret}, {"supervisor", "samuel"},
                        {"supervisor_password", "samuel-chosen-password"}, {"supervisor_secret", supervisor.otp_secret},
                        {"code", "DSAJ-UI"}, {"delegate", "黃代表 Wong"}, {"username", "ho.weng"},
                        {"id_number", "7654321(0)"}};
    for (const auto& [name, bytes] : files) {
        test::write_file(work.file(name), bytes);
        args[name] = work.file(name);
    }
    auto registered = run_journey(server, "register", args);
    ASSERT_EQ(registered.exit_code, 0) << registered.output;
    auto pin_line = registered.output.find("PIN {");
    ASSERT_NE(pin_line, std::string::npos) << registered.output;
    auto letter = nlohmann::json::parse(registered.output.substr(pin_line + 4, registered.output.find('\n', pin_line) - pin_line - 4));
    // what the pages did is what the office's records say, each step by its own person
    auto agencies = api.call("GET", "/api/v1/agencies?status=active", supervisor.token);
    ASSERT_EQ(agencies.body["agencies"].size(), 1u) << agencies.body;
    EXPECT_EQ(agencies.body["agencies"][0]["created_by"], "staff:olivia");
    EXPECT_EQ(agencies.body["agencies"][0]["approved_by"], "staff:samuel");
    auto audit = server.cli("audit search --actor staff:samuel");
    for (const char* action : {"agency.approved", "letter.confirmed", "application.approved"})
        EXPECT_NE(audit.output.find(action), std::string::npos) << action << "\n" << audit.output;
    EXPECT_EQ(audit.output.find(letter["login_password"].get<std::string>()), std::string::npos);  // never logged

    std::string input = test::ghostscript_pdf(work, 1);
    std::string signed_out = work.file("signed.pdf");
    auto r = run_journey(server, "enrol",
                         {{"username", "ho.weng"}, {"login_password", letter["login_password"]},
                          {"new_signing_password", "ho.weng-own-signing-secret"}, {"pdf", input}, {"signed_out", signed_out}});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    // the QR code as the browser showed it is what an authenticator app reads (zbarimg on the screenshot)
    auto qr = test::run_command("zbarimg --raw -q " +
                                (std::filesystem::current_path() / "ui-artefacts/enrol/01-enrol-pt.png").string());
    EXPECT_NE(qr.output.find("otpauth://totp/"), std::string::npos) << qr.output;
    EXPECT_NE(qr.output.find("ho.weng"), std::string::npos) << qr.output;
    auto verified = server.cli("verify --format json " + signed_out);
    EXPECT_EQ(verified.exit_code, 0) << verified.output;
    auto account_audit = server.cli("audit search --object 'account:ho.weng'");
    EXPECT_NE(account_audit.output.find("account.totp_enrolled"), std::string::npos) << account_audit.output;
    EXPECT_NE(account_audit.output.find("account.signing_key_created"), std::string::npos) << account_audit.output;
}
