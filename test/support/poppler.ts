/**
 * Poppler's command-line tools (Debian poppler-utils, installed by .ci/run) as an independent reader of the PDFs the
 * service writes: the text a reader extracts, the page count and size, the fonts, the signatures.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function withFile<T>(pdf: Buffer, f: (file: string) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dunghan-pdf-'));
  const file = path.join(dir, 'doc.pdf');
  await fs.writeFile(file, pdf);
  try {
    return await f(file);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** The text in content order (`-raw`), as a reader copying it out gets it. */
export const pdfText = (pdf: Buffer) => withFile(pdf, async (f) => (await run('pdftotext', ['-raw', '-enc', 'UTF-8', f, '-'])).stdout);

/** `pdfinfo`'s fields: Pages, Page size… */
export const pdfInfo = (pdf: Buffer) =>
  withFile(pdf, async (f) => {
    const { stdout } = await run('pdfinfo', [f]);
    return Object.fromEntries(
      stdout
        .split('\n')
        .filter((l) => l.includes(':'))
        .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
    );
  });

/** `pdffonts`: each font's name, type, embedded and subset flags. */
export const pdfFonts = (pdf: Buffer) =>
  withFile(pdf, async (f) => {
    const { stdout } = await run('pdffonts', [f]);
    return stdout
      .split('\n')
      .slice(2)
      .filter((l) => l.trim())
      .map((l) => {
        const cols = l.trim().split(/\s+/);
        return { name: cols[0]!, embedded: cols.at(-5) === 'yes' };
      });
  });

/** `pdfsig`: its output and exit code (non-zero when a signature does not verify). */
export const pdfSig = (pdf: Buffer, args: string[] = []) =>
  withFile(pdf, (f) =>
    run('pdfsig', [...args, f]).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
    ),
  );

/** Whitespace collapsed and Unicode composed: how two renderings of one text are compared. */
export const normalise = (text: string) => text.normalize('NFC').replace(/\s+/g, ' ').trim();

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#x27': "'", '#39': "'", '#x3D': '=', '#x60': '`', nbsp: ' ' };
/** An HTML fragment's text: tags out (a line break as a space), entities decoded. */
export const htmlText = (html: string) =>
  normalise(
    html
      .replace(/<br\s*\/?>/g, ' ')
      .replace(/<[^>]+>/g, '')
      .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) => ENTITIES[e] ?? m),
  );
