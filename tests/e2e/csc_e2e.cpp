// The CSC API over loopback against the real server: accounts made with the CLI, signatures judged by openssl.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <thread>

#include "accounts/totp.hpp"
#include "support/fixtures.hpp"
#include "support/process_memory.hpp"
#include "support/http_client.hpp"

using namespace yq;
using nlohmann::json;
using test::DbKind;
using test::openssl_verify;
using test::totp_now;
using test::TestAccount;
using test::create_account;
using test::run_command;
using test::shell_quote;

namespace {

constexpr const char* kSha256 = "2.16.840.1.101.3.4.2.1";
constexpr const char* kSha384 = "2.16.840.1.101.3.4.2.2";

struct Reply {
    int status = 0;
    json body;
};

struct CscClient {
    int port;
    std::string version = "v2";
    std::string token;

    Reply call(const std::string& method, const json& body, const std::string& bearer_override = "\x01") const {
        std::map<std::string, std::string> headers;
        std::string t = bearer_override == "\x01" ? token : bearer_override;
        if (!t.empty()) headers["Authorization"] = "Bearer " + t;
        auto r = test::http_request("POST", port, "/csc/" + version + "/" + method, body.dump(), "application/json", "",
                                    "127.0.0.1", headers);
        Reply out{r.status, r.body.empty() ? json() : json::parse(r.body, nullptr, false)};
        return out;
    }
    void login(const std::string& user, const std::string& password) {
        std::string basic = core::base64_encode(core::to_bytes(user + ":" + password));
        auto r = test::http_request("POST", port, "/csc/" + version + "/auth/login", "", "", "", "127.0.0.1",
                                    {{"Authorization", "Basic " + basic}});
        ASSERT_EQ(r.status, 200) << r.body;
        token = json::parse(r.body)["access_token"];
    }
};

core::Bytes digest_of(const std::string& text, const char* alg = "sha256") {
    const EVP_MD* md = EVP_get_digestbyname(alg);
    core::Bytes out(static_cast<std::size_t>(EVP_MD_get_size(md)));
    EVP_Digest(text.data(), text.size(), out.data(), nullptr, md, nullptr);
    return out;
}

json hashes_json(const std::vector<core::Bytes>& hs) {
    json a = json::array();
    for (const auto& h : hs) a.push_back(core::base64_encode(h));
    return a;
}

}  // namespace

class CscTest : public ::testing::TestWithParam<DbKind> {
protected:
    test::TempDir work;
};

