/**
 * Issue 29, item 2: the service behind a real nginx (Debian's package), started here on loopback with its own
 * configuration in a temporary directory. Clients connect from different loopback addresses (127.0.0.2,
 * 127.0.0.3), which nginx sees as `$remote_addr` and appends to X-Forwarded-For, as it does for citizens on the
 * Internet.
 *
 * - TRUST_PROXY=1 (one proxy in front): each client has its own public-lookup limit (3 here), a client cannot
 *   reset its limit by sending its own X-Forwarded-For (nginx appends the real address; one hop is believed), and
 *   the access log and the personal-data read log hold the client's address.
 * - Default (off): every client behind the proxy shares the proxy's one limit: the bug of the issue.
 * - Through nginx's TLS listener (X-Forwarded-Proto https): Secure session cookie and HSTS; over plain http neither.
 *
 * Skipped, saying so, only where nginx is not installed; .ci/run installs it, so CI never skips.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import forge from 'node-forge';
import pino from 'pino';
import { createApp } from '../../src/http/app.js';
import { freePort } from '../support/free-port.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p));
if (!NGINX) console.warn('reverse-proxy.test.ts SKIPPED: nginx is not installed here (apt-get install nginx; .ci/run installs it).');
const describeWithNginx = NGINX ? describe : describe.skip;

let t: TestApp;
let dir: string;
let nginx: ChildProcess | undefined;
const servers: Server[] = [];
const ports = { trusting: 0, plain: 0, tls: 0 };
const logLines: Array<{ req?: { path?: string; remoteAddress?: string } }> = [];

/** A self-signed certificate for 127.0.0.1, as an operator's would be from their CA. */
function selfSigned(): { cert: string; key: string } {
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  const attrs = [{ name: 'commonName', value: '127.0.0.1' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: forge.pki.privateKeyToPem(keys.privateKey) };
}

/** The proxy headers of docs/deploy.md's site. */
const PROXY = (upstream: number) => `location / {
      proxy_pass http://127.0.0.1:${upstream};
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }`;

async function listen(app: ReturnType<typeof createApp>): Promise<number> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  return (server.address() as { port: number }).port;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request through nginx from a given loopback address. */
function send(
  port: number,
  from: string,
  method: string,
  urlPath: string,
  options: { headers?: Record<string, string>; body?: string; tls?: boolean; ca?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = (options.tls ? https : http).request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: urlPath,
        localAddress: from,
        headers: { ...(options.body ? { 'content-length': String(Buffer.byteLength(options.body)) } : {}), ...options.headers },
        ca: options.ca,
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const lookup = (port: number, from: string, headers: Record<string, string> = {}) =>
  send(port, from, 'POST', '/api/v1/public/lookup', {
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ code: 'KHONG-CO', phoneLast4: '1234' }),
  });

let tlsCert = '';

beforeAll(async () => {
  if (!NGINX) return;
  t = await createTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dunghan-nginx-'));
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  const trusting = await listen(createApp(t.ctx, { trustProxy: 1, lookupAttempts: 3, logger }));
  const plain = await listen(createApp(t.ctx, { lookupAttempts: 3 }));
  const { cert, key } = selfSigned();
  tlsCert = cert;
  fs.writeFileSync(path.join(dir, 'cert.pem'), cert);
  fs.writeFileSync(path.join(dir, 'key.pem'), key);
  ports.trusting = await freePort();
  ports.plain = await freePort();
  ports.tls = await freePort();
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    `daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${ports.trusting};
    ${PROXY(trusting)}
  }
  server {
    listen 127.0.0.1:${ports.tls} ssl;
    ssl_certificate ${dir}/cert.pem;
    ssl_certificate_key ${dir}/key.pem;
    ${PROXY(trusting)}
  }
  server {
    listen 127.0.0.1:${ports.plain};
    ${PROXY(plain)}
  }
}
`,
  );
  const check = spawnSync(NGINX, ['-t', '-p', dir, '-e', `${dir}/error.log`, '-c', `${dir}/nginx.conf`], { encoding: 'utf8' });
  expect(check.status).toBe(0);
  nginx = spawn(NGINX, ['-p', dir, '-e', `${dir}/error.log`, '-c', `${dir}/nginx.conf`], { stdio: 'ignore' });
  // Up when it answers (at most 100 tries, 50 ms apart).
  for (let i = 0; i < 100; i++) {
    const up = await send(ports.plain, '127.0.0.1', 'GET', '/livez').then(
      (r) => r.status === 200,
      () => false,
    );
    if (up) break;
    await new Promise((r) => setTimeout(r, 50));
  }
});

