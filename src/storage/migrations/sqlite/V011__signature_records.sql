-- #16: the public record of each PDF signature, what its QR code opens (/verify?ref=…): who, when, the level, the
-- digest signed (SHA-256 of the byte ranges) and the certificate, whose status is read live. Written in the same
-- transaction as the signature's "document.signed" audit event; the document itself is never stored.
CREATE TABLE signature_records (
    reference          TEXT PRIMARY KEY,
    account_id         TEXT NOT NULL,
    credential_id      TEXT NOT NULL,
    certificate_serial TEXT NOT NULL,
    signed_digest      BLOB NOT NULL,
    level              TEXT NOT NULL,
    signed_at          BIGINT NOT NULL
);
CREATE INDEX signature_records_account ON signature_records (account_id, signed_at);