TEST_P(CscTest, NewUserLogsInAuthorizesWithPasswordAndTotpAndSignaturesVerify) {
    test::ServerProcess server(test::ServerProcess::Options{GetParam(), ""});
    TestAccount acct = create_account(server, work, "chan.taiman");
    CscClient csc{server.port()};
    auto info = test::http_request("GET", server.port(), "/csc/v2/info");
    EXPECT_EQ(json::parse(info.body)["specs"], "2.0.0.2");
    csc.login("chan.taiman", "login-password-1");

    auto list = csc.call("credentials/list", json::object());
    ASSERT_EQ(list.status, 200) << list.body;
    ASSERT_EQ(list.body["credentialIDs"], json::array({acct.credential}));
    auto ci = csc.call("credentials/info", {{"credentialID", acct.credential}, {"certInfo", true}, {"certificates", "chain"}});
    ASSERT_EQ(ci.status, 200) << ci.body;
    EXPECT_EQ(ci.body["key"]["status"], "enabled");
    EXPECT_EQ(ci.body["key"]["curve"], "1.2.840.10045.3.1.7");
    EXPECT_EQ(ci.body["cert"]["certificates"].size(), 3u);
    EXPECT_EQ(ci.body["auth"]["expression"], "PIN AND OTP");
    EXPECT_EQ(ci.body["SCAL"], "2");

    std::vector<std::string> docs = {"第一份文件 document one", "document two", "document three"};
    std::vector<core::Bytes> hashes;
    for (const auto& d : docs) hashes.push_back(digest_of(d));
    auto auth = csc.call("credentials/authorize",
                         {{"credentialID", acct.credential}, {"numSignatures", 3}, {"hashes", hashes_json(hashes)},
                          {"hashAlgorithmOID", kSha256},
                          {"authData", json::array({{{"id", "PIN"}, {"value", "signing-password-1"}},
                                                    {{"id", "OTP"}, {"value", totp_now(acct.otp_secret_b32)}}})}});
    ASSERT_EQ(auth.status, 200) << auth.body;
    std::string sad = auth.body["SAD"];
    EXPECT_EQ(auth.body["expiresIn"], 300);
    auto signed_ = csc.call("signatures/signHash", {{"credentialID", acct.credential}, {"SAD", sad},
                                                    {"hashes", hashes_json(hashes)}, {"signAlgo", "1.2.840.10045.4.3.2"}});
    ASSERT_EQ(signed_.status, 200) << signed_.body;
    ASSERT_EQ(signed_.body["signatures"].size(), 3u);
    for (std::size_t i = 0; i < docs.size(); ++i) {
        std::string verdict = openssl_verify(work, ci.body["cert"]["certificates"][0], docs[i], signed_.body["signatures"][i]);
        EXPECT_NE(verdict.find("Verified OK"), std::string::npos) << verdict;
    }
    // the count is spent: a replay is refused
    auto replay = csc.call("signatures/signHash", {{"credentialID", acct.credential}, {"SAD", sad},
                                                   {"hashes", hashes_json({hashes[0]})}, {"signAlgo", "1.2.840.10045.4.3.2"}});
    EXPECT_EQ(replay.status, 400);
    EXPECT_EQ(replay.body, json({{"error", "invalid_request"}, {"error_description", "Invalid parameter SAD"}}));
    // a wrong OTP is refused with the v2 error
    auto bad_otp = csc.call("credentials/authorize",
                            {{"credentialID", acct.credential}, {"numSignatures", 1}, {"hashes", hashes_json({hashes[0]})},
                             {"hashAlgorithmOID", kSha256},
                             {"authData", json::array({{{"id", "PIN"}, {"value", "signing-password-1"}},
                                                       {{"id", "OTP"}, {"value", "12345"}}})}});
    EXPECT_EQ(bad_otp.body, json({{"error", "invalid_authentication_data"},
                                  {"error_description", "The authentication data is invalid"}}));
    // nothing secret reaches the server's log or the audit trail
    std::string log = server.server_log();
    std::string query = "SELECT details FROM audit_events";
    auto audit_dump = (GetParam() == DbKind::Sqlite
                           ? run_command("sqlite3 " + shell_quote(server.home() + "/db/yunqian.sqlite3") + " " + shell_quote(query))
                           : run_command("psql " + shell_quote(server.database_url()) + " -At -c " + shell_quote(query)))
                          .output;
    ASSERT_NE(audit_dump.find("credential_id"), std::string::npos) << audit_dump;  // the dump really holds the events
    for (const std::string& secret : {std::string("signing-password-1"), std::string("login-password-1"), sad, csc.token,
                                      acct.otp_secret_b32}) {
        EXPECT_EQ(log.find(secret), std::string::npos) << "a secret reached the server log";
        EXPECT_EQ(audit_dump.find(secret), std::string::npos) << "a secret reached the audit trail";
    }
    // the token stops working after auth/revoke
    auto rv = csc.call("auth/revoke", {{"token", csc.token}});
    EXPECT_EQ(rv.status, 204);
    EXPECT_EQ(csc.call("credentials/list", json::object()).status, 401);
    // sign-in and revocation are state changes: both are in the audit trail, which still verifies
    auto events = GetParam() == DbKind::Sqlite
                      ? run_command("sqlite3 " + shell_quote(server.home() + "/db/yunqian.sqlite3") +
                                    " 'SELECT action FROM audit_events'").output
                      : run_command("psql " + shell_quote(server.database_url()) + " -At -c 'SELECT action FROM audit_events'").output;
    EXPECT_NE(events.find("account.signed_in"), std::string::npos) << events;
    EXPECT_NE(events.find("account.token_revoked"), std::string::npos) << events;
    EXPECT_EQ(server.cli("audit verify").exit_code, 0);
}

