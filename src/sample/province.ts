/**
 * The sample province in fixtures/: a catalogue file like any province's,
 * read by the same parser as an import so that a bad fixture fails loudly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeIssue, parseCatalogJson } from '../catalog/catalog-file.js';
import type { Agency, Procedure } from '../catalog/schemas.js';

export const SAMPLE_CATALOG_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/son-la/catalog.json');

export function sampleProvince(): { agencies: Agency[]; procedures: Procedure[] } {
  const parsed = parseCatalogJson('fixtures/son-la/catalog.json', JSON.parse(fs.readFileSync(SAMPLE_CATALOG_FILE, 'utf8')));
  if (parsed.issues.length) throw new Error(`bad sample catalogue:\n${parsed.issues.map(describeIssue).join('\n')}`);
  return { agencies: parsed.input.agencies.map((e) => e.value), procedures: parsed.input.procedures.map((e) => e.value) };
}
