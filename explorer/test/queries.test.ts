// Query builders: the block argument, keyset paging, and validity of every
// query the explorer sends against the API generated from subgraph/schema.graphql
// (the indexer's graph-node-compatible generator).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchema, parse, validate, visit, Kind, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildQuery, en, literal } from '../src/api/graphql.ts';
import { idPageQuery } from '../src/api/paging.ts';
import { fieldCost, fitFirst, MAX_QUERY_COST, planQueries } from '../src/api/cost.ts';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import {
  EVENT_FIELDS,
  LEASE_FIELDS,
  areaQuery,
  auditPageQuery,
  chainOrder,
  dayDataQuery,
  groupQuery,
  motionQuery,
  motionsPageQuery,
  overviewQueries,
} from '../src/api/queries.ts';
import { asOfTimeQuery, headQuery } from '../src/app/chain.tsx';
import { blockAtOrBeforeQuery } from '../src/components/AsOfControl.tsx';

let api: GraphQLSchema;
// The indexer's generator is loaded at run time so that this workspace's type
// check does not take in another workspace's sources.
const indexerModule = (p: string) =>
  import(/* @vite-ignore */ new URL(`../../indexer/src/${p}`, import.meta.url).href);

beforeAll(async () => {
  const { parseSchema } = await indexerModule('schema/model.ts');
  const { apiSchemaSDL } = await indexerModule('graphql/schema.ts');
  const sdl = readFileSync(fileURLToPath(new URL('../../subgraph/schema.graphql', import.meta.url)), 'utf8');
  // via SDL: the generator may use another graphql-js module instance than this test
  api = buildSchema(apiSchemaSDL(parseSchema(sdl)));
});

/** Every root field's `block` argument, as printed. */
function rootBlockArgs(query: string): (string | undefined)[] {
  const doc = parse(query);
  const op = doc.definitions[0];
  if (op.kind !== Kind.OPERATION_DEFINITION) throw new Error('not an operation');
  return op.selectionSet.selections.map((s) => {
    if (s.kind !== Kind.FIELD) return undefined;
    const b = s.arguments?.find((a) => a.name.value === 'block');
    if (!b || b.value.kind !== Kind.OBJECT) return undefined;
    return b.value.fields
      .map((f) => `${f.name.value}=${f.value.kind === Kind.INT ? f.value.value : '?'}`)
      .join(',');
  });
}

function usesSkip(query: string): boolean {
  let found = false;
  visit(parse(query), { Argument: (n) => void (n.name.value === 'skip' && (found = true)) });
  return found;
}

const allQueryLists = (block: number | undefined): Record<string, string | string[]> => ({
  overview: overviewQueries(block),
  area: areaQuery('1', block),
  days: dayDataQuery('1', 120, block),
  motionsFirst: motionsPageQuery('1', {}, undefined, 21, block),
  motionsNext: motionsPageQuery('1', { kind: 'SEAT_ALLOCATION', status: 'PASSED' }, '7', 21, block),
  motion: motionQuery('1', '3', block),
  group: groupQuery('1', '2', block),
  auditFirst: auditPageQuery('1', {}, undefined, 51, block),
  auditNext: auditPageQuery(
    '1',
    { kind: 'VoteCast', fromBlock: 3, toBlock: 90 },
    { blockNumber: '12', id: '0xab-3' },
    51,
    block,
  ),
  csvPage: idPageQuery('governanceEvents', { area: '1' }, 'kind blockNumber', block, '0xab-3'),
  asOfTime: asOfTimeQuery(block ?? 5),
  head: headQuery,
  dateToBlock: blockAtOrBeforeQuery(1_800_000_000),
  csvLeases: idPageQuery(
    'leases',
    { area: '1' },
    LEASE_FIELDS,
    block,
    'x',
    fitFirst({ name: 'leases', selection: LEASE_FIELDS }, 1000),
  ),
  csvEvents: idPageQuery(
    'governanceEvents',
    { area: '1' },
    EVENT_FIELDS,
    block,
    'x',
    fitFirst({ name: 'governanceEvents', selection: EVENT_FIELDS }, 1000),
  ),
});