TEST_P(CscTest, SadIsBoundToUserCredentialHashesAndCount) {
    test::ServerProcess server(test::ServerProcess::Options{
        GetParam(), R"({"accounts": {"otp_required": false}})"});
    TestAccount alice = create_account(server, work, "alice.user");
    TestAccount bob = create_account(server, work, "bob.user");
    CscClient a{server.port()}, b{server.port()};
    a.login("alice.user", "login-password-1");
    b.login("bob.user", "login-password-1");
    core::Bytes h1 = digest_of("one"), h2 = digest_of("two"), h3 = digest_of("three");
    auto authorize = [&](CscClient& c, const TestAccount& acct, const std::vector<core::Bytes>& hs) {
        auto r = c.call("credentials/authorize", {{"credentialID", acct.credential}, {"numSignatures", hs.size()},
                                                  {"hashes", hashes_json(hs)}, {"hashAlgorithmOID", kSha256},
                                                  {"authData", json::array({{{"id", "PIN"}, {"value", "signing-password-1"}}})}});
        EXPECT_EQ(r.status, 200) << r.body;
        return r.body.value("SAD", "");
    };
    auto sign = [&](CscClient& c, const std::string& cred, const std::string& sad, const std::vector<core::Bytes>& hs) {
        return c.call("signatures/signHash", {{"credentialID", cred}, {"SAD", sad}, {"hashes", hashes_json(hs)},
                                              {"signAlgo", "1.2.840.10045.4.3.2"}});
    };
    auto desc = [](const Reply& r) { return r.body.value("error_description", ""); };

    std::string sad = authorize(a, alice, {h1, h2});
    EXPECT_EQ(desc(sign(a, alice.credential, sad, {h3})), "Hash is not authorized by the SAD");
    EXPECT_EQ(desc(sign(b, bob.credential, sad, {h1})), "Invalid parameter SAD");     // another user
    EXPECT_EQ(desc(sign(a, bob.credential, sad, {h1})), "Invalid parameter credentialID");  // another's credential
    EXPECT_EQ(desc(sign(a, alice.credential, sad, {core::Bytes(20, 1)})), "Invalid digest value length");
    std::string tampered = sad;
    tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'x' ? 'y' : 'x';
    EXPECT_EQ(desc(sign(a, alice.credential, tampered, {h1})), "Invalid parameter SAD");
    EXPECT_EQ(desc(sign(a, alice.credential, sad, {h1, h2, h1})), "Numbers of signatures is too high");
    EXPECT_EQ(sign(a, alice.credential, sad, {h1}).status, 200);
    EXPECT_EQ(sign(a, alice.credential, sad, {h2}).status, 200);
    EXPECT_EQ(desc(sign(a, alice.credential, sad, {h2})), "Invalid parameter SAD");  // count spent
    // bad requests change nothing and get the spec's texts
    EXPECT_EQ(desc(a.call("credentials/authorize", {{"credentialID", alice.credential}, {"numSignatures", "x"}})),
              "Missing (or invalid type) integer parameter numSignatures");
    EXPECT_EQ(desc(a.call("credentials/authorize", {{"credentialID", alice.credential}, {"numSignatures", 1000}})),
              "Numbers of signatures is too high");
    EXPECT_EQ(desc(a.call("signatures/signHash", {{"credentialID", 7}})), "Missing (or invalid type) string parameter credentialID");
    auto raw = test::http_request("POST", server.port(), "/csc/v2/credentials/list", "{not json", "application/json", "",
                                  "127.0.0.1", {{"Authorization", "Bearer " + a.token}});
    EXPECT_EQ(raw.status, 400);
    EXPECT_EQ(json::parse(raw.body)["error"], "invalid_request");
    EXPECT_EQ(a.call("credentials/list", json::object(), "forged-token").status, 401);
    // extendTransaction: a live SAD for the still-unsigned hashes the user authorised; the old SAD dies (#14)
    std::string base = authorize(a, alice, {h1, h2});
    ASSERT_EQ(sign(a, alice.credential, base, {h1}).status, 200);
    auto extend = [&](const std::vector<core::Bytes>& hs) {
        return a.call("credentials/extendTransaction", {{"credentialID", alice.credential}, {"SAD", base},
                                                        {"hashes", hashes_json(hs)}, {"hashAlgorithmOID", kSha256}});
    };
    EXPECT_EQ(desc(extend({h3})), "Hash is not authorized by the SAD");  // never authorised
    EXPECT_EQ(desc(extend({h1})), "Hash is not authorized by the SAD");  // already signed
    auto extended = extend({h2});
    ASSERT_EQ(extended.status, 200) << extended.body;
    std::string next = extended.body["SAD"];
    EXPECT_EQ(desc(sign(a, alice.credential, base, {h2})), "Invalid parameter SAD");            // the old one is dead
    EXPECT_EQ(desc(sign(a, alice.credential, next, {h1})), "Hash is not authorized by the SAD");
    EXPECT_EQ(sign(a, alice.credential, next, {h2}).status, 200);
    EXPECT_EQ(desc(sign(a, alice.credential, next, {h2})), "Invalid parameter SAD");  // 2 in total, both spent
    auto sign_doc = test::http_request("POST", server.port(), "/csc/v2/signatures/signDoc", "{}", "application/json");
    EXPECT_EQ(sign_doc.status, 401);  // signDoc is authenticated like every other method
    EXPECT_EQ(json::parse(sign_doc.body)["error"], "invalid_token");
    // expiry: CscServiceTest.SadSignsUntilItsLastSecondAndIsRefusedFromItsExpiry, on a fixed clock
}

