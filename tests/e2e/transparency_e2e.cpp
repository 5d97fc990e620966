// The signing transparency log (#18) over the real server: a signer lists every use of their key and takes each
// entry's inclusion proof away; the proof is checked offline by `yunqian transparency verify` with the published root
// alone, and again by an independent RFC 9162 verifier (tests/support/rfc9162_verify.py, Python's hashlib) with
// openssl checking the tree head's signature. Anyone can check that the log only grew. A leaf rewritten in the
// database is named by `yunqian transparency verify` (docs/threat-model.md).
#include <gtest/gtest.h>

#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "core/bytes.hpp"
#include "support/fixtures.hpp"
#include "support/http_client.hpp"
#include "transparency/log_entry.hpp"
#include "transparency/merkle.hpp"

using namespace yq;
using nlohmann::json;
using test::run_command;
using test::shell_quote;

namespace {
const std::string kVerifier = std::string(YQ_SOURCE_DIR) + "/tests/support/rfc9162_verify.py";
}

class TransparencyE2eTest : public ::testing::Test {
protected:
    test::TempDir work;
    test::ServerProcess server{
        test::ServerProcess::Options{test::DbKind::Sqlite, R"({"accounts": {"otp_required": false}})", true}};

    std::string login(const std::string& user) {
        std::string basic = core::base64_encode(core::to_bytes(user + ":login-password-1"));
        auto r = test::http_request("POST", server.port(), "/csc/v2/auth/login", "", "", "", "127.0.0.1",
                                    {{"Authorization", "Basic " + basic}});
        return json::parse(r.body)["access_token"];
    }
    json csc(const std::string& method, const json& body, const std::string& token) {
        auto r = test::http_request("POST", server.port(), "/csc/v2/" + method, body.dump(), "application/json", "",
                                    "127.0.0.1", {{"Authorization", "Bearer " + token}});
        EXPECT_EQ(r.status, 200) << method << " " << r.body;
        return json::parse(r.body, nullptr, false);
    }
    // authorize (SCAL2, bound to the hashes) + signHash over the CSC API
    void sign_hashes(const std::string& token, const test::TestAccount& a, const std::vector<core::Bytes>& hashes) {
        json list = json::array();
        for (const auto& h : hashes) list.push_back(core::base64_encode(h));
        json sad = csc("credentials/authorize", {{"credentialID", a.credential}, {"numSignatures", hashes.size()},
                                                 {"hashes", list}, {"hashAlgorithmOID", "2.16.840.1.101.3.4.2.1"},
                                                 {"authData", {{{"id", "PIN"}, {"value", "signing-password-1"}}}}},
                       token);
        json signed_ = csc("signatures/signHash", {{"credentialID", a.credential}, {"SAD", sad["SAD"]}, {"hashes", list},
                                                   {"hashAlgorithmOID", "2.16.840.1.101.3.4.2.1"},
                                                   {"signAlgo", "1.2.840.10045.4.3.2"}},
                           token);
        ASSERT_EQ(signed_["signatures"].size(), hashes.size());
    }
    test::HttpResult get(const std::string& target, const std::string& token = "") {
        std::map<std::string, std::string> headers;
        if (!token.empty()) headers["Authorization"] = "Bearer " + token;
        return test::http_request("GET", server.port(), target, "", "", "", "127.0.0.1", headers);
    }
};

