-- #18: the signing transparency log. Every use of a signer's key is a leaf (RFC 9162 §2.1.1 leaf hash of the leaf's
-- canonical JSON), appended in the transaction of the signature's "csc.signatures.created" audit event. The tree is
-- kept as its complete subtrees (level ≥ 1; level 0 is the leaves' hashes), so proofs for any size need only
-- O(log² n) reads. One size row serialises appends across nodes. Tree heads are signed by the HSM's log key.
CREATE TABLE transparency_leaves (
    leaf_index BIGINT PRIMARY KEY,
    account_id TEXT NOT NULL,
    leaf_data  TEXT NOT NULL,
    leaf_hash  BYTEA NOT NULL
);
CREATE INDEX transparency_leaves_account ON transparency_leaves (account_id, leaf_index);
CREATE INDEX transparency_leaves_hash ON transparency_leaves (leaf_hash);
CREATE TABLE transparency_nodes (
    level      INTEGER NOT NULL,
    node_index BIGINT NOT NULL,
    hash       BYTEA NOT NULL,
    PRIMARY KEY (level, node_index)
);
CREATE TABLE transparency_tree (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    size BIGINT NOT NULL
);
INSERT INTO transparency_tree (id, size) VALUES (1, 0);
CREATE TABLE transparency_heads (
    tree_size    BIGINT PRIMARY KEY,
    timestamp_ms BIGINT NOT NULL,
    root_hash    BYTEA NOT NULL,
    signature    BYTEA NOT NULL
);
-- a PDF signature's public record names its leaf (records made before the log have none)
ALTER TABLE signature_records ADD COLUMN log_index BIGINT;
