/** Row types of the tables, for Kysely. Mirrors migrations/*.sql. */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface AgenciesTable {
  code: string;
  name: string;
  kind: string;
  parent_code: string | null;
  valid_from: string;
  valid_to: string | null;
  email: string | null;
  settings: unknown;
  source: string;
}

export interface ProceduresTable {
  code: string;
  name: string;
  field: string;
  duration_value: number;
  duration_unit: string;
  online_level: string;
  fee_required: boolean;
  steps: unknown;
  receipt_cutoff: string | null;
  source: string;
  paper_result: boolean;
  field_code: string | null;
  valid_from: string;
  valid_to: string | null;
}

export interface CalendarYearsTable {
  year: number;
  schedule: unknown;
  updated_at: Generated<Date>;
  updated_by: string;
}

export interface ApiKeysTable {
  id: string;
  label: string;
  role: string;
  agency_codes: string[];
  key_hash: string;
  created_at: Generated<Date>;
  revoked_at: Timestamp | null;
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
  rotated_from: string | null;
}

export interface DossierEventsTable {
  seq: Generated<number>;
  event_id: string;
  dossier_code: string;
  type: string;
  occurred_at: Timestamp;
  body: unknown;
  body_hash: string;
  recorded_at: Generated<Date>;
  key_id: string | null;
  key_role: string | null;
}

export interface DossiersTable {
  code: string;
  status: string;
  procedure_code: string;
  field: string;
  receiving_agency_code: string;
  current_agency_code: string;
  agency_codes: string[];
  channel: string;
  fee_required: boolean;
  paid_online: boolean;
  digitized: boolean;
  received_at: Timestamp;
  clock_starts_at: Timestamp;
  due_at: Timestamp;
  original_due_at: Timestamp;
  due_soon_at: Timestamp;
  paused: boolean;
  /** When the wait for the citizen began (the state's pausedSince), while paused. */
  waiting_since: Timestamp | null;
  provisional: boolean;
  finished_at: Timestamp | null;
  outcome: string | null;
  flags: string[];
  calendar_version: string;
  last_event_seq: number;
  /** The state's stateVersion, asked of every dossier at start (migration 019). */
  state_version: number | null;
  /** The folded state, stored as json: written and read whole (migration 019). */
  state: unknown;
}

export interface Database {
  agencies: AgenciesTable;
  procedures: ProceduresTable;
  calendar_years: CalendarYearsTable;
  api_keys: ApiKeysTable;
  dossier_events: DossierEventsTable;
  dossiers: DossiersTable;
}
