// #17 Backup and restore: the documented backup (`yunqian backup` while the node serves, plus pg_dump for
// PostgreSQL) restored onto a fresh home (`yunqian restore`) serves the same CA, verifies the audit chain, and signs
// for a signer who existed before the backup — with the original home's token store gone.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "core/bytes.hpp"
#include "reliability/campaign.hpp"
#include "support/fixtures.hpp"
#include "support/http_client.hpp"
#include "support/office_api.hpp"

using namespace yq;
using namespace yq::test::office;
using test::DbKind;

namespace {

namespace fs = std::filesystem;

using test::reliability::kPgBin;

// The PostgreSQL part of the documented backup, done as a database administrator would: pg_dump of the node's
// schema, restored with pg_restore into a new database. Returns the restored database's URL for the new home.
std::string dump_and_restore_postgres(const test::ServerProcess& node, const test::TempDir& work, std::string& created) {
    const std::string dsn = std::getenv("YQ_PG_DSN");
    std::smatch schema;
    std::string url = node.database_url();
    EXPECT_TRUE(std::regex_search(url, schema, std::regex("search_path=([a-z0-9_]+)"))) << url;
    auto dumped = test::run_command(kPgBin + "pg_dump --format=custom --schema=" + schema[1].str() + " --file=" +
                                    work.file("db.pgdump") + " --dbname=" + test::shell_quote(dsn));
    EXPECT_EQ(dumped.exit_code, 0) << dumped.output;
    created = "yq_restored_" + core::hex_encode(core::random_bytes(4));
    storage::Database::open(dsn, 10000, 1)->with_connection(
        [&](storage::Connection& c) { c.execute_script("CREATE DATABASE " + created); });
    const std::string target = dsn + " dbname=" + created;  // libpq: the last value of a keyword wins
    auto restored = test::run_command(kPgBin + "pg_restore --no-owner --dbname=" + test::shell_quote(target) + " " +
                                      work.file("db.pgdump"));
    EXPECT_EQ(restored.exit_code, 0) << restored.output;
    return target + " options='-c search_path=" + schema[1].str() + "'";
}

class BackupRestore : public ::testing::TestWithParam<DbKind> {};

TEST_P(BackupRestore, RestoredHomeServesTheSameCaAndSignsForAnExistingSigner) {
    test::TempDir work;
    auto node = std::make_unique<test::ServerProcess>(
        test::ServerProcess::Options{GetParam(), R"({"accounts": {"otp_required": false}})", false});
    auto account = test::create_account(*node, work, "backup.signer");
    Api api{node->port()};
    Signer signer{account.username, csc_login(api, account.username, "login-password-1"), account.credential,
                  "signing-password-1"};
    EXPECT_NE(sign_and_verify(api, work, signer, "signed before the backup").find("Verified OK"), std::string::npos);
    const std::string root = test::http_request("GET", node->port(), "/repo/root.crt").body;
    const std::string issuing = test::http_request("GET", node->port(), "/repo/issuing.crt").body;
    auto info = [&](int port) {
        return Api{port}.call("POST", "/csc/v2/credentials/info", signer.csc_token,
                              {{"credentialID", signer.credential}, {"certificates", "single"}});
    };
    const auto certificate = info(node->port()).body["cert"]["certificates"][0];

    // the backup, taken while the node serves and a signature is made right after it
    auto backup = node->cli("backup --to " + work.file("backup") + " --pins-to " + work.file("pins"));
    ASSERT_EQ(backup.exit_code, 0) << backup.output;
    EXPECT_EQ(fs::status(work.file("pins") + "/pins.json").permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
    std::string database_flag, created_database;
    if (GetParam() == DbKind::Postgres)
        database_flag = " --database-url " + test::shell_quote(dump_and_restore_postgres(*node, work, created_database));
    EXPECT_NE(sign_and_verify(api, work, signer, "signed after the backup").find("Verified OK"), std::string::npos);
    node->stop();
    fs::rename(node->home() + "/hsm/tokens", node->home() + "/hsm/tokens.gone");  // nothing may lean on the old home

    // a backup altered after it was made is refused whole
    const std::string restore = test::shell_quote(test::yunqian_binary()) + " --home ";
    test::run_command("cp -r " + work.file("backup") + " " + work.file("altered") + " && printf x >> " +
                      work.file("altered") + "/yunqian.json");
    auto refused = test::run_command(restore + work.file("altered-home") + " restore --from " + work.file("altered") +
                                     " --pins-from " + work.file("pins"));
    EXPECT_NE(refused.exit_code, 0);
    EXPECT_NE(refused.output.find("cli.backup_corrupt"), std::string::npos) << refused.output;
    EXPECT_FALSE(fs::exists(work.file("altered-home")));

    // the restore onto a fresh home: files checked, token store and PIN file in place, audit chain verified
    auto restored = test::run_command(restore + work.file("home") + " restore --from " + work.file("backup") +
                                      " --pins-from " + work.file("pins") + database_flag);
    ASSERT_EQ(restored.exit_code, 0) << restored.output;
    EXPECT_NE(restored.output.find("audit chain OK"), std::string::npos) << restored.output;

    auto again = test::ServerProcess::on_existing_home(work.file("home"));
    EXPECT_EQ(test::http_request("GET", again->port(), "/repo/root.crt").body, root) << "not the same root CA";
    EXPECT_EQ(test::http_request("GET", again->port(), "/repo/issuing.crt").body, issuing) << "not the same issuing CA";
    // the signer from before the backup: same credential and certificate, the key opens with the signing password
    Api restored_api{again->port()};
    signer.csc_token = csc_login(restored_api, account.username, "login-password-1");
    EXPECT_EQ(info(again->port()).body["cert"]["certificates"][0], certificate);
    EXPECT_NE(sign_and_verify(restored_api, work, signer, "signed on the restored home").find("Verified OK"),
              std::string::npos);
    auto verified = again->cli("audit verify");
    EXPECT_EQ(verified.exit_code, 0) << verified.output;
    again->stop();
    if (!created_database.empty())
        storage::Database::open(std::getenv("YQ_PG_DSN"), 10000, 1)->with_connection(
            [&](storage::Connection& c) { c.execute_script("DROP DATABASE IF EXISTS " + created_database); });
}

INSTANTIATE_TEST_SUITE_P(Backends, BackupRestore, ::testing::ValuesIn(test::db_kinds()), test::db_kind_name);

}  // namespace
