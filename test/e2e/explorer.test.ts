// The explorer against the whole real stack on the default history: every page
// shows what the API says (the test asks the API itself for the values; nothing
// is hard-coded), navigation is by clicking, "as of" shows an earlier state,
// CSV export has every row. Screenshots go to test/artifacts/.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from '../../scripts/stack.ts';
import { launchBrowser, mainText, waitForText, type Browser } from './browser.ts';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const LEASE_ROLES = ['GENERATION', 'TRANSMISSION', 'DISTRIBUTION'];

type Stack = Awaited<ReturnType<typeof startStack>>;
let stack: Stack;
let dataDir: string;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

async function gqlRaw(query: string): Promise<any> {
  const res = await fetch(stack.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return res.json();
}
async function gql<T = any>(query: string): Promise<T> {
  const body = await gqlRaw(query);
  if (body.errors?.length) throw new Error(`API error for ${query}: ${JSON.stringify(body.errors)}`);
  return body.data as T;
}
/** Count every row of a collection with the test's own id_gt paging. */
async function countAll(plural: string, where: string): Promise<{ count: number; ids: Set<string> }> {
  const ids = new Set<string>();
  let cursor = '';
  for (;;) {
    const w = cursor ? `{${where}, id_gt: ${JSON.stringify(cursor)}}` : `{${where}}`;
    const rows: { id: string }[] = (await gql(`{ ${plural}(first: 1000, orderBy: id, where: ${w}) { id } }`))[
      plural
    ];
    rows.forEach((r) => ids.add(r.id));
    if (rows.length < 1000) return { count: ids.size, ids };
    cursor = rows[rows.length - 1].id;
  }
}
const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
const path = () => new URL(page.url()).pathname;
const search = () => new URL(page.url()).searchParams;
async function waitForPath(re: RegExp) {
  const until = Date.now() + 20_000;
  while (!re.test(path())) {
    if (Date.now() > until) throw new Error(`expected ${re}, at ${page.url()}`);
    await page.waitForTimeout(100);
  }
}
async function seatHolders(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const role of [...LEASE_ROLES, 'FOUNDATION']) {
    out[role] = await waitForText(
      page.locator(`[data-testid="seat-${role}"] [data-testid="seat-holder"]`),
      (t) => t.length > 0,
    );
  }
  return out;
}

interface AreaInfo {
  id: string;
  name: string;
  code: string;
  motionCount: number;
  consumerCount: number;
  openMotionCount: number;
  eventCount: number;
}
let areas: AreaInfo[];
let area: AreaInfo;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'ggn-e2e-explorer-'));
  stack = await startStack({ port: 0, dbPath: join(dataDir, 'store.sqlite') });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  areas = (
    await gql<{ areas: AreaInfo[] }>(
      '{ areas(first: 1000, orderBy: motionCount, orderDirection: desc) { id name code motionCount consumerCount openMotionCount eventCount } }',
    )
  ).areas;
  expect(areas.length, 'the default history creates areas').toBeGreaterThan(0);
  area = areas[0];
  expect(area.motionCount, 'the default history has motions').toBeGreaterThan(0);
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

