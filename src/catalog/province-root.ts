/**
 * The root agency of a province started from nothing (`dunghan init`): its
 * People's Committee, named as the province's documents name it, with a code
 * derived from the name unless one is given.
 */
import { z } from 'zod';
import { agencySchema, type Agency } from './schemas.js';

/** "Quảng Ninh" → "QUANG-NINH": ASCII letters and digits, as codes are typed at counters. */
export function codeFromName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'D')
    .toUpperCase()
    .replace(/^(TINH|THANH PHO)\s+/, '')
    .replace(/[^A-Z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** "Quảng Ninh" → "Ủy ban nhân dân tỉnh Quảng Ninh"; "Thành phố Hà Nội" → "Ủy ban nhân dân thành phố Hà Nội". */
export function committeeName(province: string): string {
  const p = province.trim().normalize('NFC');
  if (/^(ủy|uỷ) ban nhân dân|^ubnd/i.test(p)) return p;
  const m = /^(tỉnh|thành phố)\s+(.+)$/i.exec(p);
  return m ? `Ủy ban nhân dân ${m[1]!.toLowerCase()} ${m[2]}` : `Ủy ban nhân dân tỉnh ${p}`;
}

export function provinceRoot(input: {
  province: string;
  adminEmail: string;
  code?: string;
  validFrom?: string;
}): { ok: true; agency: Agency } | { ok: false; issues: string[] } {
  const issues: string[] = [];
  if (!z.email().safeParse(input.adminEmail).success) issues.push(`--admin-email: "${input.adminEmail}" is not an e-mail address`);
  const code = input.code ?? codeFromName(input.province);
  if (!code) issues.push('--province: the name has no letter or digit to make a code from; give --code');
  const parsed = agencySchema.safeParse({
    code,
    name: committeeName(input.province),
    kind: 'province',
    parentCode: null,
    // The 34 provinces in force since the merger of 1 July 2025 (Resolution 202/2025/QH15).
    validFrom: input.validFrom ?? '2025-07-01',
    validTo: null,
    email: input.adminEmail,
    source: 'dunghan init; Nghị quyết 202/2025/QH15 (sắp xếp đơn vị hành chính cấp tỉnh)',
  });
  if (!parsed.success)
    issues.push(...parsed.error.issues.map((i) => `--${i.path[0] === 'validFrom' ? 'valid-from' : i.path[0] === 'code' ? 'code' : 'province'}: ${i.message}`));
  return issues.length || !parsed.success ? { ok: false, issues } : { ok: true, agency: parsed.data };
}
