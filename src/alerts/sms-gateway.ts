/**
 * SMS through a brandname gateway's HTTP API, one generic adapter over fetch (no vendor SDK): the province gives the
 * URL, the headers (credentials), the body template and what a success answer looks like. The common Vietnamese
 * brandname gateways (eSMS, VNPT, Viettel, FPT, VMG…) all take one POST per message with the phone, the text, the
 * brandname and a request id of the sender's choosing, and answer a JSON code; README and .env.example show eSMS's.
 *
 * A message counts as sent only on a success answer: a 5xx or 4xx, a time-out, a body that is not the expected JSON
 * are failures, retried with back-off by the outbox. Every try carries the same request id ({{requestId}}, stable
 * per message), so a gateway that did deliver a message whose answer was lost refuses the second one rather than
 * sending it twice (the gateways named above deduplicate by it).
 */
import { internationalPhone } from '../dossiers/consent.js';
import type { DueMessage } from '../store/outbox-store.js';
import { requestIdOf, type Sender } from './outbox.js';
import { placeholders } from './message-templates.js';

export interface SmsGatewayConfig {
  url: string;
  /** Extra request headers, typically the credentials (SMS_GATEWAY_HEADERS, a JSON object). */
  headers: Record<string, string>;
  /** The request body with {{phone}}, {{phone0}}, {{text}}, {{brandname}}, {{requestId}} (SMS_GATEWAY_BODY). */
  body: string;
  /** application/json (values JSON-escaped) or application/x-www-form-urlencoded (values URL-encoded). */
  contentType: string;
  brandname: string;
  /** `Field=value` in the JSON answer that means accepted (SMS_GATEWAY_SUCCESS); absent: any 2xx. */
  success?: { field: string; value: string };
  timeoutMs: number;
}

export const SMS_BODY_FIELDS = ['phone', 'phone0', 'text', 'brandname', 'requestId'];

/** Problems with a gateway configuration, each naming its variable (the start refuses it whole). */
export function smsConfigProblems(c: SmsGatewayConfig): string[] {
  const problems: string[] = [];
  try {
    const u = new URL(c.url);
    if (!['http:', 'https:'].includes(u.protocol)) problems.push('SMS_GATEWAY_URL: expected an http(s) URL');
  } catch {
    problems.push('SMS_GATEWAY_URL: expected an http(s) URL');
  }
  for (const f of placeholders(c.body))
    if (!SMS_BODY_FIELDS.includes(f)) problems.push(`SMS_GATEWAY_BODY: unknown field {{${f}}} (expected ${SMS_BODY_FIELDS.join(', ')})`);
  if (!placeholders(c.body).includes('text')) problems.push('SMS_GATEWAY_BODY: the body must carry {{text}}');
  if (!placeholders(c.body).some((f) => f === 'phone' || f === 'phone0')) problems.push('SMS_GATEWAY_BODY: the body must carry {{phone}} or {{phone0}}');
  return problems;
}

export function createSmsGateway(config: SmsGatewayConfig): Sender {
  const json = config.contentType.includes('json');
  const encode = (v: string) => (json ? JSON.stringify(v).slice(1, -1) : encodeURIComponent(v));
  return {
    describe: () => `SMS gateway ${new URL(config.url).host}`,
    send: async (m: DueMessage) => {
      const phone84 = internationalPhone(m.recipient);
      const values: Record<string, string> = {
        phone: phone84,
        phone0: `0${phone84.slice(2)}`,
        text: m.text,
        brandname: config.brandname,
        requestId: requestIdOf(m),
      };
      const body = config.body.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, f: string) => encode(values[f] ?? ''));
      let res: Response;
      try {
        res = await fetch(config.url, {
          method: 'POST',
          headers: { 'content-type': config.contentType, ...config.headers },
          body,
          signal: AbortSignal.timeout(config.timeoutMs),
        });
      } catch (err) {
        const reason = isTimeout(err) ? `no answer within ${config.timeoutMs} ms` : String(err instanceof Error ? (err.cause ?? err.message) : err);
        throw new Error(`SMS gateway: ${reason}`, { cause: err });
      }
      const answer = await res.text().catch(() => '');
      if (!res.ok) throw new Error(`SMS gateway answered ${res.status}: ${answer.slice(0, 200)}`);
      if (!config.success) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(answer);
      } catch {
        throw new Error(`SMS gateway answered ${res.status} with a body that is not JSON: ${answer.slice(0, 100)}`);
      }
      const got = (parsed as Record<string, unknown> | null)?.[config.success.field];
      if (String(got) !== config.success.value)
        throw new Error(`SMS gateway refused the message: ${config.success.field}=${String(got)} (${answer.slice(0, 200)})`);
    },
  };
}

/** fetch's time-out (a DOMException, not always an Error of this realm). */
function isTimeout(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}
