/**
 * Which Chromium the browser tests drive: the one `npm ci` installs
 * (@sparticuz/chromium ships it inside the package and unpacks it to the temp
 * directory; it needs only libc, libgcc and libexpat from the system), else a
 * system Chromium. Resolved once, in the global setup, so that parallel test
 * files never unpack it at the same time.
 */
import { existsSync } from 'node:fs';

const SYSTEM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export async function resolveChromium() {
  if (process.env.DUNGHAN_CHROMIUM) return process.env.DUNGHAN_CHROMIUM;
  try {
    const { default: chromium } = await import('@sparticuz/chromium');
    return await chromium.executablePath();
  } catch (err) {
    const found = SYSTEM.find((p) => existsSync(p));
    if (found) return found;
    throw new Error(
      `no Chromium for the browser tests: @sparticuz/chromium failed (${err instanceof Error ? err.message : String(err)}) and none of ${SYSTEM.join(', ')} exists`,
      { cause: err },
    );
  }
}
