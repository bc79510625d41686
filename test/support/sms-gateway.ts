/**
 * A real HTTP server on loopback playing an SMS brandname gateway: it records every request, and answers as told —
 * `ok` (accepted: {"CodeResult":"100"}), `5xx` (503, nothing delivered), `hang` (holds the request without an answer
 * until the server stops; nothing delivered), `garbage` (delivers the message, then answers 200 with a body that is
 * not JSON: the lost answer a sender cannot tell from a failure). Like the common gateways it deduplicates by the
 * sender's request id: a message already delivered under an id is accepted again but not delivered twice.
 * Also serves as a Zalo ZNS endpoint (`zalo` answers {"error":0}).
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import { freePort } from './free-port.js';

export type GatewayMode = 'ok' | '5xx' | 'hang' | 'garbage';

export interface GatewayRequest {
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
  answered: GatewayMode;
}

export class TestSmsGateway {
  mode: GatewayMode = 'ok';
  /** Answers in the Zalo ZNS shape. */
  zalo = false;
  readonly requests: GatewayRequest[] = [];
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

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
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
