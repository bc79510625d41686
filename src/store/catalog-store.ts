/**
 * Agencies and procedures in the database: load them into a Catalog, and
 * write a catalogue (the sample province, or an administrator's import).
 */
import type pg from 'pg';
import { Catalog } from '../catalog/catalog.js';
import { agencySchema, procedureSchema, type Agency, type Procedure } from '../catalog/schemas.js';

export async function loadCatalog(pool: pg.Pool): Promise<Catalog> {
  const agencies = await pool.query(
    `SELECT code, name, kind, parent_code, to_char(valid_from, 'YYYY-MM-DD') AS valid_from,
            to_char(valid_to, 'YYYY-MM-DD') AS valid_to, email, settings, source FROM agencies`,
  );
  const procedures = await pool.query('SELECT * FROM procedures');
  return new Catalog(
    agencies.rows.map((r) =>
      agencySchema.parse({
        code: r.code,
        name: r.name,
        kind: r.kind,
        parentCode: r.parent_code,
        validFrom: r.valid_from,
        validTo: r.valid_to,
        email: r.email,
        settings: r.settings,
        source: r.source,
      }),
    ),
    procedures.rows.map((r) =>
      procedureSchema.parse({
        code: r.code,
        name: r.name,
        field: r.field,
        duration: { value: r.duration_value, unit: r.duration_unit },
        onlineLevel: r.online_level,
        feeRequired: r.fee_required,
        paperResult: r.paper_result,
        steps: r.steps,
        receiptCutoff: r.receipt_cutoff,
        source: r.source,
      }),
    ),
  );
}

/** Inserts or updates agencies and procedures, one statement each (foreign keys are checked at the statement's end). */
export async function saveCatalog(client: pg.ClientBase, agencies: Agency[], procedures: Procedure[]): Promise<void> {
  await client.query(
    `INSERT INTO agencies (code, name, kind, parent_code, valid_from, valid_to, email, settings, source)
     SELECT a.code, a.name, a.kind, a."parentCode", a."validFrom"::date, a."validTo"::date, a.email, coalesce(a.settings, '{}'), a.source
     FROM jsonb_to_recordset($1::jsonb) AS a(code text, name text, kind text, "parentCode" text, "validFrom" text,
          "validTo" text, email text, settings jsonb, source text)
     ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, parent_code = excluded.parent_code,
       valid_from = excluded.valid_from, valid_to = excluded.valid_to, email = excluded.email, settings = excluded.settings,
       source = excluded.source`,
    [JSON.stringify(agencies)],
  );
  await client.query(
    `INSERT INTO procedures (code, name, field, duration_value, duration_unit, online_level, fee_required, paper_result, steps, receipt_cutoff, source)
     SELECT p.code, p.name, p.field, (p.duration->>'value')::numeric, p.duration->>'unit', p."onlineLevel", p."feeRequired",
            coalesce(p."paperResult", true), coalesce(p.steps, '[]'), p."receiptCutoff", p.source
     FROM jsonb_to_recordset($1::jsonb) AS p(code text, name text, field text, duration jsonb, "onlineLevel" text,
          "feeRequired" boolean, "paperResult" boolean, steps jsonb, "receiptCutoff" text, source text)
     ON CONFLICT (code) DO UPDATE SET name = excluded.name, field = excluded.field, duration_value = excluded.duration_value,
       duration_unit = excluded.duration_unit, online_level = excluded.online_level, fee_required = excluded.fee_required,
       paper_result = excluded.paper_result,
       steps = excluded.steps, receipt_cutoff = excluded.receipt_cutoff, source = excluded.source`,
    [JSON.stringify(procedures)],
  );
}
