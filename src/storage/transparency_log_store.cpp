#include "storage/transparency_log_store.hpp"

#include <map>
#include <string>

#include "core/error.hpp"
#include "storage/audit_append.hpp"
#include "storage/sql/transparency_sql.hpp"

namespace yq::storage {

namespace {

transparency::StoredLeaf leaf_of(const Row& r) { return {r.integer(0), r.text(1), r.text(2), r.blob(3)}; }
transparency::SignedTreeHead head_of(const Row& r) { return {r.integer(0), r.integer(1), r.blob(2), r.blob(3)}; }

transparency::NodeReader reader_on(Connection& c) {
    return [&c](int level, std::int64_t index) {
        auto row = level == 0 ? c.query_one(sql::kSelectLeafHash, {index})
                              : c.query_one(sql::kSelectNode, {static_cast<std::int64_t>(level), index});
        if (!row)
            throw Error("transparency.node_missing", 500,
                        "the transparency log has no node " + std::to_string(level) + "/" + std::to_string(index) +
                            " (the stored tree is damaged: run `yunqian transparency verify`)");
        return row->blob(0);
    };
}

}  // namespace

std::vector<std::int64_t> TransparencyLogStore::append_leaves(const std::vector<transparency::NewLeaf>& leaves,
                                                              const audit::Event& e) {
    std::vector<std::int64_t> indexes;
    m_db.transact([&](Connection& c) {
        indexes.clear();
        auto grown = c.query_one(sql::kGrowTree, {static_cast<std::int64_t>(leaves.size())});
        if (!grown) throw Error("transparency.no_tree", 500, "the transparency log's size row is missing");
        std::int64_t index = grown->integer(0) - static_cast<std::int64_t>(leaves.size());
        // A left sibling is either stored (read once) or was made by this batch (kept here, not read back).
        std::map<std::pair<int, std::int64_t>, core::Bytes> made;
        transparency::NodeReader stored = reader_on(c);
        transparency::NodeReader read = [&](int level, std::int64_t i) {
            auto it = made.find({level, i});
            return it != made.end() ? it->second : stored(level, i);
        };
        for (const auto& leaf : leaves) {
            c.execute(sql::kInsertLeaf, {index, leaf.account_id, leaf.data, leaf.hash});
            for (const transparency::Node& n : transparency::nodes_completed_by(index, leaf.hash, read)) {
                if (n.level > 0) c.execute(sql::kInsertNode, {static_cast<std::int64_t>(n.level), n.index, n.hash});
                if (n.index % 2 == 0) made[{n.level, n.index}] = n.hash;  // a left child: its sibling will read it
            }
            indexes.push_back(index++);
        }
        append_audit_event(c, e);
    });
    return indexes;
}

std::int64_t TransparencyLogStore::tree_size() {
    std::int64_t size = 0;
    m_db.with_connection([&](Connection& c) {
        if (auto r = c.query_one(sql::kTreeSize)) size = r->integer(0);
    });
    return size;
}

void TransparencyLogStore::read_tree(const std::function<void(std::int64_t, const transparency::NodeReader&)>& fn) {
    m_db.with_connection([&](Connection& c) {
        auto r = c.query_one(sql::kTreeSize);
        fn(r ? r->integer(0) : 0, reader_on(c));
    });
}

std::optional<transparency::StoredLeaf> TransparencyLogStore::leaf(std::int64_t index) {
    std::optional<transparency::StoredLeaf> out;
    m_db.with_connection([&](Connection& c) {
        if (auto r = c.query_one(sql::kSelectLeaf, {index})) out = leaf_of(*r);
    });
    return out;
}

std::optional<std::int64_t> TransparencyLogStore::index_of_leaf_hash(const core::Bytes& hash) {
    std::optional<std::int64_t> out;
    m_db.with_connection([&](Connection& c) {
        if (auto r = c.query_one(sql::kSelectLeafIndexByHash, {hash}); r && !r->is_null(0)) out = r->integer(0);
    });
    return out;
}

std::vector<transparency::StoredLeaf> TransparencyLogStore::leaves_of_account(const std::string& account_id,
                                                                              std::int64_t limit) {
    std::vector<transparency::StoredLeaf> out;
    m_db.with_connection([&](Connection& c) {
        for (const Row& r : c.query(sql::kSelectLeavesOfAccount, {account_id, limit})) out.push_back(leaf_of(r));
    });
    return out;
}

void TransparencyLogStore::each_leaf(const std::function<void(const transparency::StoredLeaf&)>& fn) {
    m_db.with_connection([&](Connection& c) {
        c.query_each(sql::kSelectAllLeaves, {}, [&](const Row& r) { fn(leaf_of(r)); });
    });
}

void TransparencyLogStore::each_node(const std::function<void(const transparency::Node&)>& fn) {
    m_db.with_connection([&](Connection& c) {
        c.query_each(sql::kSelectAllNodes, {}, [&](const Row& r) {
            fn(transparency::Node{static_cast<int>(r.integer(0)), r.integer(1), r.blob(2)});
        });
    });
}

void TransparencyLogStore::store_tree_head(const transparency::SignedTreeHead& head) {
    m_db.transact([&](Connection& c) {
        c.execute(sql::kInsertTreeHead, {head.tree_size, head.timestamp_ms, head.root_hash, head.signature});
    });
}

std::optional<transparency::SignedTreeHead> TransparencyLogStore::latest_tree_head() {
    std::optional<transparency::SignedTreeHead> out;
    m_db.with_connection([&](Connection& c) {
        if (auto r = c.query_one(sql::kSelectLatestTreeHead)) out = head_of(*r);
    });
    return out;
}

std::optional<transparency::SignedTreeHead> TransparencyLogStore::tree_head(std::int64_t tree_size) {
    std::optional<transparency::SignedTreeHead> out;
    m_db.with_connection([&](Connection& c) {
        if (auto r = c.query_one(sql::kSelectTreeHead, {tree_size})) out = head_of(*r);
    });
    return out;
}

std::vector<transparency::SignedTreeHead> TransparencyLogStore::tree_heads() {
    std::vector<transparency::SignedTreeHead> out;
    m_db.with_connection([&](Connection& c) {
        for (const Row& r : c.query(sql::kSelectTreeHeads)) out.push_back(head_of(r));
    });
    return out;
}

}  // namespace yq::storage