/** Every document, named `<builder>` or `<builder>#<n>` when a read is split. */
const allQueries = (block: number | undefined): Record<string, string> =>
  Object.fromEntries(
    Object.entries(allQueryLists(block)).flatMap(([name, q]) =>
      Array.isArray(q) ? q.map((d, i) => [`${name}#${i}`, d]) : [[name, q]],
    ),
  );

describe('literal', () => {
  it('quotes strings with escapes, leaves enums bare, nests objects and lists', () => {
    expect(literal({ a: 'x"y\n', b: en('ACTIVE'), c: [1, true, null], d: { e: '2' } })).toBe(
      '{a: "x\\"y\\n", b: ACTIVE, c: [1, true, null], d: {e: "2"}}',
    );
  });
  it('drops undefined filter entries and rejects invalid enum names', () => {
    expect(literal({ a: undefined, b: 'x' })).toBe('{b: "x"}');
    expect(() => literal(en('A B'))).toThrow();
  });
});

describe('buildQuery and "as of"', () => {
  it('adds block: {number: N} to every root field when a block is pinned, and none otherwise', () => {
    for (const [name, q] of Object.entries(allQueries(42))) {
      if (name === 'head#0' || name === 'head' || name === 'dateToBlock') continue; // these read the latest state on purpose
      const blocks = rootBlockArgs(q);
      expect(blocks.length, name).toBeGreaterThan(0);
      expect(
        blocks.every((b) => b === 'number=42'),
        `${name}: ${blocks}`,
      ).toBe(true);
    }
    for (const [name, q] of Object.entries(allQueries(undefined))) {
      if (name === 'asOfTime') continue;
      expect(
        rootBlockArgs(q).every((b) => b === undefined),
        name,
      ).toBe(true);
    }
  });

  it('produces queries valid against the graph-node API generated from schema.graphql', () => {
    for (const block of [undefined, 7]) {
      for (const [name, q] of Object.entries(allQueries(block))) {
        const errors = validate(api, parse(q));
        expect(
          errors.map((e) => e.message),
          `${name}\n${q}`,
        ).toEqual([]);
      }
    }
  });

  it('never pages with skip', () => {
    for (const [name, q] of Object.entries(allQueries(3))) expect(usesSkip(q), name).toBe(false);
  });
});

describe('keyset paging', () => {
  it('pages motions newest first below the last motionId seen, with filters kept', () => {
    const q = motionsPageQuery('1', { kind: 'GENERAL' }, '15', 21, undefined);
    expect(q).toContain('orderBy: motionId, orderDirection: desc');
    expect(q).toContain('where: {area: "1", kind: GENERAL, motionId_lt: "15"}');
    expect(motionsPageQuery('1', {}, undefined, 21, undefined)).not.toContain('motionId_lt');
  });

  it('pages the audit trail on (blockNumber, id) with the filter repeated in each or-branch', () => {
    const q = auditPageQuery('1', { kind: 'VoteCast' }, { blockNumber: '12', id: '0xab-3' }, 51, 99);
    expect(q).toContain(
      'where: {or: [{area: "1", kind: "VoteCast", blockNumber_gt: "12"}, {area: "1", kind: "VoteCast", blockNumber: "12", id_gt: "0xab-3"}]}',
    );
    expect(q).toContain('orderBy: blockNumber, orderDirection: asc');
    expect(q).toContain('block: {number: 99}');
  });

  it('pages CSV exports by id_gt, 1000 rows per request, in id order', () => {
    const q = idPageQuery('votes', { motion: '1-2' }, 'weight', undefined, '1-2-3');
    expect(q).toContain(
      'votes(first: 1000, orderBy: id, orderDirection: asc, where: {motion: "1-2", id_gt: "1-2-3"})',
    );
    expect(q).toMatch(/\{ id weight \}/);
  });

  it('puts a page of events in chain order (block, then log index numerically)', () => {
    const rows = [
      { id: 'b', blockNumber: '5', logIndex: '10' },
      { id: 'a', blockNumber: '5', logIndex: '2' },
      { id: 'c', blockNumber: '4', logIndex: '7' },
    ];
    expect(chainOrder(rows).map((r) => r.id)).toEqual(['c', 'a', 'b']);
  });
});

