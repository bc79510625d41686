/**
 * A small typesetter over pdfkit for administrative papers: paragraphs of
 * mixed bold/italic spans wrapped and justified by our own line breaker,
 * fixed boxes (the two columns of a Decree 30/2020 header or signature
 * block), ruled tables, page breaks. Our own line breaker because a word of
 * Vietnamese is drawn with several font subsets (./tinos.ts), and pdfkit's
 * wrapper would break a line between two runs of one word.
 *
 * Units are PDF points (1/72 in); sizes of paper and margins are given in mm.
 */
import PDFDocument from 'pdfkit';
import { fontFiles, fontRuns, type Face } from './tinos.js';

export interface Span {
  text: string;
  bold?: boolean;
  italic?: boolean;
}
export type Align = 'left' | 'center' | 'right' | 'justify';
export const mm = (v: number) => (v * 72) / 25.4;

export interface BlockOptions {
  size: number;
  align?: Align;
  /** Box; by default the text column between the margins. */
  x?: number;
  width?: number;
  /** First-line indent. */
  indent?: number;
  /** Line height as a multiple of the size (Decree 30/2020: at least single spacing). */
  leading?: number;
  /** Measure only. */
  draw?: boolean;
  /** Start a new page when a line does not fit (the main column); boxes at a fixed place do not. */
  flow?: boolean;
  /** One line that must not wrap (a motto, a signer's title): set smaller when it would. */
  oneLine?: boolean;
}

interface Piece {
  text: string;
  face: Face;
}
interface Word {
  pieces: Piece[];
  width: number;
  space: number;
}
type Token = Word | 'break';

const WIDTHS = new Map<string, number>();
const faceOf = (s: Span): Face => ({ weight: s.bold ? 700 : 400, italic: s.italic ?? false });

export class Sheet {
  readonly doc: PDFKit.PDFDocument;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  y: number;
  private readonly registered = new Set<string>();
  private readonly chunks: Buffer[] = [];
  private readonly ended: Promise<Buffer>;

  constructor(options: {
    size: 'A4' | 'A5';
    landscape?: boolean;
    margins: { top: number; bottom: number; left: number; right: number };
    info: { Title: string; Subject?: string };
  }) {
    // A fixed creation date: the same letter prints the same bytes (and hashes the same before signing).
    const doc = new PDFDocument({
      size: options.size,
      layout: options.landscape ? 'landscape' : 'portrait',
      margin: 0,
      autoFirstPage: true,
      bufferPages: true,
      info: { ...options.info, Creator: 'Đúng hạn (dunghan)', Producer: 'pdfkit', CreationDate: new Date(0) },
      lang: 'vi-VN',
      displayTitle: true,
    } as PDFKit.PDFDocumentOptions);
    this.doc = doc;
    doc.on('data', (c: Buffer) => this.chunks.push(c));
    this.ended = new Promise((resolve, reject) => {
      doc.on('end', () => resolve(Buffer.concat(this.chunks)));
      doc.on('error', reject);
    });
    const m = options.margins;
    this.left = mm(m.left);
    this.right = doc.page.width - mm(m.right);
    this.top = mm(m.top);
    this.bottom = doc.page.height - mm(m.bottom);
    this.y = this.top;
  }

  get width(): number {
    return this.right - this.left;
  }

  get pageCount(): number {
    const r = this.doc.bufferedPageRange();
    return r.start + r.count;
  }

  addPage(): void {
    this.doc.addPage();
    this.y = this.top;
  }

  private use(font: string, face: Face): void {
    if (!this.registered.has(font)) {
      for (const f of fontFiles(face))
        if (!this.registered.has(f.name)) {
          this.doc.registerFont(f.name, f.data);
          this.registered.add(f.name);
        }
    }
    this.doc.font(font);
  }

  textWidth(text: string, face: Face, size: number): number {
    let w = 0;
    for (const run of fontRuns(text, face)) {
      // A width is linear in the size, and the fonts are the same files in every document: measured once per process
      // (fontkit's layout of each word was most of the time spent on a letter).
      const key = `${run.font}\u0000${run.text}`;
      let unit = WIDTHS.get(key);
      if (unit === undefined) {
        this.use(run.font, face);
        unit = this.doc.fontSize(1000).widthOfString(run.text) / 1000;
        if (WIDTHS.size > 100_000) WIDTHS.clear();
        WIDTHS.set(key, unit);
      }
      w += unit * size;
    }
    return w;
  }

  private drawText(text: string, face: Face, size: number, x: number, y: number): number {
    for (const run of fontRuns(text, face)) {
      this.use(run.font, face);
      this.doc.fontSize(size).text(run.text, x, y, { lineBreak: false });
      x += this.doc.widthOfString(run.text);
    }
    return x;
  }

  private tokens(spans: Span[], size: number): Token[] {
    const out: Token[] = [];
    let current: Word | null = null;
    let space = 0;
    for (const span of spans) {
      const face = faceOf(span);
      for (const m of span.text.normalize('NFC').matchAll(/\n|[^\S\n]+|[^\s]+/g)) {
        const t = m[0];
        if (t === '\n') {
          out.push('break');
          current = null;
          space = 0;
        } else if (/^\s+$/.test(t)) {
          current = null;
          space = this.textWidth(' ', face, size);
        } else if (current) {
          current.pieces.push({ text: t, face });
          current.width += this.textWidth(t, face, size);
        } else {
          current = { pieces: [{ text: t, face }], width: this.textWidth(t, face, size), space };
          out.push(current);
          space = 0;
        }
      }
    }
    return out;
  }

