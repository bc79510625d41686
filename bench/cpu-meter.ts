/**
 * Where the CPU of a timed side went, per event: the server (this process:
 * its event loop and its helper threads, less the load's clients), the load's
 * clients (their worker thread reports its own time) and the embedded
 * PostgreSQL (its postmaster and every process under it). On a machine whose
 * cores are all busy, a rate is the cores divided by the CPU an event costs:
 * these figures say which part to make cheaper, and how many cores a rate
 * needs. Linux /proc only; with DATABASE_URL PostgreSQL's share is not seen.
 */
import fs from 'node:fs';
import { median, record, round } from './results.js';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** utime + stime (+ children's when `children`), in ms, from a /proc stat line. */
function statCpuMs(path: string, children = false): number {
  const fields = fs.readFileSync(path, 'utf8').split(') ')[1]!.split(' ');
  // After "pid (comm) ": state is field 0, utime 11, stime 12, cutime 13, cstime 14.
  const ticks = Number(fields[11]) + Number(fields[12]) + (children ? Number(fields[13]) + Number(fields[14]) : 0);
  return ticks * TICK_MS;
}

/** CPU ms of the process `root` and every process below it (PostgreSQL forks a process per connection). */
function treeCpuMs(root: number): number {
  const parent = new Map<number, number>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      parent.set(Number(name), Number(fs.readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const below = (pid: number): boolean => pid === root || (parent.has(pid) && pid > 1 && below(parent.get(pid)!));
  let ms = 0;
  for (const pid of parent.keys()) {
    if (!below(pid)) continue;
    try {
      // A backend that exited meanwhile is counted in its parent's children times (cutime) only once it is reaped.
      ms += statCpuMs(`/proc/${pid}/stat`, pid === root);
    } catch {
      // gone meanwhile
    }
  }
  return ms;
}

export interface CpuShares {
  /** µs of CPU per event. */
  server: number;
  clients: number;
  /** null when PostgreSQL is not a process of this machine we can see. */
  postgres: number | null;
}

/** Starts counting; `stop(events, clientsMs)` answers µs per event by who spent them. */
export function startCpu(postmaster: number | null): { stop(events: number, clientsMs: number): CpuShares } {
  const usage0 = process.cpuUsage();
  const pg0 = postmaster ? treeCpuMs(postmaster) : 0;
  return {
    stop(events, clientsMs) {
      const usage = process.cpuUsage(usage0);
      const processMs = (usage.user + usage.system) / 1000;
      const per = (ms: number) => (ms * 1000) / events;
      return {
        server: per(processMs - clientsMs),
        clients: per(clientsMs),
        postgres: postmaster ? per(treeCpuMs(postmaster) - pg0) : null,
      };
    },
  };
}

/**
 * Records the CPU an event cost the server and PostgreSQL, each beside a baseline's measured in the same run, and
 * prints the clients' share and what a rate of 3,000 events/s would take in cores (server + PostgreSQL).
 */
export function recordCpu(
  bench: string,
  what: string,
  runs: CpuShares[],
  baselines: { server?: [string, CpuShares[]]; postgres?: [string, CpuShares[]] },
): void {
  const base = (b: [string, CpuShares[]] | undefined, pick: (c: CpuShares) => number | null) =>
    b && b[1].every((c) => pick(c) !== null) ? { what: b[0], values: b[1].map((c) => pick(c)!) } : undefined;
  record({
    bench,
    what: `${what}: server CPU per event (Node, clients excluded)`,
    unit: 'µs',
    values: runs.map((c) => c.server),
    higherIsBetter: false,
    baseline: base(baselines.server, (c) => c.server),
  });
  if (runs.every((c) => c.postgres !== null)) {
    record({
      bench,
      what: `${what}: PostgreSQL CPU per event`,
      unit: 'µs',
      values: runs.map((c) => c.postgres!),
      higherIsBetter: false,
      baseline: base(baselines.postgres, (c) => c.postgres),
    });
    const perEvent = median(runs.map((c) => c.server + c.postgres!));
    console.log(
      `    (the clients' CPU: ${round(median(runs.map((c) => c.clients)))} µs an event; server and PostgreSQL together ${round(perEvent)} µs, so 3,000 events/s would keep ${((perEvent * 3000) / 1e6).toFixed(1)} cores busy)`,
    );
  }
}