TEST_F(TransparencyE2eTest, ASignerSeesEverySigningInTheLogAndProvesItOfflineWithTheRootAlone) {
    auto alice = test::create_account(server, work, "alice.log");
    auto bob = test::create_account(server, work, "bob.log");
    std::string alice_token = login("alice.log"), bob_token = login("bob.log");
    std::vector<core::Bytes> hashes{core::sha256(std::string_view("contract")), core::sha256(std::string_view("annex"))};
    sign_hashes(alice_token, alice, hashes);
    sign_hashes(bob_token, bob, {core::sha256(std::string_view("bob's letter"))});

    auto mine = get("/api/v1/me/transparency", alice_token);
    ASSERT_EQ(mine.status, 200) << mine.body;
    json entries = json::parse(mine.body)["entries"];
    ASSERT_EQ(entries.size(), 2u);  // alice's two, not bob's
    std::set<std::string> digests;
    for (const auto& e : entries) {
        digests.insert(e["digest"].get<std::string>());
        EXPECT_EQ(e["client"], "csc/v2 signHash");
    }
    EXPECT_EQ(digests, (std::set<std::string>{core::hex_encode(hashes[0]), core::hex_encode(hashes[1])}));

    const std::int64_t index = entries[0]["leaf_index"];
    auto proof = get("/api/v1/me/transparency/" + std::to_string(index), alice_token);
    ASSERT_EQ(proof.status, 200) << proof.body;
    test::write_file(work.file("proof.json"), proof.body);
    // bob cannot fetch alice's entry (it answers as an unknown one)
    EXPECT_EQ(get("/api/v1/me/transparency/" + std::to_string(index), bob_token).status, 404);
    EXPECT_EQ(get("/api/v1/me/transparency").status, 401);

    // our verifier, offline, with the published root only
    auto ours = run_command(test::yunqian_binary() + " transparency verify --proof " + work.file("proof.json") + " --root " +
                            server.root_pem());
    EXPECT_EQ(ours.exit_code, 0) << ours.output;
    EXPECT_NE(ours.output.find("transparency proof OK: leaf " + std::to_string(index)), std::string::npos) << ours.output;
    EXPECT_NE(ours.output.find(entries[0]["digest"].get<std::string>()), std::string::npos) << ours.output;

    // an independent RFC 9162 verifier, and openssl for the head's signature with the log certificate's key
    auto outside = run_command("/usr/bin/python3 " + kVerifier + " inclusion " + work.file("proof.json") + " " +
                               work.path().string());
    EXPECT_EQ(outside.output, "inclusion OK\n") << outside.output;
    ASSERT_EQ(run_command("openssl x509 -inform DER -in " + work.file("log.der") + " -pubkey -noout > " +
                          work.file("log-key.pem"))
                  .exit_code,
              0);
    auto sig = run_command("openssl dgst -sha256 -verify " + work.file("log-key.pem") + " -signature " +
                           work.file("sig.der") + " " + work.file("tbs.bin"));
    EXPECT_EQ(sig.output, "Verified OK\n") << sig.output;
    auto chain = run_command("openssl x509 -inform DER -in " + work.file("log.der") + " -out " + work.file("log.pem") +
                             " && openssl verify -CAfile " + server.root_pem() + " -untrusted " + server.issuing_pem() +
                             " " + work.file("log.pem"));
    EXPECT_NE(chain.output.find(work.file("log.pem") + ": OK"), std::string::npos) << chain.output;

    // the same proof with another digest in its leaf is refused by both verifiers
    json forged = json::parse(proof.body);
    transparency::KeyUse use = transparency::parse_leaf_data(forged["leaf_data"]);
    use.digest = core::sha256(std::string_view("a document alice never saw"));
    forged["leaf_data"] = transparency::leaf_data(use);
    test::write_file(work.file("forged.json"), forged.dump());
    auto refused = run_command(test::yunqian_binary() + " transparency verify --proof " + work.file("forged.json") +
                               " --root " + server.root_pem());
    EXPECT_EQ(refused.exit_code, 3) << refused.output;
    EXPECT_NE(refused.output.find("NOT VALID"), std::string::npos) << refused.output;
    EXPECT_EQ(run_command("/usr/bin/python3 " + kVerifier + " inclusion " + work.file("forged.json") + " " +
                          work.path().string())
                  .output,
              "inclusion FAILED\n");
}