  /** A word wider than the box, cut by characters (a long code or address without spaces). */
  private cut(word: Word, width: number, size: number): Word[] {
    const parts: Word[] = [];
    let part: Word = { pieces: [], width: 0, space: word.space };
    for (const piece of word.pieces)
      for (const ch of piece.text) {
        const w = this.textWidth(ch, piece.face, size);
        if (part.width + w > width && part.pieces.length > 0) {
          parts.push(part);
          part = { pieces: [], width: 0, space: 0 };
        }
        const last = part.pieces.at(-1);
        if (last && last.face === piece.face) last.text += ch;
        else part.pieces.push({ text: ch, face: piece.face });
        part.width += w;
      }
    if (part.pieces.length > 0) parts.push(part);
    return parts;
  }

  /** Lays spans out in a box from `y`; returns the y below the last line. */
  block(spans: Span[], y: number, o: BlockOptions): number {
    const x0 = o.x ?? this.left;
    const width = o.width ?? this.right - x0;
    if (o.oneLine) {
      const natural = spans.reduce((w, sp) => w + this.textWidth(sp.text, faceOf(sp), o.size), 0);
      if (natural > width) o = { ...o, size: (o.size * width * 0.98) / natural, oneLine: false };
    }
    const lineHeight = o.size * (o.leading ?? 1.2);
    const draw = o.draw ?? true;
    const align = o.align ?? 'left';
    const lines: Array<{ words: Word[]; last: boolean; indent: number }> = [];
    let line: Word[] = [];
    let used = o.indent ?? 0;
    let indent = o.indent ?? 0;
    const close = (last: boolean) => {
      lines.push({ words: line, last, indent });
      line = [];
      used = indent = 0;
    };
    for (const token of this.tokens(spans, o.size)) {
      if (token === 'break') {
        close(true);
        continue;
      }
      const words = token.width > width - indent ? this.cut(token, width - indent, o.size) : [token];
      for (const w of words) {
        const add = (line.length > 0 ? w.space : 0) + w.width;
        if (line.length > 0 && used + add > width) close(false);
        used += (line.length > 0 ? w.space : 0) + w.width;
        line.push(w);
      }
    }
    if (line.length > 0 || lines.length === 0) close(true);

    for (const l of lines) {
      if (o.flow && y + lineHeight > this.bottom) {
        if (draw) this.addPage();
        y = this.top;
      }
      if (draw && l.words.length > 0) {
        const natural = l.words.reduce((s, w, i) => s + w.width + (i > 0 ? w.space : 0), 0);
        const free = width - l.indent - natural;
        let x = x0 + l.indent + (align === 'center' ? free / 2 : align === 'right' ? free : 0);
        const stretch = align === 'justify' && !l.last && l.words.length > 1 ? free / (l.words.length - 1) : 0;
        l.words.forEach((w, i) => {
          if (i > 0) x += w.space + stretch;
          for (const p of w.pieces) x = this.drawText(p.text, p.face, o.size, x, y);
        });
      }
      y += lineHeight;
    }
    return y;
  }

  /** A paragraph in the main column at the cursor, flowing over pages; `after` is the space below it. */
  paragraph(spans: Span[], o: Omit<BlockOptions, 'flow' | 'x' | 'width'> & { after?: number }): void {
    this.y = this.block(spans, this.y, { ...o, flow: true }) + (o.after ?? 0);
  }

  rule(x1: number, x2: number, y: number, width = 0.6): void {
    this.doc.save().lineWidth(width).moveTo(x1, y).lineTo(x2, y).stroke().restore();
  }

  rect(x: number, y: number, w: number, h: number): void {
    this.doc.save().lineWidth(0.6).rect(x, y, w, h).stroke().restore();
  }

  /**
   * A ruled table in the main column: a header row, then rows, each cell spans; a row that does not fit starts a new
   * page, which repeats the header.
   */
  table(columns: Array<{ width: number; header: Span[] }>, rows: Span[][][], o: { size: number; headerSize?: number; pad?: number }): void {
    const pad = o.pad ?? mm(1.2);
    const total = columns.reduce((s, c) => s + c.width, 0);
    const scale = this.width / total;
    const widths = columns.map((c) => c.width * scale);
    const heightOf = (cells: Span[][], size: number) =>
      Math.max(...cells.map((c, i) => this.block(c, 0, { size, width: widths[i]! - 2 * pad, x: 0, draw: false }))) + 2 * pad;
    const drawRow = (cells: Span[][], size: number, align: Align) => {
      const h = heightOf(cells, size);
      let x = this.left;
      cells.forEach((c, i) => {
        this.rect(x, this.y, widths[i]!, h);
        this.block(c, this.y + pad, { size, x: x + pad, width: widths[i]! - 2 * pad, align });
        x += widths[i]!;
      });
      this.y += h;
    };
    const header = () =>
      drawRow(
        columns.map((c) => c.header),
        o.headerSize ?? o.size,
        'center',
      );
    header();
    for (const row of rows) {
      if (this.y + heightOf(row, o.size) > this.bottom) {
        this.addPage();
        header();
      }
      drawRow(row, o.size, 'left');
    }
  }

  async end(): Promise<Buffer> {
    this.doc.end();
    return this.ended;
  }
}
