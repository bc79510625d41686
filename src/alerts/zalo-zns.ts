/**
 * Zalo ZNS (Zalo Notification Service) over its HTTP API, no SDK: POST the phone (84…), the province's registered
 * template id for the message's kind and the template's parameters (filled from fixtures/messages: `zalo`), with the
 * Official Account's access token in the `access_token` header. Zalo answers `{"error": 0, …}` on success and a
 * non-zero `error` otherwise (an expired token, a template not approved, a phone without Zalo): a failure, retried
 * with back-off; the message's stable id goes as `tracking_id`. Zalo's access token lasts about a day: the province
 * refreshes ZALO_ACCESS_TOKEN (its refresh flow is not built here).
 */
import { internationalPhone } from '../dossiers/consent.js';
import type { DueMessage } from '../store/outbox-store.js';
import { requestIdOf, type Sender } from './outbox.js';

export const ZALO_ZNS_DEFAULT_URL = 'https://business.openapi.zalo.me/message/template';

export interface ZaloZnsConfig {
  url: string;
  accessToken: string;
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
      let res: Response;
      try {
        res = await fetch(config.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', access_token: config.accessToken },
          body,
          signal: AbortSignal.timeout(config.timeoutMs),
        });
      } catch (err) {
        throw new Error(`Zalo ZNS: ${isTimeout(err) ? `no answer within ${config.timeoutMs} ms` : String(err)}`, { cause: err });
      }
      const answer = await res.text().catch(() => '');
      if (!res.ok) throw new Error(`Zalo ZNS answered ${res.status}: ${answer.slice(0, 200)}`);
      let parsed: { error?: unknown; message?: unknown };
      try {
        parsed = JSON.parse(answer);
      } catch {
        throw new Error(`Zalo ZNS answered with a body that is not JSON: ${answer.slice(0, 100)}`);
      }
      if (parsed?.error !== 0) throw new Error(`Zalo ZNS refused the message: error ${String(parsed?.error)} ${String(parsed?.message ?? '')}`.slice(0, 300));
    },
  };
}

/** fetch's time-out (a DOMException, not always an Error of this realm). */
function isTimeout(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}
