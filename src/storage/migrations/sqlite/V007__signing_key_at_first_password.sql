-- #14 (sqlite): an account the registration office opens has no signing key until its owner chooses the signing
-- password in the portal; the key and certificate are made then, so the PIN letter carries no signing secret.
-- must_change_signing_password becomes awaiting_signing_key. An account opened before this version under a one-time
-- signing password keeps the flag: its first own signing password replaces that key (the old certificate is revoked as
-- superseded). The account keeps what the key's certificate needs: department (OU), title and the key type applied for.
ALTER TABLE accounts RENAME COLUMN must_change_signing_password TO awaiting_signing_key;
ALTER TABLE accounts ADD COLUMN department TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN key_type TEXT NOT NULL DEFAULT '';