describe('query text', () => {
  it('is one root field per line, usable as-is in GraphiQL', () => {
    const q = buildQuery(
      [
        { name: 'areas', args: { first: 2 }, selection: 'id\n  name' },
        { name: '_meta', selection: 'block { number }' },
      ],
      3,
    );
    expect(q).toBe(
      '{\n  areas(first: 2, block: {number: 3}) { id name }\n  _meta(block: {number: 3}) { block { number } }\n}',
    );
  });
});

describe('query cost', () => {
  // The embedded server rejects operations whose graphql-armor cost exceeds its limit.
  // (the rule throws its error from the visitor rather than reporting it)
  const armorErrors = (q: string, maxCost: number): string[] => {
    try {
      return validate(api, parse(q), [costLimitRule({ maxCost, exposeLimits: true })]).map((e) => e.message);
    } catch (e) {
      return [(e as Error).message];
    }
  };

  it('estimates the cost exactly as graphql-armor does', () => {
    for (const [name, q] of Object.entries(allQueries(5))) {
      const doc = parse(q);
      const op = doc.definitions[0];
      if (op.kind !== Kind.OPERATION_DEFINITION) continue;
      // our estimate of the document = Σ root fields; armor must accept it at that budget and reject it just below
      const ours = splitFieldsCost(q);
      expect(armorErrors(q, ours), name).toEqual([]);
      expect(armorErrors(q, ours - 0.5).length, name).toBe(1);
    }
  });

  it('keeps every document the explorer sends under the server limit', () => {
    for (const [name, q] of Object.entries(allQueries(5)))
      expect(armorErrors(q, MAX_QUERY_COST), name).toEqual([]);
  });

  it('splits a read into several documents and lowers `first` only when one field alone is too costly', () => {
    const cheap = { name: 'areas', args: { first: 10 }, selection: 'id' };
    expect(planQueries([cheap, { ...cheap, alias: 'b' }], undefined)).toHaveLength(1);
    const heavy = { name: 'leases', args: { first: 1000 }, selection: LEASE_FIELDS };
    // Under the server's limit a whole page of leases with every field fits in one document...
    expect(fieldCost(heavy)).toBeLessThanOrEqual(MAX_QUERY_COST);
    expect(planQueries([cheap, heavy], undefined)).toHaveLength(1);
    // ...and under a tighter budget the read is split and only that field's `first` lowered.
    const budget = 20_000;
    const docs = planQueries([cheap, heavy, { ...cheap, alias: 'c' }], undefined, budget);
    expect(docs.length).toBeGreaterThanOrEqual(2);
    const first = Number(/leases\(first: (\d+)/.exec(docs.join(''))![1]);
    expect(first).toBe(fitFirst(heavy, 1000, budget));
    expect(first).toBeLessThan(1000);
    expect(fieldCost({ ...heavy, args: { first } })).toBeLessThanOrEqual(budget);
    expect(fieldCost({ ...heavy, args: { first: first + 1 } })).toBeGreaterThan(budget);
  });
});

/** Our estimate of a whole document: parse it back into root fields and sum. */
function splitFieldsCost(q: string): number {
  const body = q.trim().replace(/^\{|\}$/g, '');
  let total = 0;
  for (const line of body
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const m = /^(?:(\w+): )?(\w+)(?:\((.*?)\))?(?: \{ (.*) \})?$/.exec(line);
    if (!m) throw new Error(`cannot split ${line}`);
    const first = m[3] && /^first: (\d+)/.exec(m[3]) ? Number(/^first: (\d+)/.exec(m[3])![1]) : undefined;
    total += fieldCost({ name: m[2], args: first === undefined ? {} : { first }, selection: m[4] });
  }
  return total;
}
