/**
 * The figures the national portal published for an agency and period, as an administrator entered them (with its
 * dossier list when given): one row per agency, period and convention, replaced by a new entry.
 */
import type pg from 'pg';
import type { PortalFigures, PortalUpload } from '../reports/reconciliation.js';

/** Records an upload (replacing an earlier one for the same agency, period and convention), with who entered it. */
export async function savePortalFigures(pool: pg.Pool, e: PortalUpload & { enteredBy: string }): Promise<void> {
  await pool.query(
    `INSERT INTO portal_figures (agency_code, period, convention, figures, dossiers, source, entered_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (agency_code, period, convention) DO UPDATE SET figures = excluded.figures, dossiers = excluded.dossiers, source = excluded.source,
       entered_by = excluded.entered_by, entered_at = now()`,
    [e.agency, e.period, e.convention, JSON.stringify(e.figures), e.dossiers ? JSON.stringify(e.dossiers) : null, e.source, e.enteredBy],
  );
}

export interface StoredPortalFigures {
  figures: PortalFigures;
  dossiers: Array<{ MaHoSo: string; judgment: 'on_time' | 'late' | 'on_track' | 'overdue' }> | null;
  source: string;
  entered_by: string;
  entered_at: Date;
}

export async function portalFiguresOf(pool: pg.Pool, agency: string, period: string, convention: string): Promise<StoredPortalFigures | undefined> {
  const { rows } = await pool.query<StoredPortalFigures>(
    'SELECT figures, dossiers, source, entered_by, entered_at FROM portal_figures WHERE agency_code = $1 AND period = $2 AND convention = $3',
    [agency, period, convention],
  );
  return rows[0];
}
