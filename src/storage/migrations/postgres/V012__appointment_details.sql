-- #16: the booking asks what the clerk needs before the person comes: the agency (to register) and the cloud-signing
-- username (to unlock, re-key or recover). Bookings made before this have neither.
ALTER TABLE appointments ADD COLUMN agency TEXT NOT NULL DEFAULT '';
ALTER TABLE appointments ADD COLUMN username TEXT NOT NULL DEFAULT '';
