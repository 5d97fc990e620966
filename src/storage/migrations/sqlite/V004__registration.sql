-- Registration office: staff sign-in, agencies, representatives, authorisation letters, applications and service
-- requests, uploaded documents (sqlite).
ALTER TABLE staff_users ADD COLUMN totp_secret_sealed BLOB;
ALTER TABLE staff_users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
ALTER TABLE staff_users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE staff_users ADD COLUMN status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'locked', 'disabled'));
ALTER TABLE staff_users ADD COLUMN representative_id TEXT;   -- set for an agency representative's sign-in

CREATE TABLE staff_tokens (
    token_hash BLOB PRIMARY KEY,   -- SHA-256 of the bearer token; the token itself is never stored
    username   TEXT NOT NULL REFERENCES staff_users (username),
    expires_at BIGINT NOT NULL,
    revoked    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX staff_tokens_expiry ON staff_tokens (expires_at);

-- Accounts opened by the registration office start with one-time secrets the user must replace before signing.
ALTER TABLE accounts ADD COLUMN must_change_signing_password INTEGER NOT NULL DEFAULT 0;

-- RA case files (agency, representative, letter, application, request) as versioned JSON documents; the columns are
-- what queries and the optimistic concurrency check need. A transition is UPDATE … WHERE version = the one read.
CREATE TABLE ra_records (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('agency', 'representative', 'letter', 'application', 'request')),
    agency_id  TEXT NOT NULL,
    status     TEXT NOT NULL,
    version    BIGINT NOT NULL,
    data       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX ra_records_kind ON ra_records (kind, status);
CREATE INDEX ra_records_agency ON ra_records (agency_id, kind);

-- Names that must be unique while held: agency codes, usernames of open applications.
CREATE TABLE ra_unique_keys (
    key       TEXT PRIMARY KEY,
    record_id TEXT NOT NULL REFERENCES ra_records (id)
);

-- Keyed hashes (HSM HMAC) of ID document numbers, to find a person's files without storing the number in clear.
CREATE TABLE ra_identity_index (
    mac       BLOB NOT NULL,
    record_id TEXT NOT NULL REFERENCES ra_records (id),
    PRIMARY KEY (mac, record_id)
);

-- Uploaded documents, content-addressed: the key is the SHA-256 of the bytes, so a document is stored once.
CREATE TABLE documents (
    sha256     TEXT PRIMARY KEY,
    media_type TEXT NOT NULL CHECK (media_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size       BIGINT NOT NULL,
    content    BLOB NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE ra_attachments (
    record_id   TEXT NOT NULL REFERENCES ra_records (id),
    doc_type    TEXT NOT NULL,
    sha256      TEXT NOT NULL REFERENCES documents (sha256),
    attached_by TEXT NOT NULL,
    attached_at BIGINT NOT NULL,
    PRIMARY KEY (record_id, doc_type, sha256)
);
