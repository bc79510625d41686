-- The address a personal-data read came from: the client's, as Express reads it under TRUST_PROXY (behind a
-- reverse proxy, the proxy's own address said nothing). Null for reads before this column and for the CLI.
ALTER TABLE personal_data_reads ADD COLUMN client_address inet;
