#include "transparency/signing_log.hpp"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <algorithm>
#include <chrono>
#include <map>

#include "core/error.hpp"
#include "pki/openssl_ptr.hpp"
#include "pki/certificate_authority.hpp"

namespace yq::transparency {

namespace {

constexpr std::size_t kHashSize = 32;

bool is_ec_key(const core::Bytes& spki) {
    pki::EvpPkeyPtr key = pki::public_key_from_der(spki);
    if (!key) throw Error("transparency.bad_key", 500, "the log key's public half cannot be read");
    return EVP_PKEY_base_id(key.get()) == EVP_PKEY_EC;
}

// Nodes recomputed from the leaves, one packed array of 32-byte hashes per level.
struct RecomputedTree {
    std::vector<core::Bytes> levels;
    core::Bytes node(int level, std::int64_t index) const {
        const core::Bytes& l = levels.at(static_cast<std::size_t>(level));
        auto at = l.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(index) * kHashSize);
        return core::Bytes(at, at + kHashSize);
    }
    std::int64_t count(int level) const {
        return static_cast<std::size_t>(level) < levels.size()
                   ? static_cast<std::int64_t>(levels[static_cast<std::size_t>(level)].size() / kHashSize)
                   : 0;
    }
    void add(const Node& n) {
        if (levels.size() <= static_cast<std::size_t>(n.level)) levels.resize(static_cast<std::size_t>(n.level) + 1);
        levels[static_cast<std::size_t>(n.level)].insert(levels[static_cast<std::size_t>(n.level)].end(), n.hash.begin(),
                                                        n.hash.end());
    }
};

}  // namespace

SigningLog::SigningLog(LogStore& store, pki::CaStore& ca_store, keystore::Keystore& keys, const core::Clock& clock)
    : m_store(store), m_ca_store(ca_store), m_keys(keys), m_clock(clock) {}

std::vector<std::int64_t> SigningLog::record(const std::vector<NewLeaf>& leaves, const audit::Event& e) {
    return m_store.append_leaves(leaves, e);
}

std::optional<SignedTreeHead> SigningLog::sign_head() {
    auto latest = m_store.latest_tree_head();
    std::int64_t size = 0;
    core::Bytes root;
    m_store.read_tree([&](std::int64_t s, const NodeReader& read) {
        size = s;
        if (!latest || s > latest->tree_size) root = tree_root(s, read);  // the root only of a tree that grew
    });
    if (latest && latest->tree_size >= size) return latest;
    std::int64_t now_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(m_clock.now().time_since_epoch()).count();
    if (latest) now_ms = std::max(now_ms, latest->timestamp_ms);  // a head is never older than the one before it
    // RFC 6962 §3.5, signed with SHA-256 by the HSM log key (ECDSA, or RSA PKCS#1 v1.5 for an RSA service key)
    bool ec = is_ec_key(m_keys.public_key_der(pki::kTransparencyKeyLabel));
    keystore::SignScheme scheme{ec ? keystore::SignScheme::Kind::Ecdsa : keystore::SignScheme::Kind::RsaPkcs1v15,
                                keystore::HashAlg::Sha256, 0};
    core::Bytes digest = core::sha256(tree_head_signed_bytes(size, now_ms, root));
    SignedTreeHead head{size, now_ms, root,
                        digitally_signed(ec, m_keys.sign_digest(pki::kTransparencyKeyLabel, scheme, digest))};
    m_store.store_tree_head(head);
    return m_store.tree_head(size);  // another node may have signed this size first: its head is the one kept
}

SignedTreeHead SigningLog::latest_head() {
    if (auto head = m_store.latest_tree_head()) return *head;
    auto head = sign_head();
    if (!head) throw Error("transparency.no_head", 503, "the transparency log has no signed tree head yet");
    return *head;
}

InclusionProof SigningLog::inclusion(std::int64_t index) {
    auto leaf = m_store.leaf(index);
    if (!leaf) throw_not_found("transparency.unknown_leaf", "the transparency log has no leaf " + std::to_string(index));
    SignedTreeHead head = latest_head();
    if (head.tree_size <= index) {
        auto signed_now = sign_head();
        if (!signed_now || signed_now->tree_size <= index)
            throw Error("transparency.no_head", 503, "no signed tree head covers this leaf yet; try again");
        head = *signed_now;
    }
    InclusionProof proof{*leaf, {}, head};
    m_store.read_tree([&](std::int64_t, const NodeReader& read) {
        proof.audit_path = inclusion_proof(index, head.tree_size, read);
    });
    return proof;
}

