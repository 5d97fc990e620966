-- Appointments at the registration office (unlock, forgotten password / re-key, registration) (PostgreSQL).
CREATE TABLE appointment_slots (
    slot_start BIGINT PRIMARY KEY,
    booked     INTEGER NOT NULL CHECK (booked >= 0)
);

CREATE TABLE appointments (
    id          TEXT PRIMARY KEY,
    purpose     TEXT NOT NULL CHECK (purpose IN ('unlock', 'rekey', 'registration')),
    slot_start  BIGINT NOT NULL REFERENCES appointment_slots (slot_start),
    person_name TEXT NOT NULL,
    contact     TEXT NOT NULL,
    code_mac    BYTEA NOT NULL UNIQUE,   -- HMAC (HSM key) of the confirmation code; the code itself is never stored
    status      TEXT NOT NULL CHECK (status IN ('booked', 'cancelled', 'attended')),
    created_at  BIGINT NOT NULL
);
CREATE INDEX appointments_contact ON appointments (contact, purpose, status);
