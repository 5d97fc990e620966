// The audit chain against whoever can rewrite the database (#14 "Evidence"): each test is what a rogue database
// administrator would do, on the real server's database (SQLite and PostgreSQL), and `yunqian audit verify` must name
// it. The append-only triggers are dropped first, as such a person would.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "audit/event.hpp"
#include "pki/openssl_ptr.hpp"
#include "storage/database.hpp"
#include "support/fixtures.hpp"

using namespace yq;
using test::DbKind;

namespace {

class AuditTest : public ::testing::TestWithParam<DbKind> {
protected:
    test::TempDir work;
};

void drop_append_only_triggers(storage::Database& db) {
    db.with_connection([&](storage::Connection& c) {
        if (db.backend() == storage::Backend::Sqlite) {
            c.execute_script("DROP TRIGGER audit_events_no_update");
            c.execute_script("DROP TRIGGER audit_events_no_delete");
        } else {
            c.execute_script("DROP TRIGGER audit_events_no_change ON audit_events");
        }
    });
}

std::int64_t last_exported_seq(const std::string& heads_file) {
    std::ifstream in(heads_file);
    std::string line, last;
    while (std::getline(in, line))
        if (!line.empty()) last = line;
    return nlohmann::json::parse(last).at("seq").get<std::int64_t>();
}

}  // namespace

// The attack: cut the chain's tail (the events, the head signatures over them) and rewrite audit_head so that the
// shorter chain is consistent in itself. The head exported outside the database (signed by the HSM's audit key and
// time-stamped by the TSA) is what it can no longer match.
TEST_P(AuditTest, DeletedTailEventsAndRewrittenHeadAreCaughtByAnExportedHead) {
    test::ServerProcess server(test::ServerProcess::Options{GetParam()});
    test::create_account(server, work, "first.user");
    std::string heads = work.file("heads.jsonl");
    auto exported = server.cli("audit export-heads --out " + test::shell_quote(heads));
    ASSERT_EQ(exported.exit_code, 0) << exported.output;
    test::create_account(server, work, "second.user");
    server.stop();
    auto intact = server.cli("audit verify --heads " + test::shell_quote(heads));
    ASSERT_EQ(intact.exit_code, 0) << intact.output;
    EXPECT_NE(intact.output.find("1 exported heads found in the chain"), std::string::npos) << intact.output;
    EXPECT_NE(intact.output.find("chained to the HSM's root key"), std::string::npos) << intact.output;

    std::int64_t cut = last_exported_seq(heads) - 2;
    auto db = server.open_database();
    drop_append_only_triggers(*db);
    db->transact([&](storage::Connection& c) {
        core::Bytes hash = c.query_one("SELECT hash FROM audit_events WHERE seq = $1", {cut})->blob(0);
        c.execute("DELETE FROM audit_events WHERE seq > $1", {cut});
        c.execute("DELETE FROM audit_head_signatures WHERE seq > $1", {cut});
        c.execute("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1", {cut, hash});
    });
    auto caught = server.cli("audit verify --heads " + test::shell_quote(heads));
    EXPECT_EQ(caught.exit_code, 3) << caught.output;
    EXPECT_NE(caught.output.find("is beyond the end of the chain: events were removed"), std::string::npos)
        << caught.output;
}

