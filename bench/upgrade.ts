/**
 * What a state-version upgrade costs (a release whose fold changes meaning, as migration 021 for state version 5):
 * every stored state of an older version is replayed before the service listens (AppContext.load →
 * upgradeStaleStates). DOSSIERS generated dossiers are loaded through ingestion (batches of 1,000, the baseline:
 * events a second written the ordinary way in the same run), their stored states set back one version, and the
 * replay timed, RUNS rounds.
 *
 *   npm run bench:upgrade            # DOSSIERS=100000, RUNS=2
 */
import { AppContext } from '../src/app-context.js';
import { STATE_VERSION } from '../src/dossiers/state.js';
import { upgradeStaleStates } from '../src/store/dossier-projection.js';
import { loadGeneratedDossiers, openBenchDatabase } from './bench-database.js';
import { record } from './results.js';

const DOSSIERS = Number(process.env.DOSSIERS ?? 100_000);
const RUNS = Number(process.env.RUNS ?? 2);
const NOW = Date.parse('2026-11-30T10:00:00+07:00');

async function main(): Promise<void> {
  const bench = await openBenchDatabase(4);
  try {
    const ctx = await AppContext.load(bench.db, { now: () => NOW });
    const t0 = performance.now();
    const events = await loadGeneratedDossiers(bench.db, ctx, { dossiers: DOSSIERS, now: NOW, seed: 500, codePrefix: 'U' });
    const loadEventsPerSecond = events / ((performance.now() - t0) / 1000);
    const replayed: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      // As after a release: every stored state one version behind, the counters emptied by the release's migration.
      await bench.db.pool.query('UPDATE dossiers SET state_version = $1', [STATE_VERSION - 1]);
      await bench.db.pool.query('DELETE FROM daily_counts');
      await bench.db.pool.query('VACUUM ANALYZE dossiers');
      const r0 = performance.now();
      const n = await upgradeStaleStates(bench.db.pool, ctx.foldContext());
      if (n !== DOSSIERS) throw new Error(`replayed ${n} of ${DOSSIERS}`);
      replayed.push(n / ((performance.now() - r0) / 1000));
    }
    record({
      bench: 'upgrade',
      what: `state-version replay at start (${DOSSIERS.toLocaleString('en-US')} dossiers, ${events.toLocaleString('en-US')} events)`,
      unit: 'dossiers/s',
      values: replayed,
      higherIsBetter: true,
      baseline: { what: 'loading them through ingestion, in dossiers/s', values: [(loadEventsPerSecond * DOSSIERS) / events] },
    });
    const seconds = DOSSIERS / replayed.sort((a, b) => a - b)[Math.floor((replayed.length - 1) / 2)]!;
    console.log(`  about ${Math.round((seconds * 1_000_000) / DOSSIERS / 60)} minutes per million dossiers before the service listens`);
  } finally {
    await bench.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
