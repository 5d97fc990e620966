// The signing transparency log (#18) against a fresh SoftHSM token and a real database (SQLite; PostgreSQL when
// YQ_PG_DSN is set), with a fixed clock: every signature the CSC service makes is a leaf its owner can prove, the
// tree heads are signed by the HSM's log key chained to the root, and each attack on the stored log (docs/threat-model.md)
// is caught.
#include <gtest/gtest.h>
#include <openssl/ec.h>
#include <openssl/x509.h>

#include <set>
#include <thread>

#include "core/error.hpp"
#include "pki/chain_check.hpp"
#include "pki/openssl_ptr.hpp"
#include "signing/csc_service.hpp"
#include "support/fixtures.hpp"
#include "support/signer_services.hpp"
#include "transparency/proof_bundle.hpp"

using namespace yq;

namespace {

using test::digest_of;
using test::kEcdsaSha256;
using test::kSha256Oid;

// A self-signed root with the real root's name and a software key of its own.
core::Bytes impostor_root(const core::Bytes& real_root_der, std::int64_t now) {
    pki::X509Ptr real = pki::certificate_from_der(real_root_der);
    EVP_PKEY* key = EVP_EC_gen("P-256");
    X509* cert = X509_new();
    X509_set_version(cert, X509_VERSION_3);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 7);
    X509_set_subject_name(cert, X509_get_subject_name(real.get()));
    X509_set_issuer_name(cert, X509_get_subject_name(real.get()));
    time_t t = static_cast<time_t>(now);
    X509_time_adj_ex(X509_getm_notBefore(cert), -1, 0, &t);
    X509_time_adj_ex(X509_getm_notAfter(cert), 365, 0, &t);
    X509_set_pubkey(cert, key);
    X509_sign(cert, key, EVP_sha256());
    unsigned char* der = nullptr;
    int len = i2d_X509(cert, &der);
    core::Bytes out(der, der + len);
    OPENSSL_free(der);
    X509_free(cert);
    EVP_PKEY_free(key);
    return out;
}

}  // namespace

class SigningLogTest : public test::CscServicesTest {
protected:

    signing::SignedHashes sign(const std::vector<core::Bytes>& hashes) {
        signing::AuthorizeRequest a;
        a.credential_id = alice.credential.id;
        a.num_signatures = static_cast<int>(hashes.size());
        a.hashes = hashes;
        a.hash_algorithm_oid = kSha256Oid;
        a.pin = core::to_secure("signing-password-1");
        signing::SignHashRequest s;
        s.credential_id = alice.credential.id;
        s.sad = csc.authorize(alice.account.id, a).sad;
        s.hashes = hashes;
        s.hash_algorithm_oid = kSha256Oid;
        s.sign_algo = kEcdsaSha256;
        s.client = "csc/v2 signHash";
        return csc.sign_hashes(alice.account.id, s);
    }
    core::Bytes root_der() { return store.ca_material("root")->certificate_der; }
    void sql(const std::string& statement, const std::vector<storage::Value>& params = {}) {
        database.db().transact([&](storage::Connection& c) { c.execute(statement, params); });
    }
    core::Bytes log_key() { return pki::public_key_of(log.certificates().log_certificate); }
};

TEST_P(SigningLogTest, EverySignatureIsALeafItsOwnerCanProveOfflineWithTheRootAlone) {
    std::vector<core::Bytes> hashes{digest_of("contract"), digest_of("annex"), digest_of("letter")};
    signing::SignedHashes signed_hashes = sign(hashes);
    ASSERT_EQ(signed_hashes.signatures.size(), 3u);
    ASSERT_EQ(signed_hashes.log_indexes.size(), 3u);

    auto leaves = log.leaves_of(alice.account.id, 10);
    ASSERT_EQ(leaves.size(), 3u);
    std::set<std::int64_t> indexes(signed_hashes.log_indexes.begin(), signed_hashes.log_indexes.end());
    std::string leaf_hashes_hex;
    for (std::size_t i = 0; i < 3; ++i) {
        const std::int64_t index = signed_hashes.log_indexes[i];
        auto proof = log.inclusion(index);
        transparency::BundleCheck check =
            transparency::verify_bundle(transparency::proof_bundle_json(proof, log.certificates()), root_der());
        ASSERT_TRUE(check.ok) << check.problem;
        EXPECT_EQ(check.use.digest, hashes[i]);  // the leaf records what the key signed
        EXPECT_EQ(check.use.credential_id, alice.credential.id);
        EXPECT_EQ(check.use.client, "csc/v2 signHash");
        EXPECT_EQ(check.use.hash_algorithm_oid, kSha256Oid);
        EXPECT_EQ(check.use.time, clock.unix_seconds());
        EXPECT_FALSE(check.use.sad_id.empty());
        EXPECT_TRUE(indexes.count(proof.leaf.index));
        leaf_hashes_hex += (i ? "," : "") + core::hex_encode(proof.leaf.hash);
    }
    // the audit event of the signatures names the same leaves, so the chain and the log vouch for each other
    auto events = store.all_events();
    ASSERT_EQ(events.back().event.action, "csc.signatures.created");
    EXPECT_NE(events.back().event.details.find(leaf_hashes_hex), std::string::npos) << events.back().event.details;

    // a proof checked against another root (same name, another key), or with its leaf's text changed, fails
    core::Bytes other_root = impostor_root(root_der(), clock.unix_seconds());
    nlohmann::json bundle = transparency::proof_bundle_json(log.inclusion(signed_hashes.log_indexes[0]), log.certificates());
    EXPECT_NE(transparency::verify_bundle(bundle, other_root).problem.find("does not chain to the root given"),
              std::string::npos);
    nlohmann::json altered = bundle;
    transparency::KeyUse use = transparency::parse_leaf_data(bundle["leaf_data"]);
    use.digest = digest_of("another document");
    altered["leaf_data"] = transparency::leaf_data(use);
    EXPECT_EQ(transparency::verify_bundle(altered, root_der()).problem,
              "the leaf and its audit path do not lead to the signed root: the leaf is not in this tree");
}

