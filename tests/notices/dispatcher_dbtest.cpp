// #16 notices on a real database (SQLite; PostgreSQL when YQ_PG_DSN is set) and a real SMTP server (aiosmtpd): a notice
// commits or rolls back with the change that queues it, two dispatchers never hold one notice, a down mail server
// loses nothing, a daily digest leaves as one mail at its hour, and a recipient with no address is given up visibly.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "notices/dispatcher.hpp"
#include "ra/notice_addresses.hpp"
#include "storage/sql_store.hpp"
#include "support/fixtures.hpp"
#include "support/mail_server.hpp"

using namespace yq;
using test::DbKind;
using nlohmann::json;

namespace {

constexpr std::int64_t kMonday = 1796601600;  // 2026-12-07 00:00 UTC = 08:00 in Macau

class NoticesTest : public ::testing::TestWithParam<DbKind> {
protected:
    NoticesTest() {
        config.mail.smtp_url = "smtp://127.0.0.1:1";  // replaced by the tests that run a mail server
        config.mail.retry_seconds = 60;
        config.mail.max_attempts = 3;
        config.mail.timeout_seconds = 5;
        accounts::Account a;
        a.id = "acc_chan";
        a.username = "chan";
        a.display_name = "陳大文 Chan Tai Man";
        a.agency = "法務局";
        a.email = "chan@dsaj.gov.mo";
        a.created_at = kMonday;
        store.create_account(a, std::nullopt, event("account.created"));
    }

    audit::Event event(const std::string& action, std::vector<audit::Notice> notices = {}) {
        audit::Event e{"staff:t", action, "object", "{}", clock.unix_seconds()};
        e.notices = std::move(notices);
        return e;
    }
    audit::Notice signing(std::int64_t at, const std::string& group = "", std::int64_t not_before = 0) {
        return audit::Notice{"signing", audit::account_audience("acc_chan"),
                             json{{"username", "chan"}, {"certificate", "4f00a1"}, {"count", 1},
                                  {"hashes", {"ab12"}}, {"at", at}}.dump(),
                             group, "", not_before};
    }
    std::int64_t count(const std::string& where) {
        std::int64_t n = 0;
        database.db().with_connection(
            [&](storage::Connection& c) { n = c.query_one("SELECT COUNT(*) FROM notices WHERE " + where)->integer(0); });
        return n;
    }
    notices::Dispatcher dispatcher(notices::MailTransport& transport) {
        return notices::Dispatcher(config.mail, store, addresses, transport, composer, clock, "node-a");
    }

    test::TestDatabase database{GetParam()};
    storage::SqlStore store{database.db()};
    core::Config config = test::test_config("/tmp");
    core::FixedClock clock{kMonday + 2 * 3600};  // 10:00 in Macau
    ra::NoticeAddresses addresses{store, store};
    notices::MessageComposer composer{config.office};
};

TEST_P(NoticesTest, ANoticeCommitsAndRollsBackWithTheChangeThatQueuesIt) {
    EXPECT_THROW(store.atomically([&] {
        store.insert_record(ra::StoredRecord{"app_1", "application", "agc_1", "submitted", 1, "{}", 1, 1}, {}, {},
                            event("application.submitted", {signing(1)}));
        throw Error("test.abort", 500, "the unit of work fails after the change");
    }),
                 Error);
    EXPECT_EQ(count("1 = 1"), 0) << "a rolled-back change queued its notice anyway";
    store.record_event(event("csc.signatures.created", {signing(1)}));
    EXPECT_EQ(count("status = 'queued'"), 1);
}

TEST_P(NoticesTest, TwoDispatchersClaimingAtOnceNeverHoldTheSameNotice) {
    for (int i = 0; i < 40; ++i) store.record_event(event("csc.signatures.created", {signing(i)}));
    const std::int64_t now = clock.unix_seconds();
    std::vector<notices::QueuedNotice> a, b;
    std::thread ta([&] { a = store.claim_due("node-a:1", now, now + 120, 25); });
    std::thread tb([&] { b = store.claim_due("node-b:1", now, now + 120, 25); });
    ta.join();
    tb.join();
    std::set<std::int64_t> ids;
    for (const auto& n : a) ids.insert(n.id);
    for (const auto& n : b) EXPECT_TRUE(ids.insert(n.id).second) << "notice " << n.id << " claimed twice";
    EXPECT_EQ(ids.size(), std::min<std::size_t>(40, a.size() + b.size()));
    EXPECT_GE(ids.size(), 25u);
    // while the leases run nobody else gets them; once they run out, the rest of the queue is there
    EXPECT_EQ(store.claim_due("node-c:1", now, now + 120, 100).size(), 40 - ids.size());
    EXPECT_EQ(store.claim_due("node-c:2", now + 121, now + 240, 100).size(), 40u);
    store.release("node-c:2");  // a pass that stopped early gives its notices back at once
    EXPECT_EQ(store.claim_due("node-d:1", now + 122, now + 240, 100).size(), 40u);
}

TEST_P(NoticesTest, WhenTheMailServerFailsTheRestOfThePassIsGivenBackUncounted) {
    notices::SmtpMailer nowhere(config.mail, "/tmp");  // port 1: refused
    auto d = dispatcher(nowhere);
    for (int i = 0; i < 3; ++i) store.record_event(event("csc.signatures.created", {signing(clock.unix_seconds())}));
    auto round = d.run_once();
    EXPECT_EQ(round.retrying, 1);
    EXPECT_EQ(count("attempts = 1"), 1) << "only the mail tried counts an attempt";
    EXPECT_EQ(count("attempts = 0 AND claimed_until = 0"), 2) << "the others are free for the next pass";
}

TEST_P(NoticesTest, AMailServerThatIsDownLosesNothingAndTheMailLeavesOnceWhenItIsBack) {
    test::MailServer mail;
    config.mail.smtp_url = mail.url();
    notices::SmtpMailer smtp(config.mail, "/tmp");
    auto d = dispatcher(smtp);
    store.record_event(event("csc.signatures.created", {signing(clock.unix_seconds())}));

    mail.stop();
    auto down = d.run_once();
    EXPECT_EQ(down.sent, 0);
    EXPECT_EQ(down.retrying, 1);
    EXPECT_EQ(count("status = 'queued' AND attempts = 1 AND last_error LIKE '%mail server%'"), 1);
    auto failed = store.search_events(audit::EventFilter{"notice:*", "", "notice.delivery_failed"});
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_NE(failed[0].event.details.find("next_attempt_at"), std::string::npos);

    mail.start();
    EXPECT_EQ(d.run_once().sent, 0) << "the retry waits for its time";
    clock.advance(std::chrono::seconds(61));
    EXPECT_EQ(d.run_once().sent, 1);
    EXPECT_EQ(d.run_once().sent, 0) << "a sent notice is not sent again";
    auto got = mail.wait_for(1, 5);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].to, "chan@dsaj.gov.mo");
    EXPECT_NE(got[0].subject.find("您的簽署密鑰已用於簽署"), std::string::npos) << got[0].subject;
    EXPECT_NE(got[0].subject.find("A sua chave de assinatura foi usada"), std::string::npos) << got[0].subject;
    EXPECT_NE(got[0].body.find("ab12"), std::string::npos) << got[0].body;
    EXPECT_NE(got[0].body.find("2026-12-07 10:00 (UTC+08:00)"), std::string::npos) << got[0].body;
    EXPECT_EQ(got[0].content_type, "text/plain; charset=utf-8");
    EXPECT_TRUE(got[0].date_parses) << got[0].date;
    EXPECT_NE(got[0].to_header.find("陳大文 Chan Tai Man"), std::string::npos) << got[0].to_header;
    EXPECT_EQ(count("status = 'sent' AND attempts = 2"), 1);
    EXPECT_EQ(store.search_events(audit::EventFilter{"notice:*", "", "notice.sent"}).size(), 1u);
    EXPECT_TRUE(audit::verify_chain(store.all_events(), {}, {}).ok);
}

