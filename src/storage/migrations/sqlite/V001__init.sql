-- yunqian schema v1 (SQLite). Never edit after release; add V002__… instead.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('crl_number', 0), ('tsa_serial', 0), ('status_epoch', 0);

-- Audit chain head: one row, updated by every append under the write lock.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash BLOB NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, zeroblob(32));

CREATE TABLE audit_events (
    seq       BIGINT PRIMARY KEY,
    time      BIGINT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    object    TEXT NOT NULL,
    details   TEXT NOT NULL,
    prev_hash BLOB NOT NULL,
    hash      BLOB NOT NULL
);
-- Append-only (defence in depth; `yunqian audit verify` catches whoever drops these).
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

CREATE TABLE audit_head_signatures (
    seq       BIGINT PRIMARY KEY,
    hash      BLOB NOT NULL,
    signature BLOB NOT NULL,
    signed_at BIGINT NOT NULL
);

-- CA, OCSP responder, TSA and audit signer certificates with the HSM label of their key.
CREATE TABLE ca_material (
    name        TEXT PRIMARY KEY,
    certificate BLOB NOT NULL,
    key_label   TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE certificates (
    serial          TEXT PRIMARY KEY,
    profile         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    not_before      BIGINT NOT NULL,
    not_after       BIGINT NOT NULL,
    der             BLOB NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('valid', 'revoked')),
    revoked_at      BIGINT,
    reason          TEXT,
    invalidity_date BIGINT,
    created_at      BIGINT NOT NULL
);
CREATE INDEX certificates_revoked ON certificates (status) WHERE status = 'revoked';

CREATE TABLE crls (
    number      BIGINT PRIMARY KEY,
    this_update BIGINT NOT NULL,
    next_update BIGINT NOT NULL,
    der         BLOB NOT NULL
);

CREATE TABLE ocsp_responses (
    serial      TEXT PRIMARY KEY REFERENCES certificates (serial),
    this_update BIGINT NOT NULL,
    next_update BIGINT NOT NULL,
    der         BLOB NOT NULL
);

CREATE TABLE staff_users (
    username             TEXT PRIMARY KEY,
    password_hash        TEXT NOT NULL,
    roles                TEXT NOT NULL,
    must_change_password INTEGER NOT NULL,
    created_at           BIGINT NOT NULL
);
