/**
 * Debian's PostgreSQL (the `postgresql` package, /usr/lib/postgresql/N/bin) for tests that need more than one server
 * of their own: a primary and a streaming standby made with pg_basebackup, on loopback, as docs/deploy.md tells an
 * operator. PostgreSQL refuses to run as root: as root every command runs as the `postgres` user (runuser), which
 * owns the data directories; .ci/run installs the package when it is missing.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';

/** The newest installed major's binaries, or null when the package is not installed. */
export const DEBIAN_PG_BIN: string | null = (() => {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const majors = fs
    .readdirSync(root)
    .filter((d) => fs.existsSync(path.join(root, d, 'bin', 'postgres')))
    .sort((a, b) => Number(a) - Number(b));
  return majors.length ? path.join(root, majors.at(-1)!, 'bin') : null;
})();

const isRoot = process.getuid?.() === 0;

/** Runs one of the server's programs, as `postgres` when we are root. */
export function pgRun(program: string, args: string[]): string {
  const bin = path.join(DEBIAN_PG_BIN!, program);
  const [file, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface DebianServer {
  port: number;
  dataDir: string;
  /** postgres://dunghan@127.0.0.1:port/<database> (trust on loopback: a scratch server). */
  url(database?: string): string;
  start(): void;
  stop(): void;
}

function server(dir: string, dataDir: string, port: number): DebianServer {
  const logFile = path.join(dir, `${path.basename(dataDir)}.log`);
  return {
    port,
    dataDir,
    url: (database = 'postgres') => `postgres://dunghan@127.0.0.1:${port}/${database}`,
    start: () => void pgRun('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']),
    stop: () => void pgRun('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']),
  };
}

/** A scratch directory the `postgres` user can use; removed by `remove`. */
export function scratchDir(): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dunghan-debian-pg-'));
  fs.chmodSync(dir, 0o755);
  if (isRoot) execFileSync('chown', ['postgres', dir]);
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** initdb (superuser `dunghan`, trust on loopback, replication allowed by initdb's defaults) and start. */
export async function startPrimary(dir: string): Promise<DebianServer> {
  const dataDir = path.join(dir, 'primary');
  pgRun('initdb', ['-D', dataDir, '-U', 'dunghan', '--auth=trust', '--encoding=UTF8', '--locale=C']);
  const s = server(dir, dataDir, await freePort());
  s.start();
  return s;
}

/** A streaming standby of `primary`: pg_basebackup -R writes standby.signal and primary_conninfo; then start. */
export async function startStandby(dir: string, primary: DebianServer): Promise<DebianServer> {
  const dataDir = path.join(dir, 'replica');
  pgRun('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'dunghan', '-D', dataDir, '-R', '-X', 'stream', '-c', 'fast']);
  const s = server(dir, dataDir, await freePort());
  s.start();
  return s;
}