// The attack: alter an event, recompute every hash after it, and re-sign the heads with a key of one's own whose
// certificate replaces the audit certificate in the database. Before #14 `audit verify` took the audit key from that
// same database and found nothing wrong; now the certificate must chain to the root anchored to the HSM's root key.
TEST_P(AuditTest, ForgedChainSignedWithAKeySwappedIntoTheDatabaseIsRefused) {
    test::ServerProcess server(test::ServerProcess::Options{GetParam()});
    test::create_account(server, work, "victim.user");
    std::string published_root = server.root_pem();  // as the repository serves it, fetched while the server runs
    server.stop();
    ASSERT_EQ(server.cli("audit verify").exit_code, 0);

    std::string key_pem = work.file("rogue.key"), cert_pem = work.file("rogue.crt");
    auto made = test::run_command("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -keyout " +
                                  test::shell_quote(key_pem) + " -out " + test::shell_quote(cert_pem) +
                                  " -subj '/C=MO/O=yunqian/CN=yunqian Audit Log Signer G1'");
    ASSERT_EQ(made.exit_code, 0) << made.output;
    pki::BioPtr key_bio(BIO_new_file(key_pem.c_str(), "r"));
    pki::EvpPkeyPtr rogue(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
    ASSERT_TRUE(rogue);
    core::Bytes rogue_cert = pki::certificates_from_pem(test::read_file(cert_pem)).at(0);
    auto sign = [&](const core::Bytes& digest) {
        pki::OsslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free> ctx(EVP_PKEY_CTX_new(rogue.get(), nullptr));
        EVP_PKEY_sign_init(ctx.get());
        EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha256());
        std::size_t len = 0;
        EVP_PKEY_sign(ctx.get(), nullptr, &len, digest.data(), digest.size());
        core::Bytes sig(len);
        EVP_PKEY_sign(ctx.get(), sig.data(), &len, digest.data(), digest.size());
        sig.resize(len);
        return sig;
    };

    auto db = server.open_database();
    drop_append_only_triggers(*db);
    db->transact([&](storage::Connection& c) {
        core::Bytes prev = audit::genesis_hash();
        std::map<std::int64_t, core::Bytes> hash_at;
        for (const auto& r : c.query("SELECT seq, time, actor, action, object, details FROM audit_events ORDER BY seq")) {
            audit::Event e{r.text(2), r.text(3), r.text(4), r.text(5), r.integer(1)};
            if (e.object == "account:victim.user" && e.action == "account.created")
                e.object = "account:someone.else";  // the forged history
            core::Bytes h = audit::chain_hash(prev, r.integer(0), e);
            c.execute("UPDATE audit_events SET object = $2, prev_hash = $3, hash = $4 WHERE seq = $1",
                      {r.integer(0), e.object, prev, h});
            hash_at[r.integer(0)] = h;
            prev = h;
        }
        c.execute("UPDATE audit_head SET hash = $1 WHERE id = 1", {prev});
        for (const auto& r : c.query("SELECT seq FROM audit_head_signatures")) {
            const core::Bytes& h = hash_at.at(r.integer(0));
            c.execute("UPDATE audit_head_signatures SET hash = $2, signature = $3 WHERE seq = $1",
                      {r.integer(0), h, sign(audit::head_signature_digest(r.integer(0), h))});
        }
        c.execute("UPDATE ca_material SET certificate = $1 WHERE name = 'audit'", {rogue_cert});
    });
    auto refused = server.cli("audit verify");
    EXPECT_EQ(refused.exit_code, 3) << refused.output;
    EXPECT_NE(refused.output.find("the audit certificate does not chain to the HSM's root key"), std::string::npos)
        << refused.output;
    // The published root certificate, given by the operator, is as good an anchor.
    auto with_root = server.cli("audit verify --root " + test::shell_quote(published_root));
    EXPECT_EQ(with_root.exit_code, 3) << with_root.output;
    EXPECT_NE(with_root.output.find("does not chain to the root certificate given"), std::string::npos)
        << with_root.output;
}

// The attack: delete the head signatures (and keep the server from signing again). Events older than the signing
// interval allows, covered by no head signature, are refused.
TEST_P(AuditTest, RemovedHeadSignaturesAreCaught) {
    test::ServerProcess server(
        test::ServerProcess::Options{GetParam(), R"({"audit": {"head_signing_interval_seconds": 1}})"});
    test::create_account(server, work, "signed.user");
    server.stop();
    ASSERT_EQ(server.cli("audit verify").exit_code, 0);
    auto db = server.open_database();
    db->with_connection([&](storage::Connection& c) { c.execute("DELETE FROM audit_head_signatures"); });
    std::this_thread::sleep_for(std::chrono::seconds(3));  // older than twice the 1 s interval
    auto caught = server.cli("audit verify");
    EXPECT_EQ(caught.exit_code, 3) << caught.output;
    EXPECT_NE(caught.output.find("not covered by any HSM head signature"), std::string::npos) << caught.output;
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditTest, ::testing::ValuesIn(test::db_kinds()), test::db_kind_name);
