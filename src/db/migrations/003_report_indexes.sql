-- Reports select the dossiers relevant to a period (received before its end, not finished before its start)
-- and group them by receiving agency.
CREATE INDEX dossiers_finished_at ON dossiers (finished_at);
CREATE INDEX dossiers_receiving_agency ON dossiers (receiving_agency_code, received_at);
