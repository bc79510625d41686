/**
 * The citizen's messages as data (fixtures/messages/vi.json, or the province's file named by MESSAGE_TEMPLATES):
 * per kind, an e-mail (subject, text), an SMS text and the Zalo ZNS parameters. A file is checked whole before it is
 * used: an unknown kind or channel, a missing part, a {{field}} the kind does not have: every problem is named, and
 * nothing of it is used (the service does not start; `dunghan messages check` exits 2).
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const CITIZEN_KINDS = ['receipt', 'supplement_request', 'apology', 'result_ready', 'refusal'] as const;
export type CitizenKind = (typeof CITIZEN_KINDS)[number];

const COMMON = ['code', 'applicant', 'procedure', 'agency', 'receivedAt', 'appointment', 'appointmentShort', 'lookupUrl', 'lookupPage'] as const;

/** The fields each kind's templates may use. */
export const FIELDS: Record<CitizenKind, readonly string[]> = {
  receipt: COMMON,
  supplement_request: [...COMMON, 'reason', 'supplementBy', 'letterUrl'],
  apology: [...COMMON, 'reason', 'previousAppointment', 'newAppointment', 'newAppointmentShort', 'letterUrl'],
  result_ready: [...COMMON, 'resultHow', 'resultHowShort'],
  refusal: [...COMMON, 'reason', 'letterUrl'],
};

const templateSchema = z.strictObject({
  email: z.strictObject({ subject: z.string().min(1).max(200), text: z.string().min(1).max(5000) }),
  sms: z.string().min(1).max(1000),
  /** The ZNS template's parameter name → the field that fills it. */
  zalo: z.record(z.string().regex(/^\w{1,50}$/), z.string()),
});
export type MessageTemplate = z.infer<typeof templateSchema>;
export type MessageTemplates = Record<CitizenKind, MessageTemplate>;

export interface TemplateProblem {
  path: string;
  message: string;
}

export class TemplateError extends Error {
  constructor(readonly problems: TemplateProblem[]) {
    super(`message templates refused:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`);
  }
}

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;

export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** Checks a templates document; every problem at its path. */
export function parseTemplates(doc: unknown): { ok: true; templates: MessageTemplates } | { ok: false; problems: TemplateProblem[] } {
  const problems: TemplateProblem[] = [];
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    return { ok: false, problems: [{ path: '', message: 'expected an object of message kinds' }] };
  const entries = Object.entries(doc).filter(([k]) => k !== '$comment');
  for (const [kind] of entries)
    if (!(CITIZEN_KINDS as readonly string[]).includes(kind))
      problems.push({ path: kind, message: `unknown message kind (expected ${CITIZEN_KINDS.join(', ')})` });
  const templates = {} as MessageTemplates;
  for (const kind of CITIZEN_KINDS) {
    const raw = (doc as Record<string, unknown>)[kind];
    if (raw === undefined) {
      problems.push({ path: kind, message: 'missing' });
      continue;
    }
    const parsed = templateSchema.safeParse(raw);
    if (!parsed.success) {
      for (const i of parsed.error.issues) problems.push({ path: [kind, ...i.path.map(String)].join('.'), message: i.message });
      continue;
    }
    const known = new Set(FIELDS[kind]);
    const check = (path: string, text: string) => {
      for (const f of placeholders(text))
        if (!known.has(f)) problems.push({ path, message: `unknown field {{${f}}} (this kind has ${FIELDS[kind].join(', ')})` });
    };
    check(`${kind}.email.subject`, parsed.data.email.subject);
    check(`${kind}.email.text`, parsed.data.email.text);
    check(`${kind}.sms`, parsed.data.sms);
    for (const [param, field] of Object.entries(parsed.data.zalo)) {
      if (!known.has(field)) problems.push({ path: `${kind}.zalo.${param}`, message: `unknown field "${field}" (this kind has ${FIELDS[kind].join(', ')})` });
    }
    templates[kind] = parsed.data;
  }
  return problems.length ? { ok: false, problems } : { ok: true, templates };
}

export const DEFAULT_TEMPLATES_FILE = fileURLToPath(new URL('../../fixtures/messages/vi.json', import.meta.url));

/** Reads and checks a templates file; throws TemplateError naming every problem. */
export function loadTemplates(file = DEFAULT_TEMPLATES_FILE): MessageTemplates {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new TemplateError([{ path: file, message: err instanceof Error ? err.message : String(err) }]);
  }
  const parsed = parseTemplates(doc);
  if (!parsed.ok) throw new TemplateError(parsed.problems);
  return parsed.templates;
}

/** Fills {{field}} with the values given (every placeholder was checked against FIELDS at load). */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (_, f: string) => values[f] ?? '');
}
