// #16 notice mails as text: every kind in the catalogue fills in both languages with no placeholder left, the header
// encoding keeps each RFC 2047 word within 75 characters without splitting a character, the body's base64 lines keep
// within RFC 2045's 76, and the retry delay doubles up to its cap.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/bytes.hpp"
#include "core/config.hpp"
#include "notices/dispatcher.hpp"
#include "notices/message_composer.hpp"
#include "notices/smtp_mailer.hpp"
#include "support/fixtures.hpp"

using namespace yq;
using nlohmann::json;

namespace {

notices::QueuedNotice notice(const std::string& kind, const json& params) {
    return notices::QueuedNotice{7, kind, "account:acc_1", params.dump(), "", 1796601600, 0};
}

// Every kind the catalogue has, with the params its change gives it.
std::vector<notices::QueuedNotice> one_of_each_kind() {
    const json user{{"username", "chan"}, {"display_name", "陳大文 Chan Tai Man"}, {"agency", "法務局"},
                    {"agency_pt", "Direcção dos Serviços de Assuntos de Justiça"}, {"at", 1796601600}};
    auto with = [&](json extra) {
        json p = user;
        p.update(extra);
        return p;
    };
    return {notice("agency.approved", user),
            notice("application.approved", user),
            notice("application.rejected", with({{"reason", "身份證明文件副本不清晰"}})),
            notice("request.approved", with({{"request", "revocation"}})),
            notice("request.rejected", with({{"request", "renewal"}, {"reason", "未經機構代表簽署"}})),
            notice("account.locked", with({{"attempts", 5}})),
            notice("certificate.expiring", with({{"serial", "4F00"}, {"not_after", 1799193600}, {"days", 30}})),
            notice("signing", with({{"certificate", "4f00a1"}, {"count", 1}, {"hashes", {"ab12cd"}}}))};
}

}  // namespace

TEST(NoticeMessageTest, EveryKindFillsBothLanguagesWithNoPlaceholderLeft) {
    core::OfficeConfig office;
    office.phone = "+853 2800 0000";
    office.helpdesk_email = "helpdesk@yunqian.example.mo";
    notices::MessageComposer composer(office);
    const json catalogue = json::parse(test::read_file(YQ_SOURCE_DIR "/src/notices/messages.json"));
    std::set<std::string> covered;
    for (const auto& n : one_of_each_kind()) {
        covered.insert(n.kind);
        auto m = composer.compose({n});
        for (const std::string& text : {m.subject, m.body}) {
            EXPECT_EQ(text.find("{{"), std::string::npos) << n.kind << ": " << text;
            EXPECT_EQ(text.find("&amp;"), std::string::npos) << n.kind << ": plain text must not be HTML-escaped";
        }
        EXPECT_EQ(m.subject.find('\n'), std::string::npos) << n.kind;
        EXPECT_NE(m.body.find("Português"), std::string::npos) << n.kind;
        EXPECT_NE(m.body.find("+853 2800 0000"), std::string::npos) << n.kind << ": the office's footer is missing";
        if (n.kind != "certificate.expiring") {  // (that one names the expiry date instead)
            EXPECT_NE(m.body.find("2026-12-07 08:00 (UTC+08:00)"), std::string::npos) << n.kind << "\n" << m.body;
        }
    }
    for (const auto& [kind, _] : catalogue["kinds"].items()) EXPECT_TRUE(covered.count(kind)) << kind << " untested";

    auto rejected = composer.compose({one_of_each_kind()[2]});
    EXPECT_NE(rejected.body.find("原因：身份證明文件副本不清晰"), std::string::npos) << rejected.body;
    EXPECT_NE(rejected.body.find("Direcção dos Serviços de Assuntos de Justiça"), std::string::npos)
        << "the Portuguese text names the agency in Portuguese";
    auto revoked = composer.compose({one_of_each_kind()[3]});
    EXPECT_NE(revoked.subject.find("撤銷證書申請已批准"), std::string::npos) << revoked.subject;
    EXPECT_NE(revoked.body.find("revogação do certificado"), std::string::npos) << revoked.body;
    auto signing = composer.compose({one_of_each_kind()[7]});
    EXPECT_NE(signing.body.find("證書序號 4f00a1"), std::string::npos) << "the certificate as the portal shows it";
    auto expiring = composer.compose({one_of_each_kind()[6]});
    EXPECT_NE(expiring.subject.find("2027-01-06"), std::string::npos) << expiring.subject;
}

