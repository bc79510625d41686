/**
 * Shutdown and restart as an operator meets them, on the real embedded
 * server: `dunghan serve` killed with SIGKILL mid-stream (node and its
 * PostgreSQL together) and restarted at once keeps every acknowledged event;
 * SIGTERM lets a request in flight finish, then stops the database; a server
 * orphaned by a killed node is adopted and stopped on the next graceful exit;
 * a busy port is named.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { alive, postmasterPid } from '../../src/db/embedded-postgres.js';
import { freePort } from '../support/free-port.js';

let dataDir: string;
let env: NodeJS.ProcessEnv;
let base: string;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'dunghan-restart-'));
  await fs.chmod(dataDir, 0o755); // the server may run as the unprivileged postgres user
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  env = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', EMBEDDED_PG_PORT: String(await freePort()), JOBS: 'off', DATABASE_URL: '' };
});
afterAll(async () => {
  // Whatever a failed test left running must not outlive it (nor serve the next test's start).
  for (const child of running) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }
  const pid = postmasterPid(dataDir);
  if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
  await fs.rm(dataDir, { recursive: true, force: true });
});

interface Service {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** Starts `dunghan serve` in a process group of its own and waits for the banner's last line (the keys come before it). */
async function start(args: string[] = []): Promise<Service> {
  const child = spawn(process.execPath, ['bin/dunghan.js', 'serve', ...args], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  running.add(child);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => (running.delete(child), resolve(code))));
  const until = Date.now() + 60_000;
  while (!/is listening on[\s\S]*alerts: /.test(out)) {
    if (Date.now() > until || child.exitCode !== null) throw new Error(`serve did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => out, exited };
}

const received = (code: string) => ({
  eventId: randomUUID(),
  type: 'received',
  dossierCode: code,
  occurredAt: new Date().toISOString().replace('Z', '+00:00'),
  procedureCode: '1.004194',
  receivingAgencyCode: 'SLA.P.TOHIEU.TTPV',
  channel: 'direct',
  applicant: { name: 'Lò Văn Hùng' },
  feeRequired: true,
  digitized: false,
});

let adminKey = '';
const post = (body: unknown) =>
  fetch(`${base}/api/v1/events`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

test('SIGKILL mid-stream, restart at once: every acknowledged event is there', async () => {
  const first = await start(['--sample-data']);
  adminKey = /admin\s+SLA\s+(dh_admin_\S+)/.exec(first.output())![1]!;
  const acked: string[] = [];
  let stop = false;
  // Four counters posting one event each, as counter software does, until the service dies under them.
  const writers = Array.from({ length: 4 }, async (_, w) => {
    for (let i = 0; !stop; i++) {
      const code = `KILL-${w}-${i}`;
      try {
        if ((await post(received(code))).status === 201) acked.push(code);
      } catch {
        return;
      }
    }
  });
  while (acked.length < 150) await new Promise((r) => setTimeout(r, 20));
  process.kill(-first.child.pid!, 'SIGKILL');
  stop = true;
  await Promise.all(writers);
  await first.exited;

  const second = await start();
  expect(second.output()).not.toMatch(/Sample API keys/); // printed only when created
  const missing: string[] = [];
  for (const code of acked) {
    const res = await fetch(`${base}/api/v1/dossiers/${code}`, { headers: { Authorization: `Bearer ${adminKey}` } });
    if (res.status !== 200) missing.push(code);
  }
  expect({ acked: acked.length >= 150, missing }).toEqual({ acked: true, missing: [] });

  // SIGTERM with a batch in flight: it is answered, then the service and its database stop.
  const batch = Array.from({ length: 1000 }, (_, i) => received(`TERM-${i}`));
  const inFlight = post(batch);
  await new Promise((r) => setTimeout(r, 30));
  process.kill(second.child.pid!, 'SIGTERM');
  expect((await inFlight).status).toBe(201);
  expect(await second.exited).toBe(0);
  const pid = postmasterPid(dataDir);
  expect(pid === null || !alive(pid)).toBe(true);
});

test('a PostgreSQL orphaned by a killed node is adopted, and stopped at the next graceful exit', async () => {
  const first = await start();
  process.kill(first.child.pid!, 'SIGKILL'); // node only: its PostgreSQL lives on
  await first.exited;
  const orphan = postmasterPid(dataDir)!;
  expect(alive(orphan)).toBe(true);

  const second = await start();
  expect(second.output()).toMatch(/adopted/);
  process.kill(second.child.pid!, 'SIGTERM');
  expect(await second.exited).toBe(0);
  const until = Date.now() + 10_000;
  while (alive(orphan) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  expect(alive(orphan)).toBe(false);
});

test('a busy embedded port is a clear error naming EMBEDDED_PG_PORT', async () => {
  // A port and a data directory of its own: the first start of a new installation, on a port something else holds.
  const busy = await freePort();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dunghan-busy-'));
  await fs.chmod(dir, 0o755);
  const blocker = net.createServer((socket) => socket.destroy()).listen(busy, '127.0.0.1');
  await new Promise((resolve, reject) => blocker.once('listening', resolve).once('error', reject));
  try {
    const child = spawn(process.execPath, ['bin/dunghan.js', 'serve'], {
      env: { ...env, DATA_DIR: dir, EMBEDDED_PG_PORT: String(busy) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (c) => (err += c));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(err).toMatch(/port \d+ on 127\.0\.0\.1 is in use by another program: set EMBEDDED_PG_PORT/);
  } finally {
    await new Promise((r) => blocker.close(r));
    await fs.rm(dir, { recursive: true, force: true });
  }
});
