/**
 * A real HTTP server on loopback playing an SMS brandname gateway: it records every request, and answers as told —
 * `ok` (accepted: {"CodeResult":"100"}), `5xx` (503, nothing delivered), `hang` (holds the request without an answer
 * until the server stops; nothing delivered), `garbage` (delivers the message, then answers 200 with a body that is
 * not JSON: the lost answer a sender cannot tell from a failure). Like the common gateways it deduplicates by the
 * sender's request id: a message already delivered under an id is accepted again but not delivered twice.
 * Also serves as a Zalo ZNS endpoint (`zalo` answers {"error":0}; with `zaloValidToken` set, a request with another
 * access token is answered {"error":-124,"message":"Access token invalid"} and nothing is delivered) and as Zalo's
 * OAuth v4 endpoint (`oauthUrl`: a form-encoded refresh with the `secret_key` header; each accepted refresh rotates
 * both tokens, `oa-access-N` / `oa-refresh-N`, and makes the new access token the valid one).
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import { freePort } from './free-port.js';

export type GatewayMode = 'ok' | '5xx' | 'hang' | 'garbage';

export interface GatewayRequest {
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
  answered: GatewayMode | 'token_refused';
}

export interface OAuthRequest {
  headers: http.IncomingHttpHeaders;
  form: Record<string, string>;
  answered: 'rotated' | 'refused';
}

export class TestSmsGateway {
  mode: GatewayMode = 'ok';
  /** Answers in the Zalo ZNS shape. */
  zalo = false;
  readonly requests: GatewayRequest[] = [];
  /** Zalo: the one access token accepted (null: any). */
  zaloValidToken: string | null = null;
  /** Zalo OAuth: the app's credentials, the refresh token the next refresh must bring and the lifetime it gives. */
  zaloOAuth: { appId: string; secretKey: string; refreshToken: string; expiresIn: number } | null = null;
  readonly oauthRequests: OAuthRequest[] = [];
  /** What reached a phone: one entry per request id, in delivery order. */
  readonly delivered: Array<{ requestId: string; body: Record<string, unknown> }> = [];
  private readonly sockets = new Set<Socket>();
  private constructor(
    private readonly server: http.Server,
    readonly port: number,
  ) {}

  static async start(): Promise<TestSmsGateway> {
    const port = await freePort();
    const server = http.createServer();
    const gw = new TestSmsGateway(server, port);
    server.on('connection', (s) => {
      gw.sockets.add(s);
      s.on('close', () => gw.sockets.delete(s));
    });
    server.on('request', (req, res) => gw.handle(req, res));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    return gw;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/send`;
  }

  get oauthUrl(): string {
    return `http://127.0.0.1:${this.port}/v4/oa/access_token`;
  }

  private oauth(req: http.IncomingMessage, raw: string, res: http.ServerResponse): void {
    const form = Object.fromEntries(new URLSearchParams(raw));
    const o = this.zaloOAuth;
    const ok =
      o !== null &&
      req.headers['content-type'] === 'application/x-www-form-urlencoded' &&
      req.headers.secret_key === o.secretKey &&
      form.app_id === o.appId &&
      form.grant_type === 'refresh_token' &&
      form.refresh_token === o.refreshToken;
    this.oauthRequests.push({ headers: req.headers, form, answered: ok ? 'rotated' : 'refused' });
    if (!ok) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ error: -14014, error_name: 'Invalid refresh token' }));
      return;
    }
    const n = this.oauthRequests.filter((r) => r.answered === 'rotated').length;
    o.refreshToken = `oa-refresh-${n}`;
    this.zaloValidToken = `oa-access-${n}`;
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ access_token: this.zaloValidToken, refresh_token: o.refreshToken, expires_in: String(o.expiresIn) }));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      if (req.url === '/v4/oa/access_token') return this.oauth(req, raw, res);
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      if (this.zalo && this.zaloValidToken !== null && req.headers.access_token !== this.zaloValidToken) {
        this.requests.push({ headers: req.headers, body, answered: 'token_refused' });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ error: -124, message: 'Access token invalid' }));
        return;
      }
      const mode = this.mode;
      this.requests.push({ headers: req.headers, body, answered: mode });
      if (mode === 'hang') return; // no answer, ever: the sender's time-out must end it
      if (mode === '5xx') {
        res.writeHead(503, { 'content-type': 'text/html' }).end('<html>Service Unavailable</html>');
        return;
      }
      const requestId = String(body.RequestId ?? body.tracking_id ?? '');
      if (!this.delivered.some((d) => d.requestId === requestId)) this.delivered.push({ requestId, body });
      if (mode === 'garbage') {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>OK?</body>');
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(this.zalo ? { error: 0, message: 'Success', data: { msg_id: requestId } } : { CodeResult: '100', SMSID: requestId }));
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