TEST(NoticeMessageTest, AnUnknownKindIsAClearErrorNotAnEmptyMail) {
    core::OfficeConfig office;
    notices::MessageComposer composer(office);
    EXPECT_EQ(test::error_code_of([&] { composer.compose({notice("no.such.kind", json::object())}); }),
              "notices.unknown_kind");
}

TEST(NoticeMessageTest, HeaderWordsStayWithin75CharactersAndNeverSplitACharacter) {
    const std::string subject = "【雲簽】雲簽帳戶申請不獲批准 / yunqian: Requerimento de conta de assinatura recusado";
    std::string encoded = notices::encode_header_text(subject);
    std::string decoded;
    std::size_t pos = 0;
    while ((pos = encoded.find("=?UTF-8?B?", pos)) != std::string::npos) {
        std::size_t end = encoded.find("?=", pos + 10);
        ASSERT_NE(end, std::string::npos);
        EXPECT_LE(end + 2 - pos, 75u) << "RFC 2047 §2: an encoded word is at most 75 characters";
        core::Bytes part = core::base64_decode(encoded.substr(pos + 10, end - pos - 10));
        std::string text(part.begin(), part.end());
        // §5: each word decodes to whole UTF-8 characters (no continuation byte first)
        ASSERT_FALSE(text.empty());
        EXPECT_NE(static_cast<unsigned char>(text[0]) & 0xC0, 0x80);
        decoded += text;
        pos = end + 2;
    }
    EXPECT_EQ(decoded, subject);
    EXPECT_EQ(notices::encode_header_text("plain ascii"), "plain ascii");
}

TEST(NoticeMessageTest, TheBodyTravelsAsBase64LinesOfAtMost76) {
    core::MailConfig mail;
    notices::OutgoingMail m{"chan@dsaj.gov.mo", "陳大文", "notice-7.1@localhost", 1796601600,
                            {"主旨", std::string(500, 'x') + "\n雲簽\n"}};
    std::string text = notices::rfc5322_message(mail, m);
    std::size_t body = text.find("\r\n\r\n");
    ASSERT_NE(body, std::string::npos);
    EXPECT_NE(text.find("Date: Mon, 07 Dec 2026 00:00:00 +0000\r\n"), std::string::npos);
    EXPECT_NE(text.find("Message-ID: <notice-7.1@localhost>\r\n"), std::string::npos);
    std::string b64;
    std::size_t start = body + 4;
    while (start < text.size()) {
        std::size_t eol = text.find("\r\n", start);
        ASSERT_NE(eol, std::string::npos);
        EXPECT_LE(eol - start, 76u);
        b64 += text.substr(start, eol - start);
        start = eol + 2;
    }
    core::Bytes decoded = core::base64_decode(b64);
    EXPECT_EQ(std::string(decoded.begin(), decoded.end()), std::string(500, 'x') + "\r\n雲簽\r\n");
}

TEST(NoticeMessageTest, AnAddressThatCouldInjectAHeaderOrACommandIsRefused) {
    EXPECT_TRUE(notices::plausible_address("chan@dsaj.gov.mo"));
    for (const char* bad : {"chan@dsaj.gov.mo\r\nBcc: x@y.z", "a <b@c.d>", "no-at-sign", "two@@signs", "@nobody", "x@"})
        EXPECT_FALSE(notices::plausible_address(bad)) << bad;
}

TEST(NoticeMessageTest, RetriesDoubleFromTheFirstDelayUpToTheCap) {
    core::MailConfig mail;
    mail.retry_seconds = 60;
    mail.retry_max_seconds = 3600;
    EXPECT_EQ(notices::retry_delay(mail, 1), 60);
    EXPECT_EQ(notices::retry_delay(mail, 2), 120);
    EXPECT_EQ(notices::retry_delay(mail, 4), 480);
    EXPECT_EQ(notices::retry_delay(mail, 7), 3600);
    EXPECT_EQ(notices::retry_delay(mail, 40), 3600);
}