TEST_P(NoticesTest, AMailServerThatNeverComesBackEndsInAnAbandonedNoticeTheOfficeCanSee) {
    notices::SmtpMailer nowhere(config.mail, "/tmp");  // port 1: refused
    auto d = dispatcher(nowhere);
    store.record_event(event("csc.signatures.created", {signing(clock.unix_seconds())}));
    for (int i = 0; i < config.mail.max_attempts; ++i) {
        d.run_once();
        clock.advance(std::chrono::seconds(config.mail.retry_max_seconds + 1));
    }
    EXPECT_EQ(count("status = 'abandoned' AND attempts = 3"), 1);
    EXPECT_EQ(store.search_events(audit::EventFilter{"notice:*", "", "notice.abandoned"}).size(), 1u);
    auto listed = store.recent_notices(10);
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].status, "abandoned");
    EXPECT_FALSE(listed[0].last_error.empty());
}

TEST_P(NoticesTest, ARecipientWithNoAddressOnFileIsGivenUpAtOnceAndTheOthersStillGo) {
    test::MailServer mail;
    config.mail.smtp_url = mail.url();
    notices::SmtpMailer smtp(config.mail, "/tmp");
    auto d = dispatcher(smtp);
    audit::Notice lost = signing(clock.unix_seconds());
    lost.audience = audit::account_audience("acc_nobody");
    store.record_event(event("csc.signatures.created", {lost, signing(clock.unix_seconds())}));
    auto round = d.run_once();
    EXPECT_EQ(round.abandoned, 1);
    EXPECT_EQ(round.sent, 1);
    EXPECT_EQ(count("status = 'abandoned' AND last_error LIKE '%no valid e-mail address%'"), 1);
    EXPECT_EQ(mail.wait_for(1, 5).size(), 1u);
}

TEST_P(NoticesTest, ADailyDigestLeavesAsOneMailAtItsHourListingEverySigning) {
    test::MailServer mail;
    config.mail.smtp_url = mail.url();
    notices::SmtpMailer smtp(config.mail, "/tmp");
    auto d = dispatcher(smtp);
    const std::int64_t digest_at = kMonday + 86400;  // Tuesday 08:00 in Macau
    const std::string group = "signing-digest:acc_chan:" + std::to_string(digest_at);
    for (int i = 0; i < 3; ++i)
        store.record_event(event("csc.signatures.created", {signing(clock.unix_seconds() + i * 600, group, digest_at)}));

    EXPECT_EQ(d.run_once().sent, 0) << "a digest does not leave before its hour";
    clock.set(digest_at);
    auto round = d.run_once();
    EXPECT_EQ(round.sent, 1);
    auto got = mail.wait_for(1, 5);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_NE(got[0].subject.find("簽署每日摘要：3 次簽署"), std::string::npos) << got[0].subject;
    for (const char* when : {"2026-12-07 10:00", "2026-12-07 10:10", "2026-12-07 10:20"})
        EXPECT_NE(got[0].body.find(when), std::string::npos) << when << " missing from\n" << got[0].body;
    EXPECT_EQ(count("status = 'sent'"), 3);
}

INSTANTIATE_TEST_SUITE_P(Backends, NoticesTest, ::testing::ValuesIn(test::db_kinds()), test::db_kind_name);

}  // namespace
