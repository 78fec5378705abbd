// GraphiQL in a real browser: it loads from our bundle alone (every request outside
// the server is blocked and recorded), opens the auditor queries as tabs, and runs the
// first one against a store of the real subgraph schema (one empty block indexed).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { build } from 'vite';
import { chromium, type Browser } from 'playwright-core';
import { startApiServer, type ApiServer } from '../../src/server/api-server.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { parseSchema } from '../../src/schema/model.js';
import { ptr } from '../graphql/fixture.js';

// Monaco renders spaces as no-break spaces.
const text = async (l: { innerText(): Promise<string> }) => (await l.innerText()).replace(/\u00a0/g, ' ');

const indexerDir = fileURLToPath(new URL('../../', import.meta.url));
let store: SqliteStore;
let api: ApiServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(indexerDir, 'dist', 'graphiql', 'index.html')))
    await build({ configFile: join(indexerDir, 'graphiql', 'vite.config.ts'), logLevel: 'error' });
  const model = parseSchema(readFileSync(join(indexerDir, '..', 'subgraph', 'schema.graphql'), 'utf8'));
  store = SqliteStore.open(':memory:', model, { deployment: 'QmGraphiQL' });
  store.commitBlock(ptr(1), [], []);
  api = await startApiServer({ store, schema: model });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
  store?.close();
});

it('serves a working GraphiQL with no external requests', async () => {
  const page = await browser.newPage();
  const external: string[] = [];
  const pageErrors: string[] = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(api.url) || url.startsWith('data:') || url.startsWith('blob:'))
      return route.continue();
    external.push(url);
    return route.abort();
  });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(`${api.url}/graphiql`);
  await page.waitForSelector('.graphiql-container', { timeout: 90_000 });
  // the seven auditor queries of api.md, as tabs named by operation
  await expect.poll(() => page.locator('.graphiql-tab').count(), { timeout: 90_000 }).toBe(7);
  expect(await page.locator('.graphiql-tab').allInnerTexts()).toEqual([
    'AreaSeats', 'PassedMotions', 'MotionVotes', 'SeatsAtBlock20', 'LeasesEndingSoon', 'AuditTrail', 'IndexingStatus',
  ]); // prettier-ignore
  // the active (first) tab, once its editor holds the query
  await expect
    .poll(() => text(page.locator('.graphiql-query-editor')), { timeout: 90_000 })
    .toContain('query AreaSeats');
  await page.locator('.graphiql-execute-button').click();
  await expect
    .poll(() => text(page.locator('.result-window')), { timeout: 90_000 })
    .toMatch(/"area": null|"errors"/);
  const result = await text(page.locator('.result-window'));
  expect(result, result).toContain('"area": null');
  expect(external).toEqual([]);
  expect(pageErrors).toEqual([]);
  await page.close();
}, 300_000);
