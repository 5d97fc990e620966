-- #16: e-mail notices, queued in the same transaction as the audited change they report (an outbox: nothing is lost
-- when the mail server is down) and sent by each node's dispatcher, which claims rows with a lease so two nodes never
-- send the same row at once. Rows name an audience ("account:ID", "agency:ID", "application:ID"); the address is looked
-- up when the mail is sent, so no e-mail address is copied here. Rows sharing a group_key (a signer's daily digest)
-- leave as one mail; a dedupe_key (an expiry warning per certificate and threshold) is queued once.
CREATE TABLE notices (
    id            BIGSERIAL PRIMARY KEY,
    kind          TEXT NOT NULL,
    audience      TEXT NOT NULL,
    params        TEXT NOT NULL,
    group_key     TEXT NOT NULL DEFAULT '',
    dedupe_key    TEXT UNIQUE,
    created_at    BIGINT NOT NULL,
    not_before    BIGINT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'abandoned')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT NOT NULL DEFAULT '',
    claim_token   TEXT NOT NULL DEFAULT '',
    claimed_until BIGINT NOT NULL DEFAULT 0,
    sent_at       BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX notices_due ON notices (status, not_before);
CREATE INDEX notices_group ON notices (group_key);
-- the expiry warnings look for certificates nearing their end
CREATE INDEX certificates_not_after ON certificates (not_after);
-- how a signer is told of each signing made with their key: 'each' (a mail per signing) or 'daily' (one digest a day)
ALTER TABLE accounts ADD COLUMN signing_notices TEXT NOT NULL DEFAULT 'each';
