/**
 * Loads the sample province into an empty database: catalogue, a year and a
 * half of dossier events, and one API key per role.
 */
import type { AppContext } from '../app-context.js';
import fs from 'node:fs';
import { describeIssue } from '../catalog/catalog-file.js';
import { importCatalog } from '../store/catalog-import.js';
import { createApiKey, type Role } from '../store/api-keys.js';
import { hasNoAgencies } from '../store/catalog-store.js';
import { addSupervisorIfAbsent } from '../store/supervisors.js';
import { SAMPLE_CATALOG_FILE } from './province.js';
import { generateEvents } from './sample-events.js';

export const SAMPLE_KEY_SCOPES: Array<{ role: Role; agency: string; label: string }> = [
  { role: 'counter', agency: 'SLA.P.TOHIEU', label: 'Mẫu: cán bộ một cửa phường Tô Hiệu' },
  { role: 'supervisor', agency: 'SLA.P.TOHIEU', label: 'Mẫu: lãnh đạo phường Tô Hiệu' },
  { role: 'auditor', agency: 'SLA', label: 'Mẫu: kiểm tra tỉnh Sơn La' },
  { role: 'admin', agency: 'SLA', label: 'Mẫu: quản trị' },
];

/** Supervisors of the sample province (example.vn addresses: nothing leaves the machine without SMTP_URL). */
const SAMPLE_SUPERVISORS: Array<[agency: string, name: string, email: string]> = [
  ['SLA.P.TOHIEU', 'Chủ tịch UBND phường Tô Hiệu', 'lanhdao.tohieu@sonla.example.vn'],
  ['SLA', 'Văn phòng UBND tỉnh Sơn La', 'kiemsoat.tthc@sonla.example.vn'],
];

export async function isEmpty(ctx: AppContext): Promise<boolean> {
  return hasNoAgencies(ctx.db.pool);
}

/** Returns the sample keys: shown once by the caller, stored only as hashes. */
export async function loadSampleData(ctx: AppContext, options: { dossiers?: number } = {}): Promise<Array<{ role: Role; agency: string; key: string }>> {
  // The sample province is an import like any province's catalogue.
  const imported = await importCatalog(
    ctx.catalogImportTarget(),
    [{ name: 'fixtures/son-la/catalog.json', bytes: fs.readFileSync(SAMPLE_CATALOG_FILE), format: 'json' }],
    {
      dryRun: false,
      by: 'sample data',
    },
  );
  if (!imported.ok) throw new Error(`bad sample catalogue:\n${imported.issues.map(describeIssue).join('\n')}`);

  const now = ctx.now();
  const events = generateEvents(ctx.catalog, {
    seed: 2025,
    dossiers: options.dossiers ?? 600,
    from: Date.parse('2025-01-02T08:00:00+07:00'),
    to: now - 86_400_000,
    until: now,
  });
  // Dossiers of the last two weeks still in progress, so that the due-soon and overdue views have something to show.
  const open = generateEvents(ctx.catalog, {
    seed: 2026,
    dossiers: 60,
    from: now - 14 * 86_400_000,
    to: now - 3_600_000,
    until: now,
    codePrefix: 'SLA-OPEN',
  }).filter((e) => !['result_ready', 'returned', 'refused', 'withdrawn'].includes(e.type));
  const all = [...events, ...open].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
  // Through the context's ingestion like any writer (counted, sealed by its sealer); batches this size run alone.
  for (let i = 0; i < all.length; i += 1000) await ctx.ingest(all.slice(i, i + 1000));
  for (const [agency, name, email] of SAMPLE_SUPERVISORS) {
    await addSupervisorIfAbsent(ctx.db.pool, agency, name, email);
  }

  const keys = [];
  for (const s of SAMPLE_KEY_SCOPES) {
    const { key } = await createApiKey(ctx.db.pool, { role: s.role, agencyCodes: [s.agency], label: s.label });
    keys.push({ role: s.role, agency: s.agency, key });
  }
  return keys;
}
