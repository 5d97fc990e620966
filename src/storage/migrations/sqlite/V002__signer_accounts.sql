-- Signer accounts, credentials under key custody, CSC access tokens and SADs (SQLite).
CREATE TABLE accounts (
    id                  TEXT PRIMARY KEY,
    username            TEXT NOT NULL UNIQUE,
    display_name        TEXT NOT NULL,
    agency              TEXT NOT NULL,
    email               TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('active', 'locked', 'suspended', 'revoked')),
    login_password_hash TEXT NOT NULL,
    totp_secret_sealed  BLOB,
    totp_last_step      BIGINT NOT NULL DEFAULT 0,
    failed_attempts     INTEGER NOT NULL DEFAULT 0,
    created_at          BIGINT NOT NULL
);
-- The username can never change once the account exists (domain rule; no code path, API or migration may do it).
CREATE TRIGGER accounts_username_immutable BEFORE UPDATE OF username ON accounts
WHEN NEW.username IS NOT OLD.username
BEGIN SELECT RAISE(ABORT, 'the username of an account can never change'); END;

CREATE TABLE credentials (
    id                 TEXT PRIMARY KEY,
    account_id         TEXT NOT NULL REFERENCES accounts (id),
    key_type           TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
    certificate_serial TEXT NOT NULL REFERENCES certificates (serial),
    sealed_key         BLOB NOT NULL,
    kdf_salt           BLOB NOT NULL,
    kdf_params         TEXT NOT NULL,
    seal_version       INTEGER NOT NULL,
    created_at         BIGINT NOT NULL
);
CREATE INDEX credentials_account ON credentials (account_id);

CREATE TABLE access_tokens (
    token_hash BLOB PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    expires_at BIGINT NOT NULL,
    revoked    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sads (
    id            TEXT PRIMARY KEY,
    credential_id TEXT NOT NULL REFERENCES credentials (id),
    account_id    TEXT NOT NULL REFERENCES accounts (id),
    remaining     INTEGER NOT NULL,
    expires_at    BIGINT NOT NULL,
    hash_alg      TEXT NOT NULL,
    hashes        BLOB NOT NULL
);
CREATE INDEX sads_expiry ON sads (expires_at);