// Online guessing of login passwords through CSC auth/login (#14): after ui.sign_in_failures failures for a username
// the next try is refused before any password check, with 429 and Retry-After — even with the right password.
TEST_P(CscTest, LoginGuessingIsLimitedPerAddressAndUsername) {
    test::ServerProcess server(test::ServerProcess::Options{GetParam(), R"({"ui": {"sign_in_failures": 3}})"});
    create_account(server, work, "guessed.user");
    auto login = [&](const std::string& user, const std::string& password) {
        std::string basic = core::base64_encode(core::to_bytes(user + ":" + password));
        return test::http_request("POST", server.port(), "/csc/v2/auth/login", "", "", "", "127.0.0.1",
                                  {{"Authorization", "Basic " + basic}});
    };
    for (int i = 0; i < 3; ++i) {
        auto r = login("guessed.user", "guess-" + std::to_string(i));
        EXPECT_EQ(r.status, 400) << r.body;
        EXPECT_EQ(json::parse(r.body)["error"], "authentication_error");
    }
    auto limited = login("guessed.user", "login-password-1");
    EXPECT_EQ(limited.status, 429) << limited.body;
    EXPECT_EQ(json::parse(limited.body)["error"], "invalid_request");
    EXPECT_TRUE(limited.headers.count("retry-after")) << "429 without Retry-After";
    // an unknown username is answered like a known one, and limited alike
    auto unknown = login("nobody.here", "guess");
    EXPECT_EQ(unknown.status, 429) << unknown.body;  // this address has had its three failures
}

