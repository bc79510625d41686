/**
 * `npm run bench:catalog`: reading and planning a catalogue CSV (what an import does before it writes), at 10,000
 * and 40,000 procedure rows against the sample province. Issue 29: it grew faster than the file (5,000 rows 0.85 s,
 * 40,000 rows 35 s); per 10,000 rows it should now be the same at both sizes. No database: the CPU part only,
 * as the API's worker thread runs it.
 */
import { Catalog } from '../src/catalog/catalog.js';
import { readAndPlan } from '../src/catalog/read-and-plan.js';
import { CLI_UPLOAD_LIMITS } from '../src/catalog/upload-limits.js';
import { sampleProvince } from '../src/sample/province.js';
import { median, record } from './results.js';

const RUNS = Number(process.env.RUNS ?? 3);
const { agencies, procedures } = sampleProvince();
const current = new Catalog(agencies, procedures);
const HEADER = 'code,name,field,fieldCode,durationValue,durationUnit,onlineLevel,feeRequired,paperResult,validFrom,validTo,source';
const csvOf = (rows: number) =>
  Buffer.from(
    [
      HEADER,
      ...Array.from(
        { length: rows },
        (_, i) => `9.${String(i).padStart(6, '0')},Thủ tục ${i},Lĩnh vực ${i % 40},,${1 + (i % 20)},working-days,full,true,true,2026-01-01,,Quyết định công bố`,
      ),
    ].join('\n'),
  );

async function perTenThousand(rows: number): Promise<number[]> {
  const bytes = csvOf(rows);
  const out: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const started = performance.now();
    const result = await readAndPlan([{ name: 'bench.csv', bytes, format: 'csv' }], current, CLI_UPLOAD_LIMITS);
    if (!result.ok || result.plan.added.length !== rows) throw new Error('the bench file did not plan');
    out.push(((performance.now() - started) / rows) * 10_000);
  }
  return out;
}

const small = await perTenThousand(10_000);
const large = await perTenThousand(40_000);
record({
  bench: 'catalog',
  what: 'catalogue CSV read and planned, 40,000 rows',
  unit: 'ms per 10,000 rows',
  values: large,
  higherIsBetter: false,
  baseline: { what: '10,000 rows', values: small },
  goal: 'linear: ratio ≈ 1',
});
console.log(`  (median ${Math.round(median(small))} ms per 10,000 rows at 10,000 rows; ${Math.round(median(large))} at 40,000)`);
