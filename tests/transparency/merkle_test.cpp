// RFC 9162 §2.1 hashing and proofs. The node-based implementation is held to the RFC's definitions written out
// naively over the leaves (here, independently of the code under test), and to the known roots of the CT test
// vectors (RFC 6962's reference leaves; the roots were computed again with Python's hashlib).
#include <gtest/gtest.h>

#include <map>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "transparency/merkle.hpp"

using namespace yq;
using transparency::Node;

namespace {

core::Bytes h(std::initializer_list<core::Bytes> parts, std::uint8_t prefix) {
    core::Bytes in{prefix};
    for (const auto& p : parts) in.insert(in.end(), p.begin(), p.end());
    return core::sha256(in);
}

// The RFC's definitions, directly over leaf data.
struct Naive {
    std::vector<std::string> leaves;
    static std::size_t k_of(std::size_t n) {
        std::size_t k = 1;
        while (k * 2 < n) k *= 2;
        return k;
    }
    core::Bytes mth(std::size_t b, std::size_t e) const {
        if (e == b) return core::sha256(std::string_view());
        if (e - b == 1) return h({core::to_bytes(leaves[b])}, 0x00);
        std::size_t k = k_of(e - b);
        return h({mth(b, b + k), mth(b + k, e)}, 0x01);
    }
    std::vector<core::Bytes> path(std::size_t m, std::size_t b, std::size_t e) const {
        if (e - b <= 1) return {};
        std::size_t k = k_of(e - b);
        std::vector<core::Bytes> out = m < k ? path(m, b, b + k) : path(m - k, b + k, e);
        out.push_back(m < k ? mth(b + k, e) : mth(b, b + k));
        return out;
    }
    std::vector<core::Bytes> subproof(std::size_t m, std::size_t b, std::size_t e, bool whole) const {
        if (m == e - b) return whole ? std::vector<core::Bytes>{} : std::vector<core::Bytes>{mth(b, e)};
        std::size_t k = k_of(e - b);
        std::vector<core::Bytes> out = m <= k ? subproof(m, b, b + k, whole) : subproof(m - k, b + k, e, false);
        out.push_back(m <= k ? mth(b + k, e) : mth(b, b + k));
        return out;
    }
};

// A tree grown as the log grows it: each append stores the nodes it completes.
struct NodeTree {
    std::map<std::pair<int, std::int64_t>, core::Bytes> nodes;
    std::int64_t size = 0;
    int reads = 0;
    transparency::NodeReader reader() {
        return [this](int level, std::int64_t index) {
            ++reads;
            return nodes.at({level, index});
        };
    }
    void append(const std::string& data) {
        for (const Node& n : transparency::nodes_completed_by(size, transparency::leaf_hash(data), reader()))
            nodes[{n.level, n.index}] = n.hash;
        ++size;
    }
};

std::vector<std::string> ct_vector_leaves() {
    std::vector<std::string> out;
    for (const char* hex : {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                            "606162636465666768696a6b6c6d6e6f"})
        out.push_back(core::to_string(core::hex_decode(hex)));
    return out;
}

}  // namespace