// A thief holds a signer's access token. Changing the login password or the signing password ends every other
// session of the account in the same transaction (#14); the session that made the change goes on.
TEST_P(CscTest, StolenSessionDiesWhenTheSignerChangesAPassword) {
    test::ServerProcess server(test::ServerProcess::Options{GetParam(), R"({"accounts": {"otp_required": false}})"});
    create_account(server, work, "robbed.user");
    CscClient owner{server.port()}, thief{server.port()};
    owner.login("robbed.user", "login-password-1");
    thief.login("robbed.user", "login-password-1");
    auto me = [&](const std::string& token, const std::string& path, const json& body) {
        return test::http_request("POST", server.port(), path, body.dump(), "application/json", "", "127.0.0.1",
                                  {{"Authorization", "Bearer " + token}});
    };
    ASSERT_EQ(thief.call("credentials/list", json::object()).status, 200);
    auto changed = me(owner.token, "/api/v1/me/login-password",
                      {{"old_password", "login-password-1"}, {"new_password", "login-password-2"}});
    ASSERT_EQ(changed.status, 204) << changed.body;
    EXPECT_EQ(thief.call("credentials/list", json::object()).status, 401);
    EXPECT_EQ(owner.call("credentials/list", json::object()).status, 200);
    thief.login("robbed.user", "login-password-2");  // the thief saw the new password too
    auto resealed = me(owner.token, "/api/v1/me/signing-password",
                       {{"old_password", "signing-password-1"}, {"new_password", "signing-password-2"}});
    ASSERT_EQ(resealed.status, 204) << resealed.body;
    EXPECT_EQ(thief.call("credentials/list", json::object()).status, 401);
    EXPECT_EQ(owner.call("credentials/list", json::object()).status, 200);
    EXPECT_EQ(server.cli("audit verify").exit_code, 0);
}

TEST_P(CscTest, EveryAlgorithmVerifiesWithOpenSsl) {
    test::ServerProcess server(test::ServerProcess::Options{GetParam(), R"({"accounts": {"otp_required": false}})"});
    struct Case {
        std::string key, algo, hash_oid, digest, opts;
        json params;
    };
    // CT's RSASSA-PSS parameters: SHA-256, MGF1-SHA-256, salt 32, trailer 1
    std::string pss = "MDmgDzANBglghkgBZQMEAgEFAKEcMBoGCSqGSIb3DQEBCDANBglghkgBZQMEAgEFAKIDAgEgowMCAQE=";
    std::vector<Case> cases = {
        {"ec-p256", "1.2.840.10045.4.3.2", "", "sha256", "", nullptr},
        {"ec-p384", "1.2.840.10045.4.3.3", "", "sha384", "", nullptr},
        {"rsa-2048", "1.2.840.113549.1.1.11", "", "sha256", "", nullptr},
        {"rsa-2048", "1.2.840.113549.1.1.12", "", "sha384", "", nullptr},
        {"rsa-2048", "1.2.840.113549.1.1.1", kSha256, "sha256", "", nullptr},
        {"rsa-2048", "1.2.840.113549.1.1.10", "", "sha256",
         "-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 -sigopt rsa_mgf1_md:sha256", pss},
    };
    int n = 0;
    for (const Case& c : cases) {
        TestAccount acct = create_account(server, work, "algo" + std::to_string(n++), c.key);
        CscClient csc{server.port()};
        csc.login(acct.username, "login-password-1");
        std::string doc = "document for " + c.algo;
        core::Bytes h = digest_of(doc, c.digest.c_str());
        std::string oid = c.digest == "sha384" ? kSha384 : kSha256;
        auto auth = csc.call("credentials/authorize", {{"credentialID", acct.credential}, {"numSignatures", 1},
                                                       {"hashes", hashes_json({h})}, {"hashAlgorithmOID", oid},
                                                       {"authData", json::array({{{"id", "PIN"}, {"value", "signing-password-1"}}})}});
        ASSERT_EQ(auth.status, 200) << auth.body;
        json req = {{"credentialID", acct.credential}, {"SAD", auth.body["SAD"]}, {"hashes", hashes_json({h})},
                    {"signAlgo", c.algo}};
        if (!c.hash_oid.empty()) req["hashAlgorithmOID"] = c.hash_oid;
        if (!c.params.is_null()) req["signAlgoParams"] = c.params;
        auto signed_ = csc.call("signatures/signHash", req);
        ASSERT_EQ(signed_.status, 200) << c.algo << " " << signed_.body;
        auto ci = csc.call("credentials/info", {{"credentialID", acct.credential}});
        std::string verdict = openssl_verify(work, ci.body["cert"]["certificates"][0], doc, signed_.body["signatures"][0],
                                             c.digest, c.opts);
        EXPECT_NE(verdict.find("Verified OK"), std::string::npos) << c.key << " " << c.algo << ": " << verdict;
        if (c.key == "ec-p256") {  // an algorithm the key does not have
            auto wrong = csc.call("signatures/signHash", {{"credentialID", acct.credential}, {"SAD", auth.body["SAD"]},
                                                          {"hashes", hashes_json({h})}, {"signAlgo", "1.2.840.113549.1.1.11"}});
            EXPECT_EQ(wrong.body.value("error_description", ""), "Invalid parameter signAlgo");
        }
    }
}

