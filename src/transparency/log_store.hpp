#pragma once
// What the signing transparency log persists (#18). Declared here, implemented in storage/ (TransparencyLogStore).
//
// The tree is kept as its leaves and its complete subtrees (transparency/merkle.hpp); a node, once written, never
// changes, so reads need no transaction. Appends are serialised by the tree's one size row (a row lock on
// PostgreSQL, the write lock on SQLite): every node on every server appends to the one tree.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/event.hpp"
#include "transparency/merkle.hpp"
#include "transparency/tree_head.hpp"

namespace yq::transparency {

// A leaf to append: made by new_leaf() (below), so its hash is the one of its data, computed once.
struct NewLeaf {
    std::string account_id;  // whose key was used (the signer's list; not part of the leaf's data)
    std::string data;        // log_entry.hpp's canonical JSON
    core::Bytes hash;        // RFC 9162 §2.1.1 leaf hash of `data`
};

inline NewLeaf new_leaf(std::string account_id, std::string data) {
    core::Bytes hash = leaf_hash(data);
    return NewLeaf{std::move(account_id), std::move(data), std::move(hash)};
}

struct StoredLeaf {
    std::int64_t index = 0;
    std::string account_id;
    std::string data;
    core::Bytes hash;  // as stored (a check recomputes it from `data`)
};

class LogStore {
public:
    virtual ~LogStore() = default;
    // Appends the leaves in order, with the nodes they complete, and `e` — all in one transaction. Returns the
    // leaves' indexes.
    virtual std::vector<std::int64_t> append_leaves(const std::vector<NewLeaf>& leaves, const audit::Event& e) = 0;
    virtual std::int64_t tree_size() = 0;
    // Runs `fn` with the tree's size and a reader of its nodes, on one connection.
    virtual void read_tree(const std::function<void(std::int64_t size, const NodeReader& read)>& fn) = 0;
    virtual std::optional<StoredLeaf> leaf(std::int64_t index) = 0;
    virtual std::optional<std::int64_t> index_of_leaf_hash(const core::Bytes& hash) = 0;
    // The account's leaves, newest first.
    virtual std::vector<StoredLeaf> leaves_of_account(const std::string& account_id, std::int64_t limit) = 0;
    // Streams every leaf in index order, then every stored interior node (for a full check of the tree).
    virtual void each_leaf(const std::function<void(const StoredLeaf&)>& fn) = 0;
    virtual void each_node(const std::function<void(const Node&)>& fn) = 0;

    // A head of a size already signed is kept as it is (two nodes signing the same size at once).
    virtual void store_tree_head(const SignedTreeHead& head) = 0;
    virtual std::optional<SignedTreeHead> latest_tree_head() = 0;
    virtual std::optional<SignedTreeHead> tree_head(std::int64_t tree_size) = 0;
    virtual std::vector<SignedTreeHead> tree_heads() = 0;
};

}  // namespace yq::transparency
