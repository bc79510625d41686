/**
 * Agencies' warning thresholds (issue 26 item 3): one row per agency that sets its own; the others inherit
 * (rules/warning-thresholds.ts resolveWarningSettings). Written by the admin API, read by the warning scan.
 */
import type pg from 'pg';
import { warningSettingsSchema, type WarningSettings } from '../rules/warning-thresholds.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

/** Every agency's own settings, by agency code. */
export async function allWarningSettings(db: Queryable): Promise<Map<string, WarningSettings>> {
  const { rows } = await db.query<{ agency_code: string; settings: unknown }>('SELECT agency_code, settings FROM warning_settings');
  // Stored through the schema; parsed again so a row written by an older release reads with today's defaults.
  return new Map(rows.map((r) => [r.agency_code, warningSettingsSchema.parse(r.settings)]));
}

export async function saveWarningSettings(db: Queryable, agencyCode: string, settings: WarningSettings, actorId: string | null): Promise<void> {
  await db.query(
    `INSERT INTO warning_settings (agency_code, settings, updated_by) VALUES ($1, $2, $3)
     ON CONFLICT (agency_code) DO UPDATE SET settings = excluded.settings, updated_at = now(), updated_by = excluded.updated_by`,
    [agencyCode, JSON.stringify(settings), actorId],
  );
}

/** False when the agency had no settings of its own. */
export async function deleteWarningSettings(db: Queryable, agencyCode: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM warning_settings WHERE agency_code = $1', [agencyCode]);
  return !!rowCount;
}

/** The active people among `ids`: their e-mail, name and agencies (the scan's recipients, the API's checks). */
export async function activePeopleByIds(db: Queryable, ids: string[]): Promise<Map<string, { name: string; email: string; agencyCodes: string[] }>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; name: string; email: string; agency_codes: string[] }>(
    'SELECT id::text, name, email, agency_codes FROM people WHERE id::text = ANY($1::text[]) AND deactivated_at IS NULL',
    [ids],
  );
  return new Map(rows.map((r) => [r.id, { name: r.name, email: r.email, agencyCodes: r.agency_codes }]));
}
