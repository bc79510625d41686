/**
 * The register of apology letters (sổ theo dõi văn bản xin lỗi; issue 25 item 4): every apology issued in a period
 * within the caller's agencies, from the log, where the issued fact is (letter-workflow.ts: issuing records
 * `apology_issued`). With each, the signature that preceded it (`letter_signed` of the apology form) and whom its
 * actor id names (the actors view); none for an apology recorded without the workflow.
 */
import type pg from 'pg';

export interface ApologyRegisterRow {
  dossier_code: string;
  issued_at: Date;
  reason: string;
  new_due_at: string;
  procedure_code: string;
  receiving_agency_code: string;
  received_at: Date;
  original_due_at: Date;
  /** The dossier's current apology (state.apology), to read the appointment it moved from when it is this one. */
  apology: { issuedAt: number; previousDueAt: number; reschedules: boolean } | null;
  signed_by: string | null;
  signer: string | null;
  certificate: string | null;
  signed_at: Date | null;
}

const REGISTER = `
SELECT e.dossier_code, e.occurred_at AS issued_at, e.body->>'reason' AS reason, e.body->>'newDueAt' AS new_due_at,
       d.procedure_code, d.receiving_agency_code, d.received_at, d.original_due_at, d.state->'apology' AS apology,
       s.body->>'by' AS signed_by, a.name AS signer, s.body->>'certificate' AS certificate, s.occurred_at AS signed_at
FROM dossier_events e
JOIN dossiers d ON d.code = e.dossier_code
LEFT JOIN LATERAL (
  SELECT x.body, x.occurred_at FROM dossier_events x
  WHERE x.dossier_code = e.dossier_code AND x.type = 'letter_signed' AND x.body->>'form' = 'apology'
    AND (x.occurred_at, x.seq) <= (e.occurred_at, e.seq)
  ORDER BY x.occurred_at DESC, x.seq DESC LIMIT 1
) s ON true
LEFT JOIN actors a ON a.id::text = s.body->>'by'
WHERE e.type = 'apology_issued' AND e.occurred_at >= $1 AND e.occurred_at < $2 AND ($3::text[] IS NULL OR d.agency_codes && $3::text[])
ORDER BY e.occurred_at, e.seq`;

/** The apologies issued in [from, to) on dossiers of the agencies (null: all), in the order they were issued. */
export async function apologyRegister(pool: pg.Pool, range: { from: number; to: number }, agencies: string[] | null): Promise<ApologyRegisterRow[]> {
  const { rows } = await pool.query<ApologyRegisterRow>(REGISTER, [new Date(range.from), new Date(range.to), agencies]);
  return rows;
}
