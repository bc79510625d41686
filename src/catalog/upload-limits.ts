/**
 * How much of an uploaded file is read: bytes, rows and the length of one
 * cell. Each is checked while the file is read, and reading stops at the
 * first one passed (issue 29: a 200,000-row catalogue or one 400 MB cell kept
 * the service busy for minutes). The API's limits come from the environment
 * (UPLOAD_MAX_BYTES, UPLOAD_MAX_ROWS, UPLOAD_MAX_CELL_CHARS); the CLI reads
 * files of any size and keeps only the cell limit.
 */

export interface UploadLimits {
  /** The body as sent (an XLSX's parts may unpack to UNPACK_FACTOR times as much). */
  maxBytes: number;
  /** Data rows of all tables together (or entries of a JSON catalogue). */
  maxRows: number;
  /** Characters in one cell (or one JSON string). */
  maxCellChars: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = { maxBytes: 5 * 1024 * 1024, maxRows: 20_000, maxCellChars: 4_000 };

/** The command line reads what the operator gives it; one cell is still a cell. */
export const CLI_UPLOAD_LIMITS: UploadLimits = {
  maxBytes: Number.MAX_SAFE_INTEGER,
  maxRows: Number.MAX_SAFE_INTEGER,
  maxCellChars: DEFAULT_UPLOAD_LIMITS.maxCellChars,
};

/** XML compresses about tenfold; a workbook whose parts claim more than this is refused before it is unpacked. */
export const UNPACK_FACTOR = 10;

/** A JSON catalogue is two arrays of flat-ish objects: anything nested deeper is not one. */
export const MAX_JSON_DEPTH = 32;

export type LimitName = 'bytes' | 'unpackedBytes' | 'rows' | 'cellChars' | 'depth';

/** Which limit was passed; the API answers 413 (bytes, rows) or 400 (a cell, nesting) naming it. */
export class UploadLimitError extends Error {
  override name = 'UploadLimitError';
  constructor(
    readonly limit: LimitName,
    readonly max: number,
    message: string,
  ) {
    super(message);
  }

  /** Too much content (the API's remedy is the CLI), as opposed to one malformed part. */
  get tooLarge(): boolean {
    return this.limit === 'bytes' || this.limit === 'unpackedBytes' || this.limit === 'rows';
  }
}

export const CLI_ADVICE = 'import a file this large with `npx dunghan catalog import FILE` on the server';

export function rowsExceeded(limits: UploadLimits, file: string): UploadLimitError {
  return new UploadLimitError('rows', limits.maxRows, `${file}: more than ${limits.maxRows} rows (UPLOAD_MAX_ROWS); reading stopped there`);
}

export function cellExceeded(limits: UploadLimits, where: string): UploadLimitError {
  return new UploadLimitError('cellChars', limits.maxCellChars, `${where}: a cell longer than ${limits.maxCellChars} characters (UPLOAD_MAX_CELL_CHARS)`);
}

/**
 * The sizes an XLSX (a ZIP archive) says its parts unpack to, summed from its central directory without unpacking
 * anything: a few kilobytes of compressed XML can claim gigabytes. Null when the archive cannot be read that way
 * (not a ZIP, ZIP64): the workbook reader then refuses it or the worker's own memory bound stops it.
 */
export function zipUnpackedSize(bytes: Uint8Array): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record: 22 bytes plus a comment of up to 65,535.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const entries = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) return null;
    const size = view.getUint32(at + 24, true);
    if (size === 0xffffffff) return null;
    total += size;
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return total;
}
