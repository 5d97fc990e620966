-- TOTP enrolment at the signer's first sign-in (sqlite): an account opened by the registration office has no second
-- factor until its owner enrols one in the portal, so nobody at the office ever sees it. Accounts made before this
-- version were given their secret at creation: they count as enrolled then.
ALTER TABLE accounts ADD COLUMN totp_enrolled_at BIGINT NOT NULL DEFAULT 0;
UPDATE accounts SET totp_enrolled_at = created_at;
