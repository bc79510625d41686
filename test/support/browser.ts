/**
 * Headless Chromium through playwright-core (the binary @sparticuz/chromium
 * ships, or a system one: see chromium-path.mjs), and an app listening on
 * loopback for it to visit.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { chromium, type Browser } from 'playwright-core';
import { createTestApp, type TestApp } from './test-app.js';

/**
 * Chromium, launched again when it crashes at launch: on a busy machine it sometimes dies before it answers (seen in
 * CI-like runs, issue 24); a crash after launch is the test's to report.
 */
export async function launchChromium(attempts = 3): Promise<Browser> {
  for (let i = 1; ; i++) {
    try {
      return await chromium.launch({
        executablePath: process.env.DUNGHAN_CHROMIUM ?? '/usr/bin/chromium',
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
    } catch (err) {
      if (i >= attempts) throw err;
      console.warn(`Chromium failed to launch (attempt ${i} of ${attempts}), trying again: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
  }
}

export async function listen(app: Express): Promise<{ server: Server; base: string }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export interface BrowserApp {
  t: TestApp;
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

/** A test app listening on loopback, and Chromium to visit it. */
export async function startBrowserApp(options: { now?: number } = {}): Promise<BrowserApp> {
  const t = await createTestApp(options);
  const { server, base } = await listen(t.app);
  const browser = await launchChromium();
  return {
    t,
    base,
    browser,
    close: async () => {
      await browser.close();
      await new Promise((r) => server.close(r));
      await t.close();
    },
  };
}
