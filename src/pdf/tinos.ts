/**
 * Tinos (metric-compatible with Times New Roman, the typeface Decree 30/2020
 * asks for) for PDFs, from the same @fontsource/tinos package the HTML letters
 * load. Fontsource ships the font split into subsets (latin, vietnamese,
 * latin-ext…), and Vietnamese text needs several of them in one word ("Việt":
 * V, i, t from latin, ệ from vietnamese). So, as a browser does, each
 * character is drawn with the subset whose CSS `unicode-range` covers it: the
 * ranges are read from the package's own CSS, so the PDF picks the glyphs the
 * HTML page picks. pdfkit reads the WOFF files (fontkit) and embeds only the
 * glyphs used.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

export type Weight = 400 | 700;
export interface Face {
  weight: Weight;
  italic: boolean;
}

/** The subsets Vietnamese administrative text needs, in the order a character is looked up. */
const SUBSETS = ['latin', 'vietnamese', 'latin-ext'] as const;

const DIR = path.dirname(createRequire(import.meta.url).resolve('@fontsource/tinos/400.css'));

interface Subset {
  name: string;
  ranges: Array<[number, number]>;
  file: string;
}

function rangesOf(css: string, subset: string): Array<[number, number]> {
  const block = new RegExp(`/\\* tinos-${subset}-\\d+-(?:normal|italic) \\*/[^}]*unicode-range:\\s*([^;]+);`).exec(css);
  if (!block) throw new Error(`@fontsource/tinos: no unicode-range for subset ${subset}`);
  return block[1]!.split(',').map((r) => {
    const [a, b] = r.trim().replace(/^U\+/i, '').split('-');
    return [parseInt(a!, 16), parseInt(b ?? a!, 16)];
  });
}

const cssName = (f: Face) => `${f.weight}${f.italic ? '-italic' : ''}.css`;
const faceKey = (f: Face) => `${f.weight}-${f.italic ? 'italic' : 'normal'}`;

const faces = new Map<string, Subset[]>();

function subsetsOf(face: Face): Subset[] {
  const key = faceKey(face);
  let list = faces.get(key);
  if (!list) {
    const css = fs.readFileSync(path.join(DIR, cssName(face)), 'utf8');
    list = SUBSETS.map((s) => ({ name: `Tinos-${s}-${key}`, ranges: rangesOf(css, s), file: path.join(DIR, 'files', `tinos-${s}-${key}.woff`) }));
    faces.set(key, list);
  }
  return list;
}

const fileCache = new Map<string, Buffer>();
/** The font files of a face, by the name a document registers them under. */
export function fontFiles(face: Face): Array<{ name: string; data: Buffer }> {
  return subsetsOf(face).map((s) => {
    let data = fileCache.get(s.file);
    if (!data) fileCache.set(s.file, (data = fs.readFileSync(s.file)));
    return { name: s.name, data };
  });
}

/** Text cut into runs, each drawn with one subset's font; a character no subset covers falls to latin's (.notdef). */
export function fontRuns(text: string, face: Face): Array<{ font: string; text: string }> {
  const subsets = subsetsOf(face);
  const runs: Array<{ font: string; text: string }> = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const font = (subsets.find((s) => s.ranges.some(([a, b]) => cp >= a && cp <= b)) ?? subsets[0]!).name;
    const last = runs.at(-1);
    if (last?.font === font) last.text += ch;
    else runs.push({ font, text: ch });
  }
  return runs;
}
