#pragma once
// storage's implementation of transparency::LogStore over the shared Database (one class for one consumer interface,
// the shape #15 asks of SqlStore).
#include "storage/database.hpp"
#include "transparency/log_store.hpp"

namespace yq::storage {

class TransparencyLogStore : public transparency::LogStore {
public:
    explicit TransparencyLogStore(Database& db) : m_db(db) {}

    std::vector<std::int64_t> append_leaves(const std::vector<transparency::NewLeaf>& leaves,
                                            const audit::Event& e) override;
    std::int64_t tree_size() override;
    void read_tree(const std::function<void(std::int64_t, const transparency::NodeReader&)>& fn) override;
    std::optional<transparency::StoredLeaf> leaf(std::int64_t index) override;
    std::optional<std::int64_t> index_of_leaf_hash(const core::Bytes& hash) override;
    std::vector<transparency::StoredLeaf> leaves_of_account(const std::string& account_id, std::int64_t limit) override;
    void each_leaf(const std::function<void(const transparency::StoredLeaf&)>& fn) override;
    void each_node(const std::function<void(const transparency::Node&)>& fn) override;

    void store_tree_head(const transparency::SignedTreeHead& head) override;
    std::optional<transparency::SignedTreeHead> latest_tree_head() override;
    std::optional<transparency::SignedTreeHead> tree_head(std::int64_t tree_size) override;
    std::vector<transparency::SignedTreeHead> tree_heads() override;

private:
    Database& m_db;
};

}  // namespace yq::storage
