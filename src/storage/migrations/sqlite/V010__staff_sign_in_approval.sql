-- #14: a sign-in with a decision role (supervisor, CA administrator) made or reset by an administrator waits for a
-- second administrator. Its one-time password is split in two parts: the first is shown to the administrator who asked,
-- the second is sealed under an HSM key here until another administrator approves and is shown only to them. While
-- approval_part_sealed is set the sign-in cannot be used; neither administrator alone knows the password.
ALTER TABLE staff_users ADD COLUMN approval_part_sealed BLOB;
ALTER TABLE staff_users ADD COLUMN requested_by TEXT;