TEST_P(SigningLogTest, ASignatureWhoseLeafCannotBeWrittenIsNeverReturned) {
    // Attack: make the log unwritable (a DBA's trigger, a full disk) and sign — the server must not hand out a
    // signature the log does not show.
    database.refuse_inserts_into("transparency_leaves");
    std::size_t events_before = store.all_events().size();
    EXPECT_THROW(sign({digest_of("unlogged")}), Error);
    EXPECT_EQ(log.leaves_of(alice.account.id, 10).size(), 0u);
    // the SAD's consumption is on record (before the HSM); its "created" event rolled back with the leaf
    std::vector<std::string> actions;
    auto events = store.all_events();
    for (std::size_t i = events_before; i < events.size(); ++i) actions.push_back(events[i].event.action);
    EXPECT_NE(std::find(actions.begin(), actions.end(), "csc.sad.consumed"), actions.end());
    EXPECT_EQ(std::find(actions.begin(), actions.end(), "csc.signatures.created"), actions.end());
    EXPECT_EQ(log_store.tree_size(), 0);
}

TEST_P(SigningLogTest, ALeafRewrittenInTheDatabaseIsNamedByTheLogCheck) {
    for (int i = 0; i < 3; ++i) sign({digest_of("document " + std::to_string(i))});
    ASSERT_TRUE(log.sign_head());
    ASSERT_TRUE(log.check(log_key()).ok) << log.check(log_key()).problem;

    // Attack 1: change what leaf 1 says was signed.
    auto leaf1 = log.leaf(1).value();
    transparency::KeyUse use = transparency::parse_leaf_data(leaf1.data);
    use.digest = digest_of("a harmless document");
    std::string forged = transparency::leaf_data(use);
    sql("UPDATE transparency_leaves SET leaf_data = $1 WHERE leaf_index = 1", {forged});
    transparency::LogCheck check = log.check(log_key());
    EXPECT_FALSE(check.ok);
    ASSERT_TRUE(check.first_bad_leaf);
    EXPECT_EQ(*check.first_bad_leaf, 1);
    EXPECT_NE(check.problem.find("leaf 1"), std::string::npos) << check.problem;

    // Attack 2: change its stored hash too — the node above it no longer matches (leaves 0–1 named).
    sql("UPDATE transparency_leaves SET leaf_hash = $1 WHERE leaf_index = 1", {transparency::leaf_hash(forged)});
    check = log.check(log_key());
    EXPECT_FALSE(check.ok);
    EXPECT_NE(check.problem.find("leaves 0–1"), std::string::npos) << check.problem;

    // Attack 3: recompute the node as well — the HSM-signed head no longer matches the leaves.
    sql("UPDATE transparency_nodes SET hash = $1 WHERE level = 1 AND node_index = 0",
        {transparency::interior_hash(log.leaf(0)->hash, transparency::leaf_hash(forged))});
    check = log.check(log_key());
    EXPECT_FALSE(check.ok);
    EXPECT_NE(check.problem.find("signed head of size 3 no longer matches"), std::string::npos) << check.problem;
}

