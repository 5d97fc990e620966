// #16 "Notices", end to end: the real server with a real SMTP server (aiosmtpd) next to it. The agency's contact person
// and the signer are mailed when the office approves or rejects, when the account locks, and when the key signs; the
// mails are read back with Python's email package. A mail server that is down loses nothing. SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/fixtures.hpp"
#include "support/http_client.hpp"
#include "support/mail_server.hpp"
#include "support/office_api.hpp"

using namespace yq;
using nlohmann::json;
using test::DbKind;
using namespace test::office;

namespace {

class NoticesE2eTest : public ::testing::TestWithParam<DbKind> {
protected:
    std::string mail_config() const {
        return R"(, "mail": {"smtp_url": ")" + mail.url() +
               R"(", "from": "notices@yunqian.example.mo", "poll_seconds": 1, "retry_seconds": 1, "retry_max_seconds": 2})";
    }
    // The mails to `address` among those received, waiting up to 30 s for `count` of them.
    std::vector<test::ReceivedMail> mails_to(const std::string& address, std::size_t count) const {
        return mail.wait_for(count, 30, address);
    }
    static bool has(const test::ReceivedMail& m, const std::string& text) {
        return m.subject.find(text) != std::string::npos || m.body.find(text) != std::string::npos;
    }

    test::MailServer mail;
    test::TempDir work;
};

TEST_P(NoticesE2eTest, TheContactPersonAndTheApplicantAreMailedOfApprovalsAndRejectionsWithTheReason) {
    test::ServerProcess server(test::ServerProcess::Options{GetParam(), office_config(mail_config())});
    Api api{server.port()};
    Staff officer = sign_in_staff(server, api, "olivia", "officer");
    Staff supervisor = sign_in_staff(server, api, "samuel", "supervisor");
    RegisteredAgency agency = register_agency(api, officer, supervisor);

    auto contact = mails_to("ho@dsaj.gov.mo", 1);
    ASSERT_EQ(contact.size(), 1u);
    EXPECT_TRUE(has(contact[0], "機構登記已批准")) << contact[0].subject;
    EXPECT_TRUE(has(contact[0], "Direcção dos Serviços de Assuntos de Justiça")) << contact[0].body;
    EXPECT_NE(contact[0].from.find("notices@yunqian.example.mo"), std::string::npos) << contact[0].from;

    Signer chan = open_account(api, supervisor, ready_application(api, officer, agency, "chan.taiman", "1234567(8)"));
    auto applicant = mails_to("chan.taiman@dsaj.gov.mo", 1);
    ASSERT_EQ(applicant.size(), 1u);
    EXPECT_TRUE(has(applicant[0], "雲簽帳戶申請已批准")) << applicant[0].subject;
    EXPECT_TRUE(has(applicant[0], "chan.taiman")) << applicant[0].body;
    EXPECT_EQ(applicant[0].body.find("initial_login_password"), std::string::npos);
    EXPECT_TRUE(mails_to("ho@dsaj.gov.mo", 2).size() == 2) << "the contact person hears of the approval too";

    std::string second = ready_application(api, officer, agency, "lee.siuming", "7654321(0)");
    auto rejected = api.call("POST", "/api/v1/applications/" + second + "/reject", supervisor.token,
                             {{"reason", "身份證明文件副本不清晰"}});
    ASSERT_EQ(rejected.status, 200) << rejected.body;
    auto refusal = mails_to("lee.siuming@dsaj.gov.mo", 1);
    ASSERT_EQ(refusal.size(), 1u);
    EXPECT_TRUE(has(refusal[0], "不獲批准")) << refusal[0].subject;
    EXPECT_TRUE(has(refusal[0], "原因：身份證明文件副本不清晰")) << refusal[0].body;
    EXPECT_TRUE(has(refusal[0], "Motivo: 身份證明文件副本不清晰")) << refusal[0].body;

    // nothing was mailed twice, and the chain with the delivery events is whole
    std::set<std::string> ids;
    for (const auto& m : mail.mails()) EXPECT_TRUE(ids.insert(m.message_id).second) << "sent twice: " << m.subject;
    auto verified = server.cli("audit verify");
    EXPECT_EQ(verified.exit_code, 0) << verified.output;
    (void)chan;

    // the auditor sees what was mailed on the office's notices page; an officer does not
    Staff auditor = sign_in_staff(server, api, "audrey", "auditor");
    auto page = [&](const Staff& who) {
        return test::http_request("GET", server.port(), "/office/notices", "", "", "", "127.0.0.1",
                                  {{"Cookie", "yq_staff=" + who.token}, {"Accept-Language", "zh-Hant"}});
    };
    auto listed = page(auditor);
    EXPECT_EQ(listed.status, 200);
    EXPECT_NE(listed.body.find("application.rejected"), std::string::npos) << listed.body;
    EXPECT_NE(listed.body.find("已寄出"), std::string::npos);
    EXPECT_EQ(page(officer).status, 403);
}