TEST(MerkleTest, TheEmptyTreeAndOneLeafHashAsTheRfcSays) {
    EXPECT_EQ(core::hex_encode(transparency::empty_tree_root()),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(core::hex_encode(transparency::leaf_hash("")),
              "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
}

TEST(MerkleTest, RootsOfTheCtTestVectorsAtEverySize) {
    const char* roots[] = {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                           "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
                           "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
                           "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                           "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
                           "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
                           "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
                           "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};
    NodeTree tree;
    for (const auto& leaf : ct_vector_leaves()) tree.append(leaf);
    for (std::int64_t size = 1; size <= 8; ++size)
        EXPECT_EQ(core::hex_encode(transparency::tree_root(size, tree.reader())), roots[size - 1]) << size;
}

TEST(MerkleTest, RootsAndProofsFromStoredNodesEqualTheRfcDefinitionsForEveryTreeUpTo70Leaves) {
    Naive naive;
    NodeTree tree;
    for (int i = 0; i < 70; ++i) {
        naive.leaves.push_back("leaf " + std::to_string(i));
        tree.append(naive.leaves.back());
    }
    for (std::int64_t n = 1; n <= 70; ++n) {
        core::Bytes root = transparency::tree_root(n, tree.reader());
        ASSERT_EQ(root, naive.mth(0, n)) << n;
        for (std::int64_t m = 0; m < n; ++m) {
            auto path = transparency::inclusion_proof(m, n, tree.reader());
            ASSERT_EQ(path, naive.path(m, 0, n)) << m << " in " << n;
            EXPECT_TRUE(transparency::verify_inclusion(transparency::leaf_hash(naive.leaves[m]), m, n, path, root));
        }
        for (std::int64_t m = 1; m < n; ++m) {
            auto proof = transparency::consistency_proof(m, n, tree.reader());
            ASSERT_EQ(proof, naive.subproof(m, 0, n, true)) << m << " to " << n;
            EXPECT_TRUE(transparency::verify_consistency(m, n, naive.mth(0, m), root, proof)) << m << " to " << n;
        }
    }
}

TEST(MerkleTest, AProofForAnotherLeafIndexOrRootOrAnAlteredPathFails) {
    NodeTree tree;
    for (int i = 0; i < 13; ++i) tree.append("entry " + std::to_string(i));
    core::Bytes root = transparency::tree_root(13, tree.reader());
    core::Bytes leaf5 = transparency::leaf_hash("entry 5");
    auto path = transparency::inclusion_proof(5, 13, tree.reader());
    ASSERT_TRUE(transparency::verify_inclusion(leaf5, 5, 13, path, root));
    EXPECT_FALSE(transparency::verify_inclusion(leaf5, 4, 13, path, root));
    EXPECT_FALSE(transparency::verify_inclusion(leaf5, 5, 7, path, root));  // a tree of another shape
    EXPECT_FALSE(transparency::verify_inclusion(leaf5, 5, 13, path, transparency::tree_root(12, tree.reader())));
    EXPECT_FALSE(transparency::verify_inclusion(transparency::leaf_hash("entry 5 altered"), 5, 13, path, root));
    auto altered = path;
    altered[1][0] ^= 1;
    EXPECT_FALSE(transparency::verify_inclusion(leaf5, 5, 13, altered, root));
    auto shorter = path;
    shorter.pop_back();
    EXPECT_FALSE(transparency::verify_inclusion(leaf5, 5, 13, shorter, root));
    auto longer = path;
    longer.push_back(root);
    EXPECT_FALSE(transparency::verify_inclusion(leaf5, 5, 13, longer, root));
    EXPECT_FALSE(transparency::verify_inclusion(leaf5, 13, 13, path, root));
}

TEST(MerkleTest, AForkedHistoryHasNoConsistencyProof) {
    // Two logs agree on the first 6 leaves; the second rewrote leaf 3. Its proof from 6 to 10 cannot join the first
    // log's head at 6.
    NodeTree honest, forked;
    for (int i = 0; i < 10; ++i) {
        honest.append("entry " + std::to_string(i));
        forked.append(i == 3 ? std::string("rewritten") : "entry " + std::to_string(i));
    }
    core::Bytes honest6 = transparency::tree_root(6, honest.reader());
    core::Bytes forked10 = transparency::tree_root(10, forked.reader());
    auto proof = transparency::consistency_proof(6, 10, forked.reader());
    EXPECT_FALSE(transparency::verify_consistency(6, 10, honest6, forked10, proof));
    EXPECT_TRUE(transparency::verify_consistency(6, 10, transparency::tree_root(6, forked.reader()), forked10, proof));
    EXPECT_FALSE(transparency::verify_consistency(6, 10, honest6, forked10, {}));
    EXPECT_FALSE(transparency::verify_consistency(7, 6, honest6, forked10, proof));
    EXPECT_TRUE(transparency::verify_consistency(6, 6, honest6, honest6, {}));
    EXPECT_FALSE(transparency::verify_consistency(6, 6, honest6, forked10, {}));
}

TEST(MerkleTest, AProofInAMillionLeafTreeReadsLogarithmicallyManyNodes) {
    // Only the nodes a proof needs are read: at 2^20 + 3 leaves, a handful per level (the RFC's recursion), never a
    // scan. The reader here synthesises nodes (no tree is stored), counting reads.
    int reads = 0;
    transparency::NodeReader synthetic = [&reads](int level, std::int64_t index) {
        ++reads;
        return core::sha256(std::to_string(level) + ":" + std::to_string(index));
    };
    const std::int64_t size = (1 << 20) + 3;
    auto path = transparency::inclusion_proof(777'777, size, synthetic);
    EXPECT_EQ(path.size(), 21u);  // ⌈log2(size)⌉
    EXPECT_LE(reads, 2 * 21);
    reads = 0;
    auto proof = transparency::consistency_proof(999'999, size, synthetic);
    EXPECT_LE(proof.size(), 2u * 21);
    EXPECT_LE(reads, 4 * 21);
}

TEST(MerkleTest, ProofsForImpossibleRangesAreRefused) {
    NodeTree tree;
    tree.append("a");
    EXPECT_THROW(transparency::inclusion_proof(1, 1, tree.reader()), Error);
    EXPECT_THROW(transparency::inclusion_proof(-1, 1, tree.reader()), Error);
    EXPECT_THROW(transparency::consistency_proof(2, 1, tree.reader()), Error);
    EXPECT_TRUE(transparency::consistency_proof(0, 1, tree.reader()).empty());
}
