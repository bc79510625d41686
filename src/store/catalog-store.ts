/**
 * Agencies and procedure versions in the database: load them into a Catalog,
 * write them, and apply an administrator's import as one recorded revision.
 */
import type pg from 'pg';
import { Catalog } from '../catalog/catalog.js';
import { agencySchema, procedureSchema, type Agency, type Procedure } from '../catalog/schemas.js';
import type { CatalogPlan } from '../catalog/catalog-plan.js';
import { inTransaction } from '../db/database.js';

/** Every process reloads its catalogue when an import is applied anywhere. */
export const CATALOG_CHANNEL = 'dunghan_catalog';

/** No agency at all: a province that has not run `dunghan init` nor loaded the sample yet. */
export async function hasNoAgencies(pool: pg.Pool): Promise<boolean> {
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM agencies');
  return rows[0]!.n === 0;
}

export async function loadCatalog(pool: pg.Pool): Promise<Catalog> {
  const agencies = await pool.query(
    `SELECT code, name, kind, parent_code, to_char(valid_from, 'YYYY-MM-DD') AS valid_from,
            to_char(valid_to, 'YYYY-MM-DD') AS valid_to, email, settings, source FROM agencies`,
  );
  const procedures = await pool.query(`SELECT *, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to FROM procedures`);
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
        fieldCode: r.field_code,
        duration: { value: Number(r.duration_value), unit: r.duration_unit },
        onlineLevel: r.online_level,
        feeRequired: r.fee_required,
        paperResult: r.paper_result,
        steps: r.steps,
        receiptCutoff: r.receipt_cutoff,
        receiptCutoffSource: r.receipt_cutoff_source,
        source: r.source,
        validFrom: r.valid_from,
        validTo: r.valid_to,
      }),
    ),
  );
}

/** Inserts or updates agencies and procedure versions, one statement each (foreign keys are checked at the statement's end). */
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
    `INSERT INTO procedures (code, name, field, field_code, duration_value, duration_unit, online_level, fee_required, paper_result,
                             steps, receipt_cutoff, receipt_cutoff_source, source, valid_from, valid_to)
     SELECT p.code, p.name, p.field, p."fieldCode", (p.duration->>'value')::numeric, p.duration->>'unit', p."onlineLevel", p."feeRequired",
            coalesce(p."paperResult", true), coalesce(p.steps, '[]'), p."receiptCutoff", p."receiptCutoffSource", p.source,
            coalesce(p."validFrom", '2000-01-01')::date, p."validTo"::date
     FROM jsonb_to_recordset($1::jsonb) AS p(code text, name text, field text, "fieldCode" text, duration jsonb, "onlineLevel" text,
          "feeRequired" boolean, "paperResult" boolean, steps jsonb, "receiptCutoff" text, "receiptCutoffSource" text, source text,
          "validFrom" text, "validTo" text)
     ON CONFLICT (code, valid_from) DO UPDATE SET name = excluded.name, field = excluded.field, field_code = excluded.field_code,
       duration_value = excluded.duration_value, duration_unit = excluded.duration_unit, online_level = excluded.online_level,
       fee_required = excluded.fee_required, paper_result = excluded.paper_result, steps = excluded.steps,
       receipt_cutoff = excluded.receipt_cutoff, receipt_cutoff_source = excluded.receipt_cutoff_source, source = excluded.source, valid_to = excluded.valid_to`,
    [JSON.stringify(procedures)],
  );
}

/**
 * Dossiers already received under a procedure at or after a day: a version that starts on a past day does not
 * re-time them (their rules were pinned at receipt), and the preview says how many they are.
 */
export async function receivedSince(pool: pg.Pool, versions: Array<{ code: string; validFrom: string }>): Promise<Map<string, number>> {
  if (!versions.length) return new Map();
  const { rows } = await pool.query<{ code: string; valid_from: string; n: number }>(
    `SELECT v.code, v."validFrom" AS valid_from, count(d.code)::int AS n
     FROM jsonb_to_recordset($1::jsonb) AS v(code text, "validFrom" text)
     LEFT JOIN dossiers d ON d.procedure_code = v.code AND d.received_at >= (v."validFrom"::date)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'
     GROUP BY 1, 2`,
    [JSON.stringify(versions)],
  );
  return new Map(rows.map((r) => [`${r.code}@${r.valid_from}`, r.n]));
}

/** Writes a plan in one transaction with its revision row, and tells every process to reload. */
export async function applyCatalogPlan(pool: pg.Pool, plan: CatalogPlan, appliedBy: string, source: string): Promise<number> {
  return inTransaction(pool, async (client) => {
    await saveCatalog(client, plan.write.agencies, plan.write.procedures);
    const { rows } = await client.query<{ id: number }>('INSERT INTO catalog_revisions (applied_by, source, summary) VALUES ($1, $2, $3) RETURNING id', [
      appliedBy,
      source,
      JSON.stringify(plan.summary),
    ]);
    await client.query(`SELECT pg_notify('${CATALOG_CHANNEL}', $1)`, [String(rows[0]!.id)]);
    return rows[0]!.id;
  });
}