TEST_P(SigningLogTest, ARewrittenHistoryCannotBeProvedConsistentWithAHeadTheSignerKept) {
    sign({digest_of("first")});
    sign({digest_of("second")});
    transparency::SignedTreeHead kept = *log.sign_head();  // the signer saved this head (size 2)
    ASSERT_EQ(kept.tree_size, 2);
    sign({digest_of("third")});

    // Attack: someone holding the database rewrites leaf 1 with every hash above it, and the server (which signs
    // whatever the tree holds) signs the new head. Each head verifies on its own; the fork shows in consistency.
    transparency::KeyUse use = transparency::parse_leaf_data(log.leaf(1)->data);
    use.digest = digest_of("something else");
    std::string forged = transparency::leaf_data(use);
    core::Bytes forged_hash = transparency::leaf_hash(forged);
    core::Bytes node = transparency::interior_hash(log.leaf(0)->hash, forged_hash);
    sql("UPDATE transparency_leaves SET leaf_data = $1, leaf_hash = $2 WHERE leaf_index = 1", {forged, forged_hash});
    sql("UPDATE transparency_nodes SET hash = $1 WHERE level = 1 AND node_index = 0", {node});
    transparency::SignedTreeHead later = *log.sign_head();
    ASSERT_EQ(later.tree_size, 3);
    EXPECT_TRUE(transparency::verify_tree_head(later, log_key()));
    EXPECT_FALSE(transparency::verify_consistency(kept.tree_size, later.tree_size, kept.root_hash, later.root_hash,
                                                  log.consistency(kept.tree_size, later.tree_size)));
}

TEST_P(SigningLogTest, ConsistencyHoldsBetweenEverySignedHeadOfAnHonestLog) {
    std::vector<transparency::SignedTreeHead> heads;
    for (int i = 0; i < 6; ++i) {
        sign({digest_of("doc " + std::to_string(i))});
        clock.advance(std::chrono::seconds(1));
        heads.push_back(*log.sign_head());
    }
    EXPECT_EQ(log_store.tree_heads().size(), 6u);
    for (std::size_t a = 0; a < heads.size(); ++a)
        for (std::size_t b = a; b < heads.size(); ++b)
            EXPECT_TRUE(transparency::verify_consistency(heads[a].tree_size, heads[b].tree_size, heads[a].root_hash,
                                                         heads[b].root_hash,
                                                         log.consistency(heads[a].tree_size, heads[b].tree_size)));
    // an unchanged tree is not signed again
    EXPECT_EQ(log.sign_head()->tree_size, 6);
    EXPECT_EQ(log_store.tree_heads().size(), 6u);
}

TEST_P(SigningLogTest, ConcurrentSignersAppendToOneTree) {
    constexpr int kThreads = 4, kEach = 10;
    std::vector<std::thread> threads;
    std::vector<std::vector<std::int64_t>> got(kThreads);
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < kEach; ++i) {
                transparency::KeyUse use{alice.credential.id, "01", kSha256Oid,
                                         digest_of(std::to_string(t) + "/" + std::to_string(i)), 1, "test", "sad"};
                auto idx = log.record({transparency::new_leaf(alice.account.id, transparency::leaf_data(use))},
                                      audit::Event{"test", "csc.signatures.created", "credential:x", "{}", 1});
                got[t].push_back(idx.at(0));
            }
        });
    for (auto& th : threads) th.join();
    std::set<std::int64_t> all;
    for (const auto& v : got) all.insert(v.begin(), v.end());
    EXPECT_EQ(all.size(), static_cast<std::size_t>(kThreads * kEach));
    EXPECT_EQ(*all.rbegin(), kThreads * kEach - 1);
    ASSERT_TRUE(log.sign_head());
    transparency::LogCheck check = log.check(log_key());
    EXPECT_TRUE(check.ok) << check.problem;
    EXPECT_EQ(check.leaves_checked, kThreads * kEach);
    EXPECT_EQ(check.heads_checked, 1);
}

TEST_P(SigningLogTest, TheHeadIsSignedByTheLogCertificateWhichChainsToTheRoot) {
    sign({digest_of("x")});
    transparency::SignedTreeHead head = log.latest_head();
    auto certs = log.certificates();
    EXPECT_EQ(pki::service_chain_problem(certs.log_certificate, certs.issuing_certificate, root_der(), clock.unix_seconds()),
              "");
    EXPECT_TRUE(transparency::verify_tree_head(head, pki::public_key_of(certs.log_certificate)));
    transparency::SignedTreeHead bigger = head;
    bigger.tree_size += 1;
    EXPECT_FALSE(transparency::verify_tree_head(bigger, pki::public_key_of(certs.log_certificate)));
    // the audit key is a different key: a head it signed would not pass
    EXPECT_FALSE(transparency::verify_tree_head(head, keys.public_key_der(pki::kAuditKeyLabel)));
}

INSTANTIATE_TEST_SUITE_P(Backends, SigningLogTest, ::testing::ValuesIn(test::db_kinds()), test::db_kind_name);