TEST_P(NoticesE2eTest, TheSignerIsMailedOfEachSigningAndOfTheLockWithTheDigestSigned) {
    test::ServerProcess server(test::ServerProcess::Options{GetParam(), office_config(mail_config())});
    Api api{server.port()};
    Staff officer = sign_in_staff(server, api, "olivia", "officer");
    Staff supervisor = sign_in_staff(server, api, "samuel", "supervisor");
    RegisteredAgency agency = register_agency(api, officer, supervisor);
    Signer chan = open_account(api, supervisor, ready_application(api, officer, agency, "chan.taiman", "1234567(8)"));

    EXPECT_EQ(sign_and_verify(api, work, chan, "first document"), "Verified OK\n");
    const std::string digest = core::hex_encode(core::sha256(std::string("first document")));
    auto signed_mail = mails_to("chan.taiman@dsaj.gov.mo", 2);  // the approval, then the signing
    ASSERT_EQ(signed_mail.size(), 2u);
    EXPECT_TRUE(has(signed_mail[1], "您的簽署密鑰已用於簽署")) << signed_mail[1].subject;
    EXPECT_TRUE(has(signed_mail[1], digest)) << "the mail names what was signed:\n" << signed_mail[1].body;
    EXPECT_EQ(signed_mail[1].body.find("cred_"), std::string::npos) << "no internal id in a mail";
    // #18: and carries the transparency log entry recording it, which the signer's own list shows too
    auto log = api.call("GET", "/api/v1/me/transparency", chan.csc_token);
    ASSERT_EQ(log.body["entries"].size(), 1u) << log.body.dump();
    const std::string leaf_hex = core::hex_encode(core::base64_decode(log.body["entries"][0]["leaf_hash"].get<std::string>()));
    EXPECT_TRUE(has(signed_mail[1], leaf_hex)) << "the mail names the log entry:\n" << signed_mail[1].body;

    // a daily digest instead: the next signing waits for the morning
    auto chose = api.call("PUT", "/api/v1/me/notices", chan.csc_token, {{"signing", "daily"}});
    ASSERT_EQ(chose.status, 204) << chose.body;
    EXPECT_EQ(api.call("PUT", "/api/v1/me/notices", chan.csc_token, {{"signing", "never"}}).body.value("error", ""),
              "accounts.bad_notice_mode");
    EXPECT_EQ(sign_and_verify(api, work, chan, "second document"), "Verified OK\n");
    auto db = server.open_database();
    std::int64_t waiting = 0;
    db->with_connection([&](storage::Connection& c) {
        waiting = c.query_one("SELECT COUNT(*) FROM notices WHERE kind = 'signing' AND status = 'queued' "
                              "AND group_key LIKE 'signing-digest:%' AND not_before > $1",
                              {std::int64_t{std::time(nullptr)}})
                      ->integer(0);
    });
    EXPECT_EQ(waiting, 1);

    // five wrong signing passwords lock the account: the signer and the contact person are told
    for (int i = 0; i < 5; ++i) authorize(api, chan, "wrong-guess-" + std::to_string(i), core::base64_encode(core::sha256(std::string("x"))));
    auto locked = mails_to("chan.taiman@dsaj.gov.mo", 3);
    ASSERT_EQ(locked.size(), 3u);
    EXPECT_TRUE(has(locked[2], "雲簽帳戶已被鎖定")) << locked[2].subject;
    EXPECT_TRUE(has(locked[2], "Conta de assinatura bloqueada")) << locked[2].subject;
    bool contact_told = false;
    for (const auto& m : mails_to("ho@dsaj.gov.mo", 3)) contact_told = contact_told || has(m, "雲簽帳戶已被鎖定");
    EXPECT_TRUE(contact_told);
}

TEST_P(NoticesE2eTest, NoticesQueuedWhileTheMailServerIsDownArriveOnceItIsBack) {
    test::ServerProcess server(test::ServerProcess::Options{GetParam(), office_config(mail_config())});
    Api api{server.port()};
    Staff officer = sign_in_staff(server, api, "olivia", "officer");
    Staff supervisor = sign_in_staff(server, api, "samuel", "supervisor");
    mail.stop();
    RegisteredAgency agency = register_agency(api, officer, supervisor);  // its approval is mailed
    auto db = server.open_database();
    auto failures = [&] {
        std::int64_t n = 0;
        db->with_connection([&](storage::Connection& c) {
            n = c.query_one("SELECT COUNT(*) FROM notices WHERE status = 'queued' AND attempts > 0")->integer(0);
        });
        return n;
    };
    for (int i = 0; i < 40 && failures() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(250));
    EXPECT_GE(failures(), 1) << "the dispatcher tried while the mail server was down";

    mail.start();
    auto arrived = mails_to("ho@dsaj.gov.mo", 1);
    ASSERT_EQ(arrived.size(), 1u);
    EXPECT_TRUE(has(arrived[0], "機構登記已批准"));
    std::this_thread::sleep_for(std::chrono::seconds(3));  // more rounds: nothing is sent again
    EXPECT_EQ(mails_to("ho@dsaj.gov.mo", 1).size(), 1u);
    (void)agency;
}

INSTANTIATE_TEST_SUITE_P(Backends, NoticesE2eTest, ::testing::ValuesIn(test::db_kinds()), test::db_kind_name);

}  // namespace
