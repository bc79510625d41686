-- The weekly reminder to administrators while next year's Tết schedule is not loaded.
ALTER TABLE alert_outbox DROP CONSTRAINT alert_outbox_kind_check;
ALTER TABLE alert_outbox ADD CONSTRAINT alert_outbox_kind_check CHECK (kind IN ('due_soon', 'overdue', 'digest', 'calendar_reminder'));
