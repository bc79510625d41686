-- Issue 26: each step of a dossier (its hand-overs) as rows beside the dossier, so that where lateness comes from can
-- be reported by agency and step for any period without reading every dossier's state, and the step scans can ask
-- which steps fell due since they last looked. Written by the projection with the dossier
-- (store/dossier-projection.ts), from the fold's steps (src/dossiers/steps.ts): `budget_due_at` is the step's due
-- instant before any wait for the citizen, `pauses` the waits ([from, to) and the working ms in them), so a step is
-- judged at any instant as it then was (stepTimingAt), in the office hours it was counted in.
CREATE TABLE dossier_steps (
  dossier_code text NOT NULL,
  position integer NOT NULL,
  agency_code text NOT NULL,
  step text NOT NULL,
  holder jsonb,
  budget jsonb,
  office_hours jsonb NOT NULL,
  started_at timestamptz NOT NULL,
  budget_due_at timestamptz,
  due_at timestamptz,
  pauses jsonb NOT NULL DEFAULT '[]',
  ended_at timestamptz,
  PRIMARY KEY (dossier_code, position)
);
-- Steps that ended in a period (the overruns report) and open steps by due instant (the report's open overruns, the scans).
CREATE INDEX dossier_steps_ended ON dossier_steps (ended_at) WHERE budget_due_at IS NOT NULL AND ended_at IS NOT NULL;
CREATE INDEX dossier_steps_open_due ON dossier_steps (due_at) WHERE ended_at IS NULL AND due_at IS NOT NULL;

-- Dossiers folded before: their steps as stored (states without the new fields read as a step that never waited).
INSERT INTO dossier_steps (dossier_code, position, agency_code, step, holder, budget, office_hours, started_at, budget_due_at, due_at, pauses, ended_at)
SELECT d.code, (x.ord - 1)::integer, x.s->>'agencyCode', x.s->>'step', (x.s->'holder')::jsonb, (x.s->'budget')::jsonb,
       coalesce(x.s->'officeHours', d.state->'rules'->'policies'->'officeHours', '["08:00-12:00","13:00-17:00"]')::jsonb,
       to_timestamp((x.s->>'startedAt')::float8 / 1000),
       to_timestamp((coalesce(x.s->>'budgetDueAt', x.s->>'dueAt'))::float8 / 1000),
       to_timestamp((x.s->>'dueAt')::float8 / 1000),
       coalesce(x.s->'pauses', '[]')::jsonb,
       to_timestamp((x.s->>'endedAt')::float8 / 1000)
FROM dossiers d CROSS JOIN LATERAL json_array_elements(d.state->'steps') WITH ORDINALITY AS x(s, ord);