std::pair<std::int64_t, std::vector<core::Bytes>> SigningLog::proof_by_hash(const core::Bytes& leaf_hash,
                                                                            std::int64_t tree_size) {
    auto index = m_store.index_of_leaf_hash(leaf_hash);
    if (!index || *index >= tree_size)
        throw_not_found("transparency.unknown_leaf", "no leaf with this hash in a tree of " + std::to_string(tree_size) +
                                                         " leaves");
    std::vector<core::Bytes> path;
    m_store.read_tree([&](std::int64_t size, const NodeReader& read) {
        if (tree_size > size)
            throw_bad_input("transparency.bad_range",
                            "the log has " + std::to_string(size) + " leaves, fewer than " + std::to_string(tree_size));
        path = inclusion_proof(*index, tree_size, read);
    });
    return {*index, path};
}

std::vector<core::Bytes> SigningLog::consistency(std::int64_t first, std::int64_t second) {
    std::vector<core::Bytes> path;
    m_store.read_tree([&](std::int64_t size, const NodeReader& read) {
        if (second > size)
            throw_bad_input("transparency.bad_range",
                            "the log has " + std::to_string(size) + " leaves, fewer than " + std::to_string(second));
        path = consistency_proof(first, second, read);
    });
    return path;
}

std::vector<StoredLeaf> SigningLog::leaves_of(const std::string& account_id, std::int64_t limit) {
    return m_store.leaves_of_account(account_id, limit);
}

std::optional<StoredLeaf> SigningLog::leaf(std::int64_t index) { return m_store.leaf(index); }

LogCertificates SigningLog::certificates() {
    auto log = m_ca_store.ca_material("transparency");
    auto issuing = m_ca_store.ca_material("issuing");
    if (!log || !issuing) throw Error("ca.not_initialised", 503, "the CA has no transparency log certificate yet");
    return LogCertificates{log->certificate_der, issuing->certificate_der};
}

LogCheck SigningLog::check(const core::Bytes& log_public_key) {
    LogCheck r;
    auto fail = [&r](std::string why, std::optional<std::int64_t> leaf = std::nullopt) {
        if (!r.ok) return;
        r.ok = false;
        r.problem = std::move(why);
        r.first_bad_leaf = leaf;
    };
    // 1. every leaf's hash from its text, and the nodes the leaves make (the frontier's left siblings from `tree`)
    RecomputedTree tree;
    NodeReader recomputed = [&tree](int level, std::int64_t index) { return tree.node(level, index); };
    m_store.each_leaf([&](const StoredLeaf& leaf) {
        if (!r.ok) return;
        if (leaf.index != r.leaves_checked)
            return fail("leaf " + std::to_string(r.leaves_checked) + " is missing (the next stored leaf is " +
                            std::to_string(leaf.index) + ")",
                        r.leaves_checked);
        core::Bytes hash = leaf_hash(leaf.data);
        if (hash != leaf.hash)
            return fail("leaf " + std::to_string(leaf.index) + "'s text does not give its stored hash (the leaf was altered)",
                        leaf.index);
        for (const Node& n : nodes_completed_by(leaf.index, hash, recomputed)) tree.add(n);
        ++r.leaves_checked;
    });
    if (!r.ok) return r;
    std::int64_t size = m_store.tree_size();
    if (size != r.leaves_checked)
        fail("the log's size row says " + std::to_string(size) + " leaves; " + std::to_string(r.leaves_checked) +
             " are stored");
    // 2. every stored interior node equals the one its leaves give
    std::map<int, std::int64_t> seen;
    m_store.each_node([&](const Node& n) {
        if (!r.ok) return;
        std::int64_t first = n.index << n.level, last = ((n.index + 1) << n.level) - 1;
        if (n.index >= tree.count(n.level) || tree.node(n.level, n.index) != n.hash)
            return fail("node " + std::to_string(n.level) + "/" + std::to_string(n.index) +
                            " does not match leaves " + std::to_string(first) + "–" + std::to_string(last) +
                            " (a leaf under it was rewritten together with its hash, or the node was altered)",
                        first);
        ++seen[n.level];
        ++r.nodes_checked;
    });
    for (int level = 1; r.ok && level < static_cast<int>(tree.levels.size()); ++level)
        if (seen[level] != tree.count(level))
            fail("level " + std::to_string(level) + " of the tree is missing nodes (" + std::to_string(seen[level]) +
                 " stored, " + std::to_string(tree.count(level)) + " expected)");
    if (!r.ok) return r;
    // 3. every signed head: its root from the leaves, and its signature
    for (const SignedTreeHead& head : m_store.tree_heads()) {
        if (head.tree_size > r.leaves_checked)
            return fail("the signed head of size " + std::to_string(head.tree_size) + " covers leaves that are not stored"),
                   r;
        if (tree_root(head.tree_size, recomputed) != head.root_hash)
            return fail("the signed head of size " + std::to_string(head.tree_size) +
                        " no longer matches the leaves (leaves up to it were rewritten or removed)"),
                   r;
        if (!verify_tree_head(head, log_public_key))
            return fail("the HSM signature on the head of size " + std::to_string(head.tree_size) + " does not verify"), r;
        ++r.heads_checked;
    }
    return r;
}

}  // namespace yq::transparency