TEST_P(CscTest, FiveWrongPasswordsLockAndEvenTheRightOneIsThenRefused) {
    test::ServerProcess server(test::ServerProcess::Options{GetParam(), R"({"accounts": {"otp_required": false}})"});
    TestAccount acct = create_account(server, work, "locked.user");
    CscClient csc{server.port()};
    csc.login("locked.user", "login-password-1");
    core::Bytes h = digest_of("x");
    auto attempt = [&](const std::string& pin) {
        return csc.call("credentials/authorize", {{"credentialID", acct.credential}, {"numSignatures", 1},
                                                  {"hashes", hashes_json({h})}, {"hashAlgorithmOID", kSha256},
                                                  {"authData", json::array({{{"id", "PIN"}, {"value", pin}}})}});
    };
    // a SAD obtained before the lock must not outlive it
    auto early = attempt("signing-password-1");
    ASSERT_EQ(early.status, 200) << early.body;
    // a second node on the same database and HSM shares the counter
    int second = server.start_second_node();
    CscClient other{second, "v2", csc.token};
    for (int i = 0; i < 4; ++i) {
        auto r = (i % 2 ? other : csc).call("credentials/authorize",
                                            {{"credentialID", acct.credential}, {"numSignatures", 1},
                                             {"hashes", hashes_json({h})}, {"hashAlgorithmOID", kSha256},
                                             {"authData", json::array({{{"id", "PIN"}, {"value", "wrong-guess-1"}}})}});
        EXPECT_EQ(r.body.value("error", ""), "invalid_authentication_data") << i;
    }
    EXPECT_EQ(attempt("wrong-guess-5").body.value("error_description", ""), "Credential locked");
    EXPECT_EQ(attempt("signing-password-1").body.value("error_description", ""), "Credential locked");
    auto late = csc.call("signatures/signHash", {{"credentialID", acct.credential}, {"SAD", early.body["SAD"]},
                                                 {"hashes", hashes_json({h})}, {"signAlgo", "1.2.840.10045.4.3.2"}});
    EXPECT_EQ(late.body.value("error_description", ""), "Credential locked");
    auto info = csc.call("credentials/info", {{"credentialID", acct.credential}});
    EXPECT_EQ(info.body["key"]["status"], "disabled");
    auto unlock = server.cli("account unlock --username locked.user");
    EXPECT_EQ(unlock.exit_code, 0) << unlock.output;
    EXPECT_EQ(attempt("signing-password-1").status, 200);
    auto verify = server.cli("audit verify");
    EXPECT_EQ(verify.exit_code, 0) << verify.output;
}

TEST_P(CscTest, ASadIssuedByOneNodeIsHonouredByAnother) {
    test::ServerProcess server(test::ServerProcess::Options{GetParam(), R"({"accounts": {"otp_required": false}})"});
    TestAccount acct = create_account(server, work, "two.nodes");
    int second = server.start_second_node();
    CscClient first{server.port()};
    first.login("two.nodes", "login-password-1");
    CscClient other{second, "v2", first.token};  // the bearer token works on every node too
    core::Bytes h = digest_of("multi-node");
    auto auth = first.call("credentials/authorize", {{"credentialID", acct.credential}, {"numSignatures", 1},
                                                     {"hashes", hashes_json({h})}, {"hashAlgorithmOID", kSha256},
                                                     {"authData", json::array({{{"id", "PIN"}, {"value", "signing-password-1"}}})}});
    ASSERT_EQ(auth.status, 200) << auth.body;
    auto signed_ = other.call("signatures/signHash", {{"credentialID", acct.credential}, {"SAD", auth.body["SAD"]},
                                                      {"hashes", hashes_json({h})}, {"signAlgo", "1.2.840.10045.4.3.2"}});
    ASSERT_EQ(signed_.status, 200) << signed_.body;
    auto again = first.call("signatures/signHash", {{"credentialID", acct.credential}, {"SAD", auth.body["SAD"]},
                                                    {"hashes", hashes_json({h})}, {"signAlgo", "1.2.840.10045.4.3.2"}});
    EXPECT_EQ(again.body.value("error_description", ""), "Invalid parameter SAD");  // spent on the other node
}

