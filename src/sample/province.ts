/**
 * The sample province in fixtures/: its agencies and procedure catalogue,
 * validated on load so that a bad fixture fails loudly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { agencySchema, procedureSchema, type Agency, type Procedure } from '../catalog/schemas.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/son-la');

export function sampleProvince(): { agencies: Agency[]; procedures: Procedure[] } {
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8'));
  return {
    agencies: z.array(agencySchema).parse(read('agencies.json')),
    procedures: z.array(procedureSchema).parse(read('procedures.json')),
  };
}