TEST_F(TransparencyE2eTest, AnyoneCanCheckThatTheLogOnlyGrew) {
    auto alice = test::create_account(server, work, "alice.log");
    std::string token = login("alice.log");
    sign_hashes(token, alice, {core::sha256(std::string_view("one"))});
    ASSERT_EQ(server.cli("transparency sign-head").exit_code, 0);
    json first = json::parse(get("/api/v1/transparency/sth").body);
    ASSERT_EQ(first["tree_size"], 1);
    sign_hashes(token, alice, {core::sha256(std::string_view("two")), core::sha256(std::string_view("three"))});
    ASSERT_EQ(server.cli("transparency sign-head").exit_code, 0);
    json second = json::parse(get("/api/v1/transparency/sth").body);
    ASSERT_EQ(second["tree_size"], 3);
    EXPECT_GE(second["timestamp"].get<std::int64_t>(), first["timestamp"].get<std::int64_t>());

    auto consistency = get("/api/v1/transparency/consistency?first=1&second=3");
    ASSERT_EQ(consistency.status, 200) << consistency.body;
    json path = json::parse(consistency.body)["consistency"];
    auto check = [&](const json& a, const json& b, const json& p) {
        return run_command("/usr/bin/python3 " + kVerifier + " consistency " + std::to_string(a["tree_size"].get<int>()) +
                           " " + a["sha256_root_hash"].get<std::string>() + " " +
                           std::to_string(b["tree_size"].get<int>()) + " " + b["sha256_root_hash"].get<std::string>() +
                           " " + shell_quote(p.dump()))
            .output;
    };
    EXPECT_EQ(check(first, second, path), "consistency OK\n");
    json swapped = first;
    swapped["sha256_root_hash"] = second["sha256_root_hash"];
    EXPECT_EQ(check(swapped, second, path), "consistency FAILED\n");

    // get-proof-by-hash, with the leaf hash as the notice mail prints it (hex)
    json entries = json::parse(get("/api/v1/me/transparency", token).body)["entries"];
    std::string leaf_hex = core::hex_encode(core::base64_decode(entries[0]["leaf_hash"].get<std::string>()));
    auto by_hash = get("/api/v1/transparency/proof-by-hash?hash=" + leaf_hex + "&tree_size=3");
    ASSERT_EQ(by_hash.status, 200) << by_hash.body;
    EXPECT_EQ(json::parse(by_hash.body)["leaf_index"], entries[0]["leaf_index"]);
    EXPECT_EQ(get("/api/v1/transparency/proof-by-hash?hash=" + leaf_hex + "&tree_size=99").status, 400);
    EXPECT_EQ(get("/api/v1/transparency/consistency?first=3&second=1").status, 400);
    EXPECT_EQ(get("/api/v1/transparency/consistency?first=x&second=1").status, 400);
}

TEST_F(TransparencyE2eTest, ALeafRewrittenInTheDatabaseIsNamedByTransparencyVerify) {
    auto alice = test::create_account(server, work, "alice.log");
    std::string token = login("alice.log");
    for (const char* text : {"first", "second", "third"}) sign_hashes(token, alice, {core::sha256(std::string_view(text))});
    ASSERT_EQ(server.cli("transparency sign-head").exit_code, 0);
    auto intact = server.cli("transparency verify");
    ASSERT_EQ(intact.exit_code, 0) << intact.output;
    EXPECT_NE(intact.output.find("transparency log OK: 3 leaves"), std::string::npos) << intact.output;

    // Attack: whoever holds the database changes what leaf 2 says was signed.
    auto db = server.open_database();
    db->transact([](storage::Connection& c) {
        std::string text = c.query_one("SELECT leaf_data FROM transparency_leaves WHERE leaf_index = 2")->text(0);
        transparency::KeyUse use = transparency::parse_leaf_data(text);
        use.digest = core::sha256(std::string_view("something harmless"));
        c.execute("UPDATE transparency_leaves SET leaf_data = $1 WHERE leaf_index = 2", {transparency::leaf_data(use)});
    });
    auto broken = server.cli("transparency verify");
    EXPECT_EQ(broken.exit_code, 3) << broken.output;
    EXPECT_NE(broken.output.find("transparency log BROKEN at leaf 2"), std::string::npos) << broken.output;
}
