// Debian chromium driven by playwright-core, with a fresh profile per run.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const profile = mkdtempSync(join(tmpdir(), 'ggn-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Wait until the locator's text satisfies `ok` (pages load their data after navigation). */
export async function waitForText(
  locator: Locator,
  ok: (text: string) => boolean,
  timeout = 30_000,
): Promise<string> {
  const until = Date.now() + timeout;
  let last = '';
  while (Date.now() < until) {
    if ((await locator.count()) > 0) {
      last = ((await locator.first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
      if (ok(last)) return last;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for text; last seen: "${last.slice(0, 300)}"`);
}

/** The main landmark's text once the page shows neither a loading state nor nothing. */
export async function mainText(page: Page, contains: string, timeout = 30_000): Promise<string> {
  return waitForText(
    page.locator('main'),
    (t) => t.includes(contains) && !/Loading [a-z ]+…/.test(t),
    timeout,
  );
}
