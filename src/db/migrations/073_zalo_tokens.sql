-- Issue 27: Zalo's OA access token lasts about 25 hours and its refresh token can be used once (each refresh gives a
-- new pair). The pair in force is kept here, one row, so that every process sends with it and a restart does not go
-- back to the spent pair in the environment. `seed` is a hash of the pair the environment gave (ZALO_ACCESS_TOKEN,
-- ZALO_REFRESH_TOKEN): a province that authorizes the OA again and sets a new pair replaces the row.
-- Not in backups (a live secret): after a restore the OA is authorized again.
CREATE TABLE zalo_tokens (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  seed text NOT NULL,
  access_token text NOT NULL,
  refresh_token text,
  expires_at timestamptz,
  refreshed_at timestamptz
);