describe('explorer on the default history', () => {
  it('overview lists every area with the API figures and the indexing status', async () => {
    await page.goto(`${stack.url}/`);
    const text = await mainText(page, areas[areas.length - 1].name);
    for (const a of areas) {
      expect(text).toContain(a.name);
      expect(text).toContain(a.code);
      await waitForText(
        page.locator(`[data-testid="consumers-${a.id}"]`),
        (t) => t === String(a.consumerCount),
      );
    }
    const meta = await gql<{ _meta: { block: { number: number } } }>('{ _meta { block { number } } }');
    await waitForText(
      page.locator('[data-testid="head-block"]'),
      (t) => t === String(meta._meta.block.number),
    );
    expect(await page.locator('header.site-header').count()).toBe(1);
    await shot('overview');
  });

  it('area page: clicking an area shows its seats as the API has them', async () => {
    await page.getByRole('link', { name: area.name, exact: true }).first().click();
    await waitForPath(new RegExp(`^/areas/${area.id}$`));
    // In-app navigation takes keyboard and screen-reader users to the new page's content.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    const { seats } = await gql<{
      seats: { role: string; holder: { name: string } | null; allocation: string }[];
    }>(`{ seats(where: { area: "${area.id}" }) { role holder { name } allocation } }`);
    expect(seats).toHaveLength(5);
    const shown = await seatHolders();
    for (const s of seats.filter((s) => s.role !== 'COMMUNITY'))
      expect(shown[s.role], s.role).toBe(s.holder ? s.holder.name : 'Vacant');
    const { motions } = await gql(
      `{ motions(where: { area: "${area.id}" }, orderBy: motionId, orderDirection: desc, first: 1) { motionId } }`,
    );
    await waitForText(
      page.locator('section[aria-labelledby="motions-h"] tbody tr th').first(),
      (t) => t === `#${motions[0].motionId}`,
    );
    const text = await mainText(page, 'Token distribution');
    expect(text).toContain('Lease timeline');
    expect(await page.locator('svg[role="img"]').count()).toBeGreaterThanOrEqual(3);
    await shot('area');
  });

  it('motion page: paging to the most-voted motion and opening it shows every vote', async () => {
    const { motions } = await gql(
      `{ motions(where: { area: "${area.id}" }, orderBy: voteCount, orderDirection: desc, first: 1) { id motionId kind status vetoed vetoReason quorumBps applicant { name } } }`,
    );
    const m = motions[0];
    const table = page.locator('section[aria-labelledby="motions-h"]');
    // keyset paging through the motion history until the motion's row appears
    for (let i = 0; i < 100; i++) {
      await waitForText(table, (t) => t.includes('Page ') && !t.includes('Loading'));
      const link = table.getByRole('link', { name: `#${m.motionId}`, exact: true });
      if ((await link.count()) > 0) {
        await link.click();
        break;
      }
      await table.getByRole('button', { name: 'Older →' }).click();
    }
    await waitForPath(new RegExp(`^/areas/${area.id}/motions/${m.motionId}$`));
    const { votes } = await gql(
      `{ votes(where: { motion: "${m.id}" }, first: 1000) { group { name } support weight reason transactionHash } }`,
    );
    const text = await mainText(page, 'Votes cast');
    expect(votes.length).toBeGreaterThan(0);
    for (const v of votes) {
      expect(text).toContain(v.group.name);
      if (v.reason) expect(text).toContain(v.reason);
      expect(
        await page.locator(`[data-hash="${v.transactionHash}"]`).count(),
        v.transactionHash,
      ).toBeGreaterThan(0);
    }
    expect(await page.locator('section[aria-labelledby="votes-h"] tbody tr').count()).toBe(votes.length);
    if (m.applicant)
      expect(await page.locator('[data-testid="motion-applicant"]').textContent()).toBe(m.applicant.name);
    if (m.vetoed && m.vetoReason) expect(text).toContain(m.vetoReason);
    expect(text).toContain(`quorum ${m.quorumBps / 100}%`);
    expect(await page.locator('.tally-quorum').count()).toBe(1);
    await shot('motion');
  });

  it('group page: clicking a voter group shows its role, account, members and votes', async () => {
    const firstVoteGroup = page.locator('section[aria-labelledby="votes-h"] tbody tr th a').first();
    const name = (await firstVoteGroup.textContent())!;
    await firstVoteGroup.click();
    await waitForPath(new RegExp(`^/areas/${area.id}/groups/\\d+$`));
    const groupId = path().split('/').pop()!;
    const id = `${area.id}-${groupId}`;
    const {
      memberGroup: g,
      groupMemberships,
      votes,
    } = await gql(
      `{ memberGroup(id: "${id}") { name role account votesCast } groupMemberships(where: { group: "${id}" }, first: 1000) { member active } votes(where: { group: "${id}" }, first: 100) { id } }`,
    );
    expect(g.name).toBe(name);
    await mainText(page, 'Members, current and past');
    expect(await page.locator('[data-testid="group-account"]').textContent()).toBe(g.account);
    expect((await page.locator('[data-testid="group-role"]').textContent())!.toUpperCase()).toBe(g.role);
    expect(
      await page.locator('section[aria-labelledby="members-h"] table').first().locator('tbody tr').count(),
    ).toBe(groupMemberships.length);
    expect(await page.locator('section[aria-labelledby="votes-h"] tbody tr').count()).toBe(votes.length);
    await shot('group');
  });

  it('COMMUNITY group page shows the consumers delegating to it', async () => {
    const { memberGroups } = await gql(
      `{ memberGroups(where: { area: "${area.id}", role: COMMUNITY }, orderBy: delegationCount, orderDirection: desc, first: 1) { groupId name delegationCount } }`,
    );
    if (memberGroups.length === 0) return; // the area has no COMMUNITY group; checked on other pages
    const g = memberGroups[0];
    await page.getByRole('link', { name: area.name }).first().click(); // breadcrumb back to the area
    await waitForPath(new RegExp(`^/areas/${area.id}$`));
    await page
      .locator('section[aria-labelledby="groups-h"]')
      .getByRole('link', { name: g.name, exact: true })
      .click();
    await waitForPath(new RegExp(`^/areas/${area.id}/groups/${g.groupId}$`));
    const text = await mainText(page, 'Consumers delegating to this group');
    expect(text).toContain(`Delegating consumers (${g.delegationCount}`);
    expect(await page.locator('section[aria-labelledby="delegators-h"] tbody tr td.empty-cell').count()).toBe(
      g.delegationCount > 0 ? 0 : 1,
    );
    await shot('group-community');
  });

  it('audit trail is in chain order and its CSV export has every row', async () => {
    await page.goto(`${stack.url}/areas/${area.id}`);
    await page.getByRole('link', { name: /Audit trail/ }).click();
    await waitForPath(new RegExp(`^/areas/${area.id}/audit$`));
    const { governanceEvents } = await gql(
      `{ governanceEvents(where: { area: "${area.id}" }, orderBy: blockNumber, first: 200) { id kind blockNumber logIndex transactionHash } }`,
    );
    const minBlock = governanceEvents[0].blockNumber;
    const firstInChain = governanceEvents
      .filter((e: any) => e.blockNumber === minBlock)
      .sort((a: any, b: any) => Number(a.logIndex) - Number(b.logIndex))[0];
    await mainText(page, firstInChain.kind);
    const firstRow = page.locator('main tbody tr').first();
    expect(await firstRow.locator('th').textContent()).toBe(String(minBlock));
    expect(await firstRow.locator(`[data-hash="${firstInChain.transactionHash}"]`).count()).toBe(1);
    const all = await countAll('governanceEvents', `area: "${area.id}"`);
    expect(all.count).toBe(area.eventCount);
    expect(await page.locator('main tbody tr').count()).toBe(Math.min(50, all.count));
    await shot('audit');
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 120_000 }),
      page.getByRole('button', { name: /Export .* as CSV/ }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trimEnd()
      .split('\r\n');
    expect(csv[0].split(',')[0]).toBe('id');
    const csvIds = csv.slice(1).map((l) => l.split(',')[0]);
    expect(csvIds.length).toBe(all.count);
    expect(new Set(csvIds)).toEqual(all.ids);
    // the second page continues where the first ended (keyset), when there is one
    if (all.count > 50) {
      const lastOfFirst = await page
        .locator('main tbody tr')
        .last()
        .locator('[data-hash]')
        .getAttribute('data-hash');
      await page.getByRole('button', { name: 'Later →' }).click();
      await waitForText(page.locator('.pager'), (t) => t.includes('Page 2'));
      await waitForText(page.locator('main tbody'), (t) => t.length > 0 && !t.includes('Loading'));
      expect(await page.locator('main tbody tr').count()).toBe(Math.min(50, all.count - 50));
      expect(lastOfFirst).toBeTruthy();
    }
  });

  it('"as of" a block before the latest lease grant shows the earlier seat holders, and links keep the block', async () => {
    const { leases } = await gql(
      `{ leases(where: { area: "${area.id}" }, orderBy: grantedAtBlock, orderDirection: desc, first: 1000) { grantedAtBlock seat { role } group { name } } }`,
    );
    expect(leases.length, 'the default history grants leases').toBeGreaterThan(0);
    const seatsAt = async (block?: number) => {
      const b = block === undefined ? '' : `block: { number: ${block} }, `;
      const { seats } = await gql(`{ seats(${b}where: { area: "${area.id}" }) { role holder { name } } }`);
      return Object.fromEntries(
        seats.map((s: any) => [s.role, s.holder ? s.holder.name : 'Vacant']),
      ) as Record<string, string>;
    };
    const latest = await seatsAt();
    // the latest grant whose block-before shows a different holder for some seat
    let block: number | undefined;
    let before: Record<string, string> = {};
    for (const l of leases) {
      const b = Number(l.grantedAtBlock) - 1;
      before = await seatsAt(b);
      if (LEASE_ROLES.some((r) => before[r] !== latest[r])) {
        block = b;
        break;
      }
    }
    expect(block, 'some seat had another holder before a grant').toBeDefined();
    await page.goto(`${stack.url}/areas/${area.id}`);
    await seatHolders();
    await page.locator('form.asof input[name="block"]').fill(String(block));
    await page.locator('form.asof').getByRole('button', { name: 'Show' }).click();
    await waitForText(page.locator('.asof-banner'), (t) => t.includes(`block ${block}`));
    expect(search().get('block')).toBe(String(block));
    await waitForText(
      page.locator('[data-testid="seat-GENERATION"] [data-testid="seat-holder"]'),
      (t) => t === before.GENERATION,
    );
    const shown = await seatHolders();
    for (const r of LEASE_ROLES) expect(shown[r], r).toBe(before[r]);
    await shot('area-as-of');
    await page.getByRole('link', { name: /Audit trail/ }).click();
    await waitForPath(/\/audit$/);
    expect(search().get('block')).toBe(String(block));
    // back to the latest state
    await page.locator('form.asof').getByRole('button', { name: 'Latest' }).click();
    await waitForText(page.locator('main'), (t) => !t.includes('Loading'));
    expect(search().get('block')).toBeNull();

    // by date: a minute before that grant's block time, the page shows the last block at or
    // before the date (checked against the API, not recomputed) and that block's seat holders
    const grantTime = Number(
      (await gql(`{ governanceEvents(where: { blockNumber: "${block! + 1}" }, first: 1) { timestamp } }`))
        .governanceEvents[0].timestamp,
    );
    const date = new Date((Math.floor(grantTime / 60) - 1) * 60 * 1000);
    const T = date.getTime() / 1000;
    await page.goto(`${stack.url}/areas/${area.id}`);
    await seatHolders();
    await page.locator('form.asof').getByRole('radio', { name: 'Date' }).check();
    await page.locator('form.asof input[name="date"]').fill(date.toISOString().slice(0, 16));
    await page.locator('form.asof').getByRole('button', { name: 'Show' }).click();
    await waitForText(page.locator('.asof-banner'), (t) => t.includes('Showing the chain as of block'));
    const n = Number(search().get('block'));
    expect(n).toBeLessThanOrEqual(block!);
    const atN = await gql(`{ governanceEvents(where: { blockNumber: "${n}" }, first: 1) { timestamp } }`);
    expect(Number(atN.governanceEvents[0].timestamp)).toBeLessThanOrEqual(T);
    const later = await gql(
      `{ governanceEvents(where: { blockNumber_gt: "${n}", timestamp_lte: "${T}" }, first: 1) { id } }`,
    );
    expect(later.governanceEvents).toEqual([]);
    const expected = await seatsAt(n);
    await waitForText(
      page.locator('[data-testid="seat-GENERATION"] [data-testid="seat-holder"]'),
      (t) => t === expected.GENERATION,
    );
    const byDate = await seatHolders();
    for (const r of LEASE_ROLES) expect(byDate[r], r).toBe(expected[r]);
  });

  it('shows the API error message for a block not yet indexed', async () => {
    const head = (await gql('{ _meta { block { number } } }'))._meta.block.number;
    const future = head + 1_000_000;
    const body = await gqlRaw(`{ area(id: "${area.id}", block: { number: ${future} }) { id } }`);
    expect(body.errors?.length).toBeGreaterThan(0);
    await page.goto(`${stack.url}/areas/${area.id}?block=${future}`);
    const alert = await waitForText(page.locator('main [role="alert"]'), (t) => t.length > 0);
    expect(alert).toContain(body.errors[0].message);
    await shot('error-future-block');
  });

  it('embeds each chart without the site chrome', async () => {
    const { motions } = await gql(
      `{ motions(where: { area: "${area.id}" }, orderBy: voteCount, orderDirection: desc, first: 1) { motionId forVotes totalWeight } }`,
    );
    for (const chart of ['distribution', 'tally', 'leases', 'activity']) {
      const q = chart === 'tally' ? `?motion=${motions[0].motionId}` : '';
      await page.goto(`${stack.url}/embed/areas/${area.id}/${chart}${q}`);
      await page.locator('main.embed svg[role="img"]').waitFor({ timeout: 30_000 });
      expect(await page.locator('header.site-header').count()).toBe(0);
      await page.screenshot({ path: join(ARTIFACTS, `embed-${chart}.png`) });
    }
    const m = motions[0];
    const forPct = (
      (Number((BigInt(m.forVotes) * 1_000_000_000n) / BigInt(m.totalWeight)) / 1e9) *
      100
    ).toFixed(1);
    await page.goto(`${stack.url}/embed/areas/${area.id}/tally?motion=${m.motionId}`);
    await waitForText(page.locator('figcaption'), (t) => t.includes(`For ${forPct}%`));
  });

  it('is usable at 375px: no horizontal page scroll, skip link first in tab order', async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    for (const [name, url] of [
      ['overview-phone', '/'],
      ['area-phone', `/areas/${area.id}`],
      ['audit-phone', `/areas/${area.id}/audit`],
    ]) {
      await page.goto(`${stack.url}${url}`);
      await waitForText(page.locator('main'), (t) => t.length > 40 && !/Loading [a-z ]+…/.test(t));
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, name).toBeLessThanOrEqual(0);
      await shot(name);
    }
    // After a full page load focus is where the browser puts it (only in-app navigation
    // moves it to <main>), so the first Tab reaches the skip link.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BODY');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('raised no script errors in the browser', () => {
    expect(pageErrors).toEqual([]);
  });
});