TEST_P(CscTest, Version1DialectUsesV1FieldsAndErrors) {
    test::ServerProcess server(test::ServerProcess::Options{GetParam(), ""});
    TestAccount acct = create_account(server, work, "v1.user");
    CscClient csc{server.port(), "v1"};
    csc.login("v1.user", "login-password-1");
    auto list = csc.call("credentials/list", {{"maxResults", 10}});
    ASSERT_EQ(list.body["credentialIDs"], json::array({acct.credential}));
    auto info = csc.call("credentials/info", {{"credentialID", acct.credential}, {"authInfo", true}});
    EXPECT_EQ(info.body["authMode"], "explicit");
    EXPECT_EQ(info.body["PIN"]["presence"], "true");
    EXPECT_EQ(info.body["OTP"]["type"], "offline");
    core::Bytes h = digest_of("v1 document");
    auto wrong = csc.call("credentials/authorize", {{"credentialID", acct.credential}, {"numSignatures", 1},
                                                    {"hash", hashes_json({h})}, {"PIN", "wrong-pin-value"},
                                                    {"OTP", totp_now(acct.otp_secret_b32)}});
    EXPECT_EQ(wrong.body, json({{"error", "invalid_pin"}, {"error_description", "The PIN or OTP is invalid"}}));
    auto auth = csc.call("credentials/authorize", {{"credentialID", acct.credential}, {"numSignatures", 1},
                                                   {"hash", hashes_json({h})}, {"PIN", "signing-password-1"},
                                                   {"OTP", totp_now(acct.otp_secret_b32, 30)}});
    ASSERT_EQ(auth.status, 200) << auth.body;
    auto signed_ = csc.call("signatures/signHash", {{"credentialID", acct.credential}, {"SAD", auth.body["SAD"]},
                                                    {"hash", hashes_json({h})}, {"signAlgo", "1.2.840.10045.4.3.2"},
                                                    {"hashAlgo", kSha256}});
    ASSERT_EQ(signed_.status, 200) << signed_.body;
    auto ci = csc.call("credentials/info", {{"credentialID", acct.credential}});
    std::string verdict = openssl_verify(work, ci.body["cert"]["certificates"][0], "v1 document", signed_.body["signatures"][0]);
    EXPECT_NE(verdict.find("Verified OK"), std::string::npos) << verdict;
    auto ts = csc.call("signatures/timestamp", {{"hash", core::base64_encode(h)}, {"hashAlgo", kSha256}, {"nonce", "12345"}});
    ASSERT_EQ(ts.status, 200) << ts.body;
    core::Bytes token = core::base64_decode(ts.body["timestamp"].get<std::string>());
    test::write_file(work.file("t.tst"), std::string(token.begin(), token.end()));
    test::write_file(work.file("doc.txt"), "v1 document");
    auto tv = run_command("openssl ts -verify -token_in -in " + work.file("t.tst") + " -data " + work.file("doc.txt") +
                          " -CAfile " + server.root_pem() + " -untrusted " + server.issuing_pem());
    EXPECT_NE(tv.output.find("Verification: OK"), std::string::npos) << tv.output;
}


