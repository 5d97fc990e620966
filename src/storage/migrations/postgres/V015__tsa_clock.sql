-- #17 (the clock jumping back): the latest genTime the TSA has put in a token, in milliseconds, kept with the serial
-- counter so that a node whose clock went back refuses to time-stamp (RFC 3161 failInfo timeNotAvailable) instead of
-- dating a token before one it already issued.
INSERT INTO counters (name, value) VALUES ('tsa_latest_time_ms', 0);
