#pragma once
// Merkle tree hashing and proofs of RFC 9162 §2.1 (Certificate Transparency v2; the same hashing as RFC 6962 §2.1):
// leaf hash = SHA-256(0x00 ‖ data), interior node = SHA-256(0x01 ‖ left ‖ right), the empty tree's root SHA-256("").
//
// The tree is kept as its complete subtrees: node (level, index) is the root of leaves [index·2^level,
// (index+1)·2^level), level 0 being the leaf hashes. Every range the RFC's recursions ask for splits into such nodes, so
// roots and proofs for any tree size are computed from stored nodes (O(log² n) reads at most) — never from all leaves.
// Pure code: the caller supplies the nodes (`NodeReader`).
// Error style: throws yq::Error "transparency.bad_range" for sizes/indexes a proof cannot be made for.
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"

namespace yq::transparency {

// Reads the stored hash of complete subtree (level, index).
using NodeReader = std::function<core::Bytes(int level, std::int64_t index)>;

struct Node {
    int level = 0;
    std::int64_t index = 0;
    core::Bytes hash;
};

// RFC 9162 §2.1.1
core::Bytes leaf_hash(std::string_view leaf_data);
core::Bytes interior_hash(const core::Bytes& left, const core::Bytes& right);
core::Bytes empty_tree_root();

// The nodes that appending the leaf at `index` (with hash `leaf`) completes: (0, index) itself, then each parent whose
// right child it completes. `read` must know every node of the tree of size `index`.
std::vector<Node> nodes_completed_by(std::int64_t index, const core::Bytes& leaf, const NodeReader& read);

// MTH(D[0:size]) of RFC 9162 §2.1.1.
core::Bytes tree_root(std::int64_t size, const NodeReader& read);
// PATH(index, D[0:size]) of RFC 9162 §2.1.3.1.
std::vector<core::Bytes> inclusion_proof(std::int64_t index, std::int64_t size, const NodeReader& read);
// PROOF(first, D[0:second]) of RFC 9162 §2.1.4.1; empty when first is 0 or equals second.
std::vector<core::Bytes> consistency_proof(std::int64_t first, std::int64_t second, const NodeReader& read);

// RFC 9162 §2.1.3.2
bool verify_inclusion(const core::Bytes& leaf, std::int64_t index, std::int64_t size,
                      const std::vector<core::Bytes>& path, const core::Bytes& root);
// RFC 9162 §2.1.4.2 (first = 0 is consistent with any tree; first = second needs an empty path and equal roots).
bool verify_consistency(std::int64_t first, std::int64_t second, const core::Bytes& first_root,
                        const core::Bytes& second_root, const std::vector<core::Bytes>& path);

}  // namespace yq::transparency
