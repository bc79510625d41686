-- Where each alert scan stopped: the instant it judged and the event chain position it had seen. The next scan looks
-- only at dossiers whose threshold was crossed since, or that received events since (chain positions are given in
-- commit order under the chain head's lock, so none is skipped). No row: the next scan looks at everything.
CREATE TABLE scan_watermarks (
  kind       text PRIMARY KEY,
  scanned_at timestamptz NOT NULL,
  chain_pos  bigint NOT NULL
);
