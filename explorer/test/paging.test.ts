// CSV export completeness: id_gt keyset paging against a small local fake of
// the API (unit test only), including counts that are exact multiples of 1000.
import { describe, expect, it } from 'vitest';
import { fetchAllById } from '../src/api/paging.ts';

/** Answers `plural(first, orderBy: id, where: {..., id_gt})` from an in-memory table, like graph-node. */
function fakeApi(ids: string[]) {
  const sorted = [...ids].sort(); // byte-wise, as graph-node's C collation
  const seen: string[] = [];
  const fetcher = async (query: string) => {
    seen.push(query);
    const first = Number(/first: (\d+)/.exec(query)![1]);
    expect(first).toBeLessThanOrEqual(1000);
    expect(query).not.toMatch(/skip/);
    const gt = /id_gt: "([^"]*)"/.exec(query)?.[1];
    const rows = sorted.filter((id) => gt === undefined || id > gt).slice(0, first);
    return { items: rows.map((id) => ({ id, n: 1 })) };
  };
  return { fetcher, seen };
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `0x${(i * 7919).toString(16)}-${i % 13}`);

describe('fetchAllById', () => {
  for (const n of [0, 1, 999, 1000, 2000, 2503]) {
    it(`returns all ${n} rows in id order, 1000 per request`, async () => {
      const api = fakeApi(ids(n));
      const progress: number[] = [];
      const rows = await fetchAllById<{ id: string }>(
        api.fetcher,
        'items',
        { area: '1' },
        'n',
        undefined,
        (k) => progress.push(k),
      );
      expect(rows).toHaveLength(n);
      expect(new Set(rows.map((r) => r.id)).size).toBe(n);
      expect(rows.map((r) => r.id)).toEqual([...ids(n)].sort());
      expect(api.seen).toHaveLength(Math.floor(n / 1000) + 1);
      expect(progress.at(-1)).toBe(n);
      // every page after the first continues after the last id of the previous one
      for (let i = 1; i < api.seen.length; i++)
        expect(api.seen[i]).toContain(`id_gt: "${rows[i * 1000 - 1].id}"`);
    });
  }

  it('keeps the filter and the "as of" block on every page', async () => {
    const api = fakeApi(ids(1500));
    await fetchAllById(api.fetcher, 'items', { area: '7' }, 'n', 33);
    for (const q of api.seen) {
      expect(q).toContain('area: "7"');
      expect(q).toContain('block: {number: 33}');
    }
  });
});
