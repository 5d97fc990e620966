-- #14: an access token records whether its sign-in proved the second factor (the portal's password + code) or only
-- the login password (CSC auth/login, which has no field for a code). The portal takes only the former.
ALTER TABLE access_tokens ADD COLUMN second_factor INTEGER NOT NULL DEFAULT 0;
