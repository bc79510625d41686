/**
 * Handlebars templates from views/: pages inside a layout, letters and
 * e-mails on their own. Compiled once per process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { percentOf } from '../reports/rates.js';

const VIEWS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../views');
const hbs = Handlebars.create();
const cache = new Map<string, Handlebars.TemplateDelegate>();

hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
/** A rate as Vietnamese writes a percentage: 0.7534 → "75,34 %"; no data → "–". */
// A rate with no dossiers to judge is N/A, never 0 % (DOMAIN §5).
hbs.registerHelper('pct', (v: unknown) => (typeof v === 'number' ? `${percentOf(v)!.toFixed(2).replace('.', ',')} %` : 'N/A'));
/** A percentage already ×100 with 2 decimals: 22.22 → "22,22 %"; null → "N/A". */
hbs.registerHelper('percent', (v: unknown) => (typeof v === 'number' ? `${v.toFixed(2).replace('.', ',')} %` : 'N/A'));
hbs.registerHelper('json', (v: unknown) => new hbs.SafeString(JSON.stringify(v).replace(/</g, '\\u003c')));

function template(name: string): Handlebars.TemplateDelegate {
  let t = cache.get(name);
  if (!t) {
    // Plain-text parts (e-mails) must not be HTML-escaped.
    t = hbs.compile(fs.readFileSync(path.join(VIEWS, `${name}.hbs`), 'utf8'), { strict: false, noEscape: name.endsWith('.text') });
    cache.set(name, t);
  }
  return t;
}

function inLayout(name: string, layout: string, data: Record<string, unknown>): string {
  const body = template(name)(data);
  return template(layout)({ ...data, body: new hbs.SafeString(body) });
}

export function renderPage(name: string, data: Record<string, unknown>): string {
  return inLayout(`pages/${name}`, 'layouts/main', data);
}

/** A printable A5 letter (views/letters/NAME.hbs). */
export function renderLetter(name: string, data: Record<string, unknown>): string {
  return inLayout(`letters/${name}`, 'layouts/letter', data);
}

export function renderTemplate(name: string, data: Record<string, unknown>): string {
  return template(name)(data);
}
