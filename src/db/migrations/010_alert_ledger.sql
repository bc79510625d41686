-- One row per alert (a dossier, a due instant, a recipient): what makes "exactly once per alert" hold now that
-- one message may carry several alerts. Alerts already written to the outbox count as sent.
CREATE TABLE alerts (
  dedupe_key   text PRIMARY KEY,
  kind         text NOT NULL,
  dossier_code text NOT NULL,
  due_at       timestamptz NOT NULL,
  recipient    text NOT NULL,
  outbox_id    bigint REFERENCES alert_outbox(id),
  created_at   timestamptz NOT NULL DEFAULT now()
);
INSERT INTO alerts (dedupe_key, kind, dossier_code, due_at, recipient, outbox_id, created_at)
SELECT dedupe_key, kind, dossier_code, due_at, recipient, id, created_at FROM alert_outbox
WHERE kind IN ('due_soon', 'overdue') AND dossier_code IS NOT NULL AND due_at IS NOT NULL
ON CONFLICT DO NOTHING;