// #14 "Secrets in memory": a heap disclosure or a core dump of the server must not turn up the passwords it was sent.
// Before the fix the raw request (read buffer, header fields, body) and the parsed JSON kept every password and PIN
// in freed memory. The login password travels in a Basic header, the signing password as the PIN in a JSON body.
TEST_P(CscTest, PasswordsSentToTheServerAreNotLeftInItsMemory) {
    test::ServerProcess server(test::ServerProcess::Options{GetParam(), R"({"accounts": {"otp_required": false}})"});
    TestAccount acct = create_account(server, work, "memory.user");
    CscClient csc{server.port()};
    for (int i = 0; i < 3; ++i) {
        csc.login(acct.username, "login-password-1");
        auto sad = csc.call("credentials/authorize",
                            {{"credentialID", acct.credential},
                             {"numSignatures", 1},
                             {"hashes", hashes_json({digest_of("memory " + std::to_string(i))})},
                             {"hashAlgorithmOID", kSha256},
                             {"authData", {{{"id", "PIN"}, {"value", "signing-password-1"}}}}});
        ASSERT_EQ(sad.status, 200) << sad.body;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the workers have answered and returned
    std::string basic = core::base64_encode(core::to_bytes(acct.username + ":login-password-1"));
    EXPECT_EQ(test::occurrences_in_memory(server.pid(), "login-password-1"), 0u);
    EXPECT_EQ(test::occurrences_in_memory(server.pid(), basic), 0u);
    EXPECT_EQ(test::occurrences_in_memory(server.pid(), "signing-password-1"), 0u);
}

INSTANTIATE_TEST_SUITE_P(Backends, CscTest, ::testing::ValuesIn(test::db_kinds()), test::db_kind_name);

TEST(SelfService, SigningPasswordChangeOverTheApiRetiresTheOldPassword) {
    test::TempDir work;
    test::ServerProcess server(test::ServerProcess::Options{
        DbKind::Sqlite, R"({"accounts": {"otp_required": false}, "server": {"max_body_bytes": 65536}})"});
    TestAccount acct = create_account(server, work, "self.service");
    CscClient csc{server.port()};
    csc.login("self.service", "login-password-1");
    std::map<std::string, std::string> auth{{"Authorization", "Bearer " + csc.token}};
    auto me = test::http_request("GET", server.port(), "/api/v1/me", "", "", "", "127.0.0.1", auth);
    ASSERT_EQ(me.status, 200) << me.body;
    EXPECT_EQ(json::parse(me.body)["username"], "self.service");
    auto wrong = test::http_request("POST", server.port(), "/api/v1/me/signing-password",
                                    json{{"old_password", "not-it-at-all"}, {"new_password", "signing-password-2"}}.dump(),
                                    "application/json", "", "127.0.0.1", auth);
    EXPECT_EQ(wrong.status, 400);
    EXPECT_EQ(json::parse(wrong.body)["error"], "accounts.wrong_signing_secrets");
    auto ok = test::http_request("POST", server.port(), "/api/v1/me/signing-password",
                                 json{{"old_password", "signing-password-1"}, {"new_password", "signing-password-2"}}.dump(),
                                 "application/json", "", "127.0.0.1", auth);
    EXPECT_EQ(ok.status, 204) << ok.body;
    core::Bytes h = digest_of("after the change");
    auto attempt = [&](const std::string& pin) {
        return csc.call("credentials/authorize", {{"credentialID", acct.credential}, {"numSignatures", 1},
                                                  {"hashes", hashes_json({h})}, {"hashAlgorithmOID", kSha256},
                                                  {"authData", json::array({{{"id", "PIN"}, {"value", pin}}})}});
    };
    EXPECT_EQ(attempt("signing-password-1").body.value("error", ""), "invalid_authentication_data");
    EXPECT_EQ(attempt("signing-password-2").status, 200);
    auto unauth = test::http_request("GET", server.port(), "/api/v1/me");
    EXPECT_EQ(unauth.status, 401);
    // a body over server.max_body_bytes (64 KiB here) to a CSC method gets a CSC error body
    auto huge = test::http_request("POST", server.port(), "/csc/v2/credentials/list", std::string(200 * 1024, ' '),
                                   "application/json", "", "127.0.0.1", auth);
    EXPECT_EQ(huge.status, 413);
    EXPECT_EQ(json::parse(huge.body)["error"], "invalid_request");
}