afterAll(async () => {
  if (!NGINX) return;
  nginx?.kill('SIGTERM');
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describeWithNginx('behind nginx', () => {
  test('TRUST_PROXY=1: each client has its own limit, and cannot reset it by forging X-Forwarded-For', async () => {
    // Client A: 3 lookups (unknown dossier: 404), the 4th refused.
    for (let i = 0; i < 3; i++) expect((await lookup(ports.trusting, '127.0.0.2')).status).toBe(404);
    expect((await lookup(ports.trusting, '127.0.0.2')).status).toBe(429);
    // Forging another address: nginx appends the real one, and only the last hop is believed.
    expect((await lookup(ports.trusting, '127.0.0.2', { 'x-forwarded-for': '203.0.113.77' })).status).toBe(429);
    // Client B, another address behind the same proxy, still has its 3.
    for (let i = 0; i < 3; i++) expect((await lookup(ports.trusting, '127.0.0.3')).status).toBe(404);
    expect((await lookup(ports.trusting, '127.0.0.3')).status).toBe(429);
  });

  test('the access log and the personal-data read log hold the client’s address, not the proxy’s', async () => {
    const received = await send(ports.trusting, '127.0.0.4', 'POST', '/api/v1/events', {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.keys.counter}` },
      body: JSON.stringify({
        eventId: crypto.randomUUID(),
        type: 'received',
        dossierCode: 'PROXY-1',
        occurredAt: '2025-03-18T09:00:00+07:00',
        procedureCode: '1.001193',
        receivingAgencyCode: 'SLA.TPSL',
        channel: 'direct',
        applicant: { name: 'Lò Văn A' },
        feeRequired: false,
        digitized: false,
      }),
    });
    expect(received.status).toBe(201);
    const read = await send(ports.trusting, '127.0.0.5', 'GET', '/api/v1/dossiers/PROXY-1', { headers: { authorization: `Bearer ${t.keys.counter}` } });
    expect(read.status).toBe(200);
    const { rows } = await t.ctx.db.pool.query<{ address: string }>(
      "SELECT host(client_address) AS address FROM personal_data_reads WHERE dossier_code = 'PROXY-1'",
    );
    expect(rows).toEqual([{ address: '127.0.0.5' }]);
    const lines = logLines.filter((l) => l.req?.path === '/api/v1/dossiers/PROXY-1');
    expect(lines.map((l) => l.req!.remoteAddress)).toEqual(['127.0.0.5']);
  });

  test('default (TRUST_PROXY unset): every client behind the proxy shares the proxy’s one limit', async () => {
    for (let i = 0; i < 3; i++) expect((await lookup(ports.plain, `127.0.0.${10 + i}`)).status).toBe(404);
    // A fourth client, never seen before, is refused: the service sees only nginx's address.
    expect((await lookup(ports.plain, '127.0.0.20')).status).toBe(429);
  });

  test('through the TLS listener: Secure session cookie and HSTS; over plain http neither', async () => {
    // The sign-in form's CSRF token (issue 28) first, with its double-submit cookie, through the same listener.
    const signIn = async (port: number, tls: boolean) => {
      const page = await send(port, '127.0.0.6', 'GET', '/login', { tls, ca: tlsCert });
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const cookie = [page.headers['set-cookie'] ?? []]
        .flat()
        .map((c) => c.split(';')[0])
        .join('; ');
      const form = `key=${encodeURIComponent(t.keys.admin)}&next=%2F&_csrf=${encodeURIComponent(token)}`;
      return send(port, '127.0.0.6', 'POST', '/login', {
        tls,
        ca: tlsCert,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: form,
      });
    };
    const overTls = await signIn(ports.tls, true);
    expect(overTls.status).toBe(303);
    expect(String(overTls.headers['set-cookie'])).toMatch(/^dunghan_session=[^;]+;.*; Secure/);
    expect(overTls.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    const overHttp = await signIn(ports.trusting, false);
    expect(overHttp.status).toBe(303);
    expect(String(overHttp.headers['set-cookie'])).not.toMatch(/Secure/);
    expect(overHttp.headers['strict-transport-security']).toBeUndefined();
  });
});
