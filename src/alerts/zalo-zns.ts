/**
 * Zalo ZNS (Zalo Notification Service) over its HTTP API, no SDK: POST the phone (84…), the province's registered
 * template id for the message's kind and the template's parameters (filled from fixtures/messages: `zalo`), with the
 * Official Account's access token in the `access_token` header. Zalo answers `{"error": 0, …}` on success and a
 * non-zero `error` otherwise (an expired token, a template not approved, a phone without Zalo): a failure, retried
 * with back-off; the message's stable id goes as `tracking_id`. Zalo's access token lasts about a day: it comes from
 * an AccessTokenSource (zalo-token.ts), which refreshes it before it expires; an answer saying the token is invalid or
 * expired (nothing was sent) renews it and sends once more.
 */
import { internationalPhone } from '../dossiers/consent.js';
import type { DueMessage } from '../store/outbox-store.js';
import { requestIdOf, type Sender } from './outbox.js';
import type { AccessTokenSource } from './zalo-token.js';

export const ZALO_ZNS_DEFAULT_URL = 'https://business.openapi.zalo.me/message/template';

export interface ZaloZnsConfig {
  url: string;
  tokens: AccessTokenSource;
  /** The registered ZNS template per message kind (ZALO_TEMPLATE_IDS, a JSON object). */
  templateIds: Record<string, string>;
  timeoutMs: number;
}

export function createZaloZns(config: ZaloZnsConfig): Sender {
  return {
    describe: () => `Zalo ZNS ${new URL(config.url).host}`,
    send: async (m: DueMessage) => {
      const templateId = config.templateIds[m.kind];
      if (!templateId) throw new Error(`Zalo ZNS: no template id for "${m.kind}" in ZALO_TEMPLATE_IDS`);
      const body = JSON.stringify({
        phone: internationalPhone(m.recipient),
        template_id: templateId,
        template_data: (m.payload?.params as Record<string, string>) ?? {},
        tracking_id: requestIdOf(m),
      });
      const token = await config.tokens.get();
      const answer = await post(config, body, token);
      if (!isTokenRefusal(answer)) return settle(answer);
      // The token lapsed or was revoked: nothing was sent. A new one, and the same message once more.
      const renewed = await config.tokens.renew(token);
      if (renewed === null) return settle(answer);
      settle(await post(config, body, renewed));
    },
  };
}

interface ZnsAnswer {
  status: number;
  text: string;
  parsed: { error?: unknown; message?: unknown } | null;
}

async function post(config: ZaloZnsConfig, body: string, token: string): Promise<ZnsAnswer> {
  let res: Response;
  try {
    res = await fetch(config.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', access_token: token },
      body,
      signal: AbortSignal.timeout(config.timeoutMs),
    });
  } catch (err) {
    throw new Error(`Zalo ZNS: ${isTimeout(err) ? `no answer within ${config.timeoutMs} ms` : String(err)}`, { cause: err });
  }
  const text = await res.text().catch(() => '');
  let parsed: ZnsAnswer['parsed'];
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  return { status: res.status, text, parsed };
}

/**
 * Zalo's answers for an access token that is invalid or expired: -124 in the ZNS error table ("Access token
 * invalid"), -216 and -201 in the OA API's; a message naming the access token, for codes not in those tables.
 */
const TOKEN_ERRORS = new Set([-124, -201, -216]);

function isTokenRefusal(a: ZnsAnswer): boolean {
  const error = Number(a.parsed?.error);
  return a.parsed !== null && error !== 0 && (TOKEN_ERRORS.has(error) || /access[ _]?token/i.test(String(a.parsed.message ?? '')));
}

function settle(a: ZnsAnswer): void {
  if (a.status < 200 || a.status >= 300) throw new Error(`Zalo ZNS answered ${a.status}: ${a.text.slice(0, 200)}`);
  if (a.parsed === null) throw new Error(`Zalo ZNS answered with a body that is not JSON: ${a.text.slice(0, 100)}`);
  if (a.parsed?.error !== 0) throw new Error(`Zalo ZNS refused the message: error ${String(a.parsed?.error)} ${String(a.parsed?.message ?? '')}`.slice(0, 300));
}

/** fetch's time-out (a DOMException, not always an Error of this realm). */
function isTimeout(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}
