-- #14 (sqlite): a signer who forgot the login password or lost the authenticator books a 'recovery' appointment;
-- the office resets the sign-in there (ID matched, four eyes). SQLite cannot alter a CHECK, so the table is rebuilt.
CREATE TABLE appointments_v8 (
    id          TEXT PRIMARY KEY,
    purpose     TEXT NOT NULL CHECK (purpose IN ('unlock', 'rekey', 'registration', 'recovery')),
    slot_start  BIGINT NOT NULL REFERENCES appointment_slots (slot_start),
    person_name TEXT NOT NULL,
    contact     TEXT NOT NULL,
    code_mac    BLOB NOT NULL UNIQUE,   -- HMAC (HSM key) of the confirmation code; the code itself is never stored
    status      TEXT NOT NULL CHECK (status IN ('booked', 'cancelled', 'attended')),
    created_at  BIGINT NOT NULL
);
INSERT INTO appointments_v8 (id, purpose, slot_start, person_name, contact, code_mac, status, created_at)
    SELECT id, purpose, slot_start, person_name, contact, code_mac, status, created_at FROM appointments;
DROP TABLE appointments;
ALTER TABLE appointments_v8 RENAME TO appointments;
CREATE INDEX appointments_contact ON appointments (contact, purpose, status);
