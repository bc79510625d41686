-- Every calendar import is a revision: what was loaded, by whom, and what it changed.
CREATE TABLE calendar_revisions (
  revision    serial PRIMARY KEY,
  year        integer NOT NULL,
  file        jsonb NOT NULL,
  summary     jsonb NOT NULL DEFAULT '{}',
  applied_at  timestamptz NOT NULL DEFAULT now(),
  applied_by  text NOT NULL
);
-- Years loaded before revisions were recorded count as one revision each.
INSERT INTO calendar_revisions (year, file, applied_at, applied_by)
SELECT year, schedule, updated_at, updated_by FROM calendar_years ORDER BY updated_at;
