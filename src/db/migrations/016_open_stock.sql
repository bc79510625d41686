-- Issue 13: a running period's open stock is judged now from the dossiers open now (report-store.ts openStockNow),
-- and a large province has ~100,000 of them (docs/capacity.md). Everything that judgment reads, and the open and
-- overdue gauge of /metrics, is in this partial index: an index-only read of the open dossiers instead of their 2 kB
-- rows. It replaces dossiers_open, whose one column it leads with.
DROP INDEX dossiers_open;
CREATE INDEX dossiers_open_stock ON dossiers (receiving_agency_code)
  INCLUDE (received_at, judged_from, rate_overdue_after, due_at, code) WHERE finished_at IS NULL;

-- The dashboard's action lists count what they list, over the open stock: each count an index-only read.
DROP INDEX dossiers_open_due_soon;
CREATE INDEX dossiers_open_due_soon ON dossiers (due_soon_at) INCLUDE (due_at, paused) WHERE finished_at IS NULL;
-- Waiting for the citizen, by when the wait began (the state's pausedSince, epoch ms).
CREATE INDEX dossiers_waiting_since ON dossiers (((state->>'pausedSince')::bigint)) WHERE finished_at IS NULL AND paused;
