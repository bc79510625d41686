-- Figures the national portal published for an agency and period, as an administrator entered or uploaded them,
-- with the portal's list of dossiers when it has one: what the reconciliation report compares against.
CREATE TABLE portal_figures (
  agency_code  text NOT NULL REFERENCES agencies (code),
  period       text NOT NULL,
  convention   text NOT NULL,
  figures      jsonb NOT NULL,
  dossiers     jsonb,
  source       text NOT NULL,
  entered_by   text NOT NULL,
  entered_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (agency_code, period, convention)
);
