/**
 * One figure of a benchmark, next to its baseline measured in the same run:
 * printed by the benchmark as it goes, and appended to BENCH_RESULTS (JSON
 * lines) when set, so that `npm run bench` (bench/all.ts) prints every
 * benchmark's figures as one table.
 */
import fs from 'node:fs';

export interface Figure {
  bench: string;
  what: string;
  unit: string;
  /** One value per run. */
  values: number[];
  /** Whether more is better (a rate) or less (a time). */
  higherIsBetter: boolean;
  baseline?: { what: string; values: number[] };
  goal?: string;
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
export const spread = (xs: number[]) => `${round(median(xs))} (${round(Math.min(...xs))}–${round(Math.max(...xs))})`;
export const round = (x: number) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(x >= 10 ? 0 : 1));

/** The figure's median over its baseline's (both rates or both times). */
export function ratio(f: Figure): number | null {
  return f.baseline ? median(f.values) / median(f.baseline.values) : null;
}

export function record(figure: Figure): void {
  const r = ratio(figure);
  console.log(
    `  ${figure.what}: ${spread(figure.values)} ${figure.unit}` +
      (figure.baseline ? `; ${figure.baseline.what}: ${spread(figure.baseline.values)}; ratio ${r!.toFixed(2)}` : '') +
      (figure.goal ? ` (goal: ${figure.goal})` : ''),
  );
  if (process.env.BENCH_RESULTS) fs.appendFileSync(process.env.BENCH_RESULTS, `${JSON.stringify(figure)}\n`);
}

/** Runs each side once to warm it, then `runs` rounds with a CHECKPOINT before each side and the order alternating. */
export async function alternate(
  runs: number,
  checkpoint: () => Promise<unknown>,
  sides: Array<() => Promise<number>>,
  options: { warm?: boolean } = {},
): Promise<number[][]> {
  if (options.warm) for (const side of sides) await side();
  const out = sides.map(() => [] as number[]);
  for (let r = 0; r < runs; r++) {
    const order = sides.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const i of order) {
      await checkpoint();
      out[i]!.push(await sides[i]!());
    }
  }
  return out;
}
