-- #14 (postgres): a signer who forgot the login password or lost the authenticator books a 'recovery' appointment;
-- the office resets the sign-in there (ID matched, four eyes).
ALTER TABLE appointments DROP CONSTRAINT appointments_purpose_check;
ALTER TABLE appointments ADD CONSTRAINT appointments_purpose_check
    CHECK (purpose IN ('unlock', 'rekey', 'registration', 'recovery'));
