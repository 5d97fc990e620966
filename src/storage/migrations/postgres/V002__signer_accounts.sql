-- Signer accounts, credentials under key custody, CSC access tokens and SADs (PostgreSQL).
CREATE TABLE accounts (
    id                  TEXT PRIMARY KEY,
    username            TEXT NOT NULL UNIQUE,
    display_name        TEXT NOT NULL,
    agency              TEXT NOT NULL,
    email               TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('active', 'locked', 'suspended', 'revoked')),
    login_password_hash TEXT NOT NULL,
    totp_secret_sealed  BYTEA,
    totp_last_step      BIGINT NOT NULL DEFAULT 0,
    failed_attempts     INTEGER NOT NULL DEFAULT 0,
    created_at          BIGINT NOT NULL
);
-- The username can never change once the account exists (domain rule; no code path, API or migration may do it).
CREATE FUNCTION accounts_username_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.username IS DISTINCT FROM OLD.username THEN
        RAISE EXCEPTION 'the username of an account can never change';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER accounts_username_immutable BEFORE UPDATE ON accounts
FOR EACH ROW EXECUTE FUNCTION accounts_username_immutable();

CREATE TABLE credentials (
    id                 TEXT PRIMARY KEY,
    account_id         TEXT NOT NULL REFERENCES accounts (id),
    key_type           TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
    certificate_serial TEXT NOT NULL REFERENCES certificates (serial),
    sealed_key         BYTEA NOT NULL,
    kdf_salt           BYTEA NOT NULL,
    kdf_params         TEXT NOT NULL,
    seal_version       INTEGER NOT NULL,
    created_at         BIGINT NOT NULL
);
CREATE INDEX credentials_account ON credentials (account_id);

CREATE TABLE access_tokens (
    token_hash BYTEA PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    expires_at BIGINT NOT NULL,
    revoked    SMALLINT NOT NULL DEFAULT 0
);

CREATE TABLE sads (
    id            TEXT PRIMARY KEY,
    credential_id TEXT NOT NULL REFERENCES credentials (id),
    account_id    TEXT NOT NULL REFERENCES accounts (id),
    remaining     INTEGER NOT NULL,
    expires_at    BIGINT NOT NULL,
    hash_alg      TEXT NOT NULL,
    hashes        BYTEA NOT NULL
);
CREATE INDEX sads_expiry ON sads (expires_at);
