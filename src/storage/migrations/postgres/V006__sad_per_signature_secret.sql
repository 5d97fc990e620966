-- Signature activation hardened (postgres). A SAD row now holds the per-SAD half of the key that opens the credential's
-- key for this SAD only (the token holds the other half), the original authorisation's expiry (extendTransaction never
-- goes past it), which bound hashes are already signed (a multiset: each bound hash signs once), and a version for
-- compare-and-swap updates. SADs live minutes: the old rows are dropped, their tokens stop working.
DROP TABLE sads;
CREATE TABLE sads (
    id               TEXT PRIMARY KEY,
    credential_id    TEXT NOT NULL REFERENCES credentials (id),
    account_id       TEXT NOT NULL REFERENCES accounts (id),
    remaining        INTEGER NOT NULL,
    expires_at       BIGINT NOT NULL,
    authorised_until BIGINT NOT NULL,
    hash_alg         TEXT NOT NULL,
    hashes           BYTEA NOT NULL,
    signed_mask      BYTEA NOT NULL,
    row_share        BYTEA NOT NULL,
    sealed_key       BYTEA NOT NULL,
    version          INTEGER NOT NULL
);
CREATE INDEX sads_expiry ON sads (expires_at);
