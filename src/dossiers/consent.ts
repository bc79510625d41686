/**
 * The applicant's consent to be told of the dossier (Decree 224/2026 Art. 15(1)(g): the applicant is told of each
 * status change; DOMAIN §6), per channel with its contact, and the record of how and when it was given and
 * withdrawn. Pure: the fold keeps it in the state, messages read the channels in force, pages show it masked.
 */
import type { CitizenChannel, Contact } from './events.js';

export type ConsentVia = 'counter' | 'online' | 'phone' | 'letter' | 'link' | 'keyword';

export interface ConsentRecord {
  at: number;
  action: 'given' | 'withdrawn';
  channels: CitizenChannel[];
  via: ConsentVia;
}

export interface ConsentState {
  /** The channels in force, each with its contact. */
  contacts: Contact[];
  history: ConsentRecord[];
}

export const NO_CONSENT: ConsentState = { contacts: [], history: [] };

/** Consent given (at receipt or later): each listed channel's contact replaces the one recorded. */
export function giveConsent(c: ConsentState | undefined, contacts: Contact[], at: number, via: ConsentVia): ConsentState {
  const prev = c ?? NO_CONSENT;
  if (contacts.length === 0) return prev;
  const listed = new Set(contacts.map((x) => x.channel));
  return {
    contacts: [...prev.contacts.filter((x) => !listed.has(x.channel)), ...contacts],
    history: [...prev.history, { at, action: 'given', channels: contacts.map((x) => x.channel), via }],
  };
}

/** Consent withdrawn on the listed channels, or on every channel. */
export function withdrawConsent(c: ConsentState | undefined, channels: CitizenChannel[] | undefined, at: number, via: ConsentVia): ConsentState {
  const prev = c ?? NO_CONSENT;
  const gone = channels ?? prev.contacts.map((x) => x.channel);
  return {
    contacts: prev.contacts.filter((x) => !gone.includes(x.channel)),
    history: [...prev.history, { at, action: 'withdrawn', channels: channels ?? gone, via }],
  };
}

/** The contact a channel reaches: an e-mail address, or a phone number. */
export function contactOf(c: Contact): string {
  return c.channel === 'email' ? c.address : c.phone;
}

/** A phone in the international form gateways take (84912345678), separators dropped. */
export function internationalPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.startsWith('84') ? digits : `84${digits.replace(/^0/, '')}`;
}

/**
 * A contact as anyone but the staff who may read it sees it. A phone keeps its first three digits only: its last
 * four are what the public lookup asks for (public-view.ts phoneMatches), so they are never shown. An e-mail keeps
 * its first character and its domain.
 */
export function maskContact(contact: string): string {
  if (contact.includes('@')) {
    const [local, domain] = [contact.slice(0, contact.lastIndexOf('@')), contact.slice(contact.lastIndexOf('@') + 1)];
    return `${[...local][0] ?? ''}***@${domain}`;
  }
  const digits = contact.replace(/\D/g, '');
  const national = digits.startsWith('84') ? `0${digits.slice(2)}` : digits;
  return `${national.slice(0, 3)}${'*'.repeat(Math.max(0, national.length - 3))}`;
}

/** The consent as the API and the masked pages show it. */
export function consentView(c: ConsentState | undefined, iso: (ms: number) => string, unmasked = false) {
  const s = c ?? NO_CONSENT;
  return {
    channels: s.contacts.map((x) => ({ channel: x.channel, contact: unmasked ? contactOf(x) : maskContact(contactOf(x)) })),
    history: s.history.map((h) => ({ at: iso(h.at), action: h.action, channels: h.channels, via: h.via })),
  };
}

/** An event body with its consent contacts masked (the API's history: the dossier page alone shows them in full). */
export function maskEventContacts<T extends { type: string }>(body: T): T {
  if (!('consent' in body) || !Array.isArray(body.consent)) return body;
  const masked = (body.consent as Contact[]).map((c) =>
    c.channel === 'email' ? { ...c, address: maskContact(c.address) } : { ...c, phone: maskContact(c.phone) },
  );
  return { ...body, consent: masked };
}
