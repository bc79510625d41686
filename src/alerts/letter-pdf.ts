/**
 * The apology letter (form 04, letters/letter-data.ts apologyData) as a PDF attached to the applicant's e-mail
 * (Decree 118/2025 Art. 19(6): the apology is sent to the applicant). Set in Tinos, the metric twin of Times New
 * Roman that Vietnamese documents use (Decree 30/2020), from the @fontsource files the letters' pages already
 * serve. Those files are split by script (latin, latin-ext, vietnamese), so each run of text is set in the file whose
 * unicode-range (in fontsource's CSS) covers it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { AppContext } from '../app-context.js';
import { apologyData } from '../letters/letter-data.js';
import { dossierState } from '../store/dossier-reads.js';
import type { DueMessage } from '../store/outbox-store.js';
import type { Attachment } from './mailer.js';

const CSS = (weight: string) => createRequire(import.meta.url).resolve(`@fontsource/tinos/${weight}.css`);
const FONT_DIR = path.join(path.dirname(CSS('400')), 'files');

/** The code point ranges of a subset's face, read from its @font-face rule's unicode-range. */
function rangesOf(weight: string, subset: string): Array<[number, number]> {
  const css = fs.readFileSync(CSS(weight), 'utf8');
  const rule = css.slice(css.indexOf(`tinos-${subset}-${weight}-normal */`));
  const range = /unicode-range:\s*([^;]+);/.exec(rule)?.[1] ?? '';
  return range.split(',').map((r) => {
    const [a, b] = r.trim().replace(/^U\+/i, '').split('-');
    return [parseInt(a!, 16), parseInt(b ?? a!, 16)] as [number, number];
  });
}
const SUBSETS = ['latin', 'vietnamese', 'latin-ext'] as const;

interface Face {
  name: string;
  file: Buffer;
  has(cp: number): boolean;
}

let faces: Record<'400' | '700', Face[]> | undefined;
function loadFaces(): Record<'400' | '700', Face[]> {
  if (faces) return faces;
  const load = (weight: string): Face[] =>
    SUBSETS.map((subset) => {
      const file = fs.readFileSync(path.join(FONT_DIR, `tinos-${subset}-${weight}-normal.woff`));
      const ranges = rangesOf(weight, subset);
      return { name: `tinos-${subset}-${weight}`, file, has: (cp: number) => ranges.some(([a, b]) => cp >= a && cp <= b) };
    });
  faces = { '400': load('400'), '700': load('700') };
  return faces;
}

/** Runs of text, each with the face that has its glyphs (a space goes with the run before it). */
function runs(text: string, weight: '400' | '700'): Array<{ face: string; text: string }> {
  const list = loadFaces()[weight];
  // latin first: most characters; then the Vietnamese letters; then latin-ext.
  const out: Array<{ face: string; text: string }> = [];
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0)!;
    const face = ch === ' ' && out.length ? out[out.length - 1]!.face : (list.find((f) => f.has(cp)) ?? list[0]!).name;
    const last = out[out.length - 1];
    if (last && last.face === face) last.text += ch;
    else out.push({ face, text: ch });
  }
  return out;
}

type Doc = InstanceType<typeof PDFDocument>;

/**
 * A paragraph, left-aligned and wrapped (pdfkit's `continued` runs wrap together), or a short line centred: pdfkit
 * centres each run on its own, so a centred line's runs are measured and placed one after another.
 */
function line(doc: Doc, text: string, options: { weight?: '400' | '700'; size?: number; align?: 'left' | 'center' } = {}): void {
  const parts = runs(text, options.weight ?? '400');
  doc.fontSize(options.size ?? 12);
  if (options.align === 'center') {
    const width = parts.reduce((w, p) => w + doc.font(p.face).widthOfString(p.text), 0);
    const left = doc.page.margins.left + (doc.page.width - doc.page.margins.left - doc.page.margins.right - width) / 2;
    const y = doc.y;
    let x = left;
    for (const p of parts) {
      doc.font(p.face).text(p.text, x, y, { lineBreak: false });
      x += doc.widthOfString(p.text);
    }
    doc.x = doc.page.margins.left;
    doc.y = y + doc.currentLineHeight(true);
    return;
  }
  parts.forEach((p, i) => doc.font(p.face).text(p.text, { continued: i < parts.length - 1 }));
}

/** The apology letter of a dossier as PDF bytes, or null when none was issued. */
export async function apologyPdf(ctx: AppContext, dossierCode: string): Promise<Buffer | null> {
  const s = await dossierState(ctx.db.pool, dossierCode);
  const data = s && apologyData(s, ctx.catalog);
  if (!data) return null;
  const doc = new PDFDocument({ size: 'A5', margins: { top: 40, bottom: 40, left: 50, right: 40 }, info: { Title: data.formSet.forms.apology.title, Subject: data.code } });
  for (const f of [...loadFaces()['400'], ...loadFaces()['700']]) doc.registerFont(f.name, f.file);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  line(doc, data.agencyName, { weight: '700', size: 10 });
  line(doc, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { weight: '700', size: 10, align: 'center' });
  line(doc, 'Độc lập - Tự do - Hạnh phúc', { weight: '700', size: 10, align: 'center' });
  line(doc, data.dateLine, { size: 10, align: 'center' });
  doc.moveDown();
  line(doc, data.formSet.forms.apology.title, { weight: '700', size: 13, align: 'center' });
  doc.moveDown();
  line(doc, `Kính gửi: ${data.applicant.name}`);
  if (data.applicant.address) line(doc, `Địa chỉ: ${data.applicant.address}`);
  doc.moveDown(0.5);
  line(doc, `${data.receivingAgency} tiếp nhận hồ sơ của ông/bà lúc ${data.receivedText}, mã hồ sơ ${data.code} (${data.procedureName}), hẹn trả kết quả ${data.previousDueText}.`);
  line(doc, 'Đến nay, hồ sơ của ông/bà không trả kết quả đúng hạn như đã ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.');
  line(doc, `Lý do: ${data.reason}`);
  line(doc, 'Cơ quan chân thành xin lỗi ông/bà vì sự chậm trễ, gây phiền hà, tốn kém chi phí, thời gian của ông/bà.');
  line(doc, `Ngày hẹn trả kết quả mới: ${data.newDueText}.`, { weight: '700' });
  doc.moveDown();
  line(doc, 'Trân trọng./.');
  doc.end();
  return done;
}

/** The mail sender's attachment for a citizen's apology message (outbox.ts mailSender). */
export function letterAttachment(ctx: AppContext): (m: DueMessage) => Promise<Attachment[]> {
  return async (m) => {
    if (m.payload?.attach !== 'apology' || !m.dossierCode) return [];
    const pdf = await apologyPdf(ctx, m.dossierCode);
    return pdf ? [{ filename: `xin-loi-${m.dossierCode.replace(/[^\w.-]/g, '_')}.pdf`, content: pdf, contentType: 'application/pdf' }] : [];
  };
}
