#pragma once
// Named SQL for the signing transparency log (#18). $n placeholders work on SQLite and PostgreSQL.
namespace yq::storage::sql {

// Takes the tree's size row first: on PostgreSQL its row lock serialises appends from every node; on SQLite the
// transaction already holds the write lock. Returns the size after the append.
inline constexpr const char* kGrowTree = "UPDATE transparency_tree SET size = size + $1 WHERE id = 1 RETURNING size";
inline constexpr const char* kTreeSize = "SELECT size FROM transparency_tree WHERE id = 1";
inline constexpr const char* kInsertLeaf =
    "INSERT INTO transparency_leaves (leaf_index, account_id, leaf_data, leaf_hash) VALUES ($1, $2, $3, $4)";
inline constexpr const char* kInsertNode =
    "INSERT INTO transparency_nodes (level, node_index, hash) VALUES ($1, $2, $3)";
inline constexpr const char* kSelectLeafHash = "SELECT leaf_hash FROM transparency_leaves WHERE leaf_index = $1";
inline constexpr const char* kSelectNode =
    "SELECT hash FROM transparency_nodes WHERE level = $1 AND node_index = $2";
inline constexpr const char* kSelectLeaf =
    "SELECT leaf_index, account_id, leaf_data, leaf_hash FROM transparency_leaves WHERE leaf_index = $1";
inline constexpr const char* kSelectLeafIndexByHash =
    "SELECT MIN(leaf_index) FROM transparency_leaves WHERE leaf_hash = $1";
inline constexpr const char* kSelectLeavesOfAccount =
    "SELECT leaf_index, account_id, leaf_data, leaf_hash FROM transparency_leaves WHERE account_id = $1 "
    "ORDER BY leaf_index DESC LIMIT $2";
inline constexpr const char* kSelectAllLeaves =
    "SELECT leaf_index, account_id, leaf_data, leaf_hash FROM transparency_leaves ORDER BY leaf_index";
inline constexpr const char* kSelectAllNodes =
    "SELECT level, node_index, hash FROM transparency_nodes ORDER BY level, node_index";

inline constexpr const char* kInsertTreeHead =
    "INSERT INTO transparency_heads (tree_size, timestamp_ms, root_hash, signature) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (tree_size) DO NOTHING";
inline constexpr const char* kSelectLatestTreeHead =
    "SELECT tree_size, timestamp_ms, root_hash, signature FROM transparency_heads ORDER BY tree_size DESC LIMIT 1";
inline constexpr const char* kSelectTreeHead =
    "SELECT tree_size, timestamp_ms, root_hash, signature FROM transparency_heads WHERE tree_size = $1";
inline constexpr const char* kSelectTreeHeads =
    "SELECT tree_size, timestamp_ms, root_hash, signature FROM transparency_heads ORDER BY tree_size";

}  // namespace yq::storage::sql
