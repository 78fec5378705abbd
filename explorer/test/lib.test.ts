import { describe, expect, it } from 'vitest';
import { resolveEndpoint, ENDPOINT_STORAGE_KEY } from '../src/api/endpoint.ts';
import { toCsv } from '../src/lib/csv.ts';
import { formatDuration, formatTokens } from '../src/lib/format.ts';
import { seatState } from '../src/lib/seats.ts';
import { parseBlockParam, withAsOf } from '../src/app/asOf.ts';

function memoryStorage(init: Record<string, string> = {}) {
  const m = new Map(Object.entries(init));
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
    m,
  };
}

describe('resolveEndpoint', () => {
  const config = async () => ({ graphqlUrl: 'http://gn:8000/subgraphs/name/ggn/explorer' });
  it('prefers ?endpoint= and remembers it', async () => {
    const s = memoryStorage();
    expect(
      await resolveEndpoint({ search: '?endpoint=http://x/graphql', storage: s, loadConfig: config }),
    ).toBe('http://x/graphql');
    expect(s.m.get(ENDPOINT_STORAGE_KEY)).toBe('http://x/graphql');
    expect(await resolveEndpoint({ search: '', storage: s, loadConfig: config })).toBe('http://x/graphql');
  });
  it('falls back to config.json, then /graphql; an empty ?endpoint= forgets the remembered one', async () => {
    const s = memoryStorage({ [ENDPOINT_STORAGE_KEY]: 'http://old' });
    expect(await resolveEndpoint({ search: '?endpoint=', storage: s, loadConfig: config })).toBe(
      'http://gn:8000/subgraphs/name/ggn/explorer',
    );
    expect(s.m.has(ENDPOINT_STORAGE_KEY)).toBe(false);
    const broken = async () => {
      throw new SyntaxError('Unexpected token <');
    };
    expect(await resolveEndpoint({ search: '', storage: null, loadConfig: broken })).toBe('/graphql');
    expect(await resolveEndpoint({ search: '', storage: null, loadConfig: async () => null })).toBe(
      '/graphql',
    );
  });
});

describe('csv', () => {
  it('quotes per RFC 4180 and defuses formula cells', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          ['=SUM(A1)', -5],
          [null, 'l1\nl2'],
        ],
      ),
    ).toBe('a,b\r\n"x,y","say ""hi"""\r\n\'=SUM(A1),-5\r\n,"l1\nl2"\r\n');
  });
});

describe('format', () => {
  it('formats 18-decimal amounts without floating point', () => {
    expect(formatTokens('50000000000000000000')).toBe('50');
    expect(formatTokens('1234567891234567891234567')).toBe('1,234,567.8912');
    expect(formatTokens('1')).toBe('0.0001');
    expect(formatDuration(365 * 86400)).toBe('1y');
    expect(formatDuration(3 * 86400 + 4 * 3600)).toBe('3d 4h');
  });
});

describe('seat state', () => {
  const lease = (end: number) => ({
    id: 'l',
    start: '0',
    end: String(end),
    status: 'ACTIVE',
    renewals: 0,
    motion: { motionId: '1' },
  });
  const holder = { id: '1-2', groupId: '2', name: 'G' };
  it('is active, ending soon inside the renewal window, ended-unsettled after end, vacant without lease', () => {
    expect(seatState({ role: 'GENERATION', holder, currentLease: lease(1000) }, 100, 500)).toBe('active');
    expect(seatState({ role: 'GENERATION', holder, currentLease: lease(1000) }, 600, 500)).toBe(
      'ending-soon',
    );
    expect(seatState({ role: 'GENERATION', holder, currentLease: lease(1000) }, 1000, 500)).toBe(
      'ended-unsettled',
    );
    expect(seatState({ role: 'GENERATION', holder: null, currentLease: null }, 1000, 500)).toBe('vacant');
    expect(seatState({ role: 'COMMUNITY', holder: null, currentLease: null }, 1000, 500)).toBe('community');
  });
});

describe('as-of URL', () => {
  it('parses ?block and keeps it on links', () => {
    expect(parseBlockParam('?block=12')).toBe(12);
    expect(parseBlockParam('?block=x')).toBeUndefined();
    expect(withAsOf('/areas/1', 12)).toBe('/areas/1?block=12');
    expect(withAsOf('/embed/areas/1/tally?motion=3', 12)).toBe('/embed/areas/1/tally?motion=3&block=12');
    expect(withAsOf('/areas/1', undefined)).toBe('/areas/1');
  });
});
