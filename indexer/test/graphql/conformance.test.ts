// Conformance of the query engine with graph-node's API over a fixed indexed history
// (fixture.ts). Every expected value below is written by hand from the fixture and
// graph-node's semantics (graph-host-abi.md §7, graph-node sources), not captured
// from our output.
//
// The history, for reading the expectations:
//   block 1: Area 1 "North" (mc 0), Area 2 "south"; Groups 1-1 "Alpha Coop" (w 10),
//            1-2 "beta_grid" (w null); Seats 1-GENERATION (holder null, price 100),
//            1-COMMUNITY (holder 1-2, price null), 2-FOUNDATION (price -5); event 0xaa-0
//   block 2: 1-GENERATION holder 1-1, price 150; Area 1 mc 1; event 0xbb-1
//   block 3: Area 1 renamed "North Grid"; Group 1-3 "Gamma" (w 5); 2-FOUNDATION removed
//   block 4: Members m1 [1-1, 1-2], m2 [1-2]; Stats s1 (area 2); Tag t1, Notes n1, n2
//   block 5: no changes (head)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSchema } from '../../src/schema/model.js';
import { createQueryEngine, type QueryEngine } from '../../src/graphql/engine.js';
import type { SqliteStore } from '../../src/store/sqlite-store.js';
import { blockHash, buildFixture, ptr, TEST_SCHEMA } from './fixture.js';

let store: SqliteStore;
let engine: QueryEngine;
const run = (query: string, variables?: Record<string, unknown>) => engine.run(query, variables);
const data = (query: string, variables?: Record<string, unknown>) => {
  const r = run(query, variables);
  expect(r.errors).toBeUndefined();
  return r.data as Record<string, any>;
};
const ids = (query: string) => (Object.values(data(query))[0] as { id: string }[]).map((x) => x.id);
const error = (query: string) => {
  const r = run(query);
  expect(r.data).toBeUndefined();
  expect(r.errors).toHaveLength(1);
  return r.errors![0]!.message;
};

beforeAll(() => {
  store = buildFixture();
  engine = createQueryEngine(store, parseSchema(TEST_SCHEMA));
});
afterAll(() => store.close());

describe('generated schema', () => {
  const typeInfo = (name: string) =>
    data(
      `{ __type(name: "${name}") { fields { name args { name defaultValue type { name kind ofType { name } } } } inputFields { name } enumValues { name } } }`,
    ).__type;

  it('has singular and plural root fields with graph-node argument order and defaults', () => {
    const q = typeInfo('Query');
    const names = q.fields.map((f: any) => f.name);
    expect(names).toEqual([
      'area', 'areas', 'seat', 'seats', 'group', 'groups', 'member', 'members', 'stats', 'stats_collection',
      'tag', 'tags', 'note', 'notes', 'governanceEvent', 'governanceEvents', 'labeled', 'labeleds', '_meta',
    ]); // prettier-ignore
    const areas = q.fields.find((f: any) => f.name === 'areas');
    expect(areas.args.map((a: any) => [a.name, a.defaultValue])).toEqual([
      ['skip', '0'], ['first', '100'], ['orderBy', null], ['orderDirection', null], ['where', null], ['block', null], ['subgraphError', 'deny'],
    ]); // prettier-ignore
    const area = q.fields.find((f: any) => f.name === 'area');
    expect(area.args.map((a: any) => a.name)).toEqual(['id', 'block', 'subgraphError']);
    expect(area.args[0].type).toEqual({ name: null, kind: 'NON_NULL', ofType: { name: 'ID' } });
  });

  it('gives entity-list fields collection arguments but no block or subgraphError', () => {
    const groups = typeInfo('Area').fields.find((f: any) => f.name === 'groups');
    expect(groups.args.map((a: any) => a.name)).toEqual([
      'skip',
      'first',
      'orderBy',
      'orderDirection',
      'where',
    ]);
    expect(typeInfo('Area').fields.find((f: any) => f.name === 'tags').args).toEqual([]);
  });

  it('generates filter operators per field type in graph-node order', () => {
    const keys: string[] = typeInfo('Area_filter').inputFields.map((f: any) => f.name);
    const of = (field: string) => keys.filter((k) => k === field || k.startsWith(`${field}_`));
    expect(of('active')).toEqual(['active', 'active_not', 'active_in', 'active_not_in']);
    expect(of('token')).toEqual(['token', 'token_not', 'token_gt', 'token_lt', 'token_gte', 'token_lte', 'token_in', 'token_not_in', 'token_contains', 'token_not_contains']); // prettier-ignore
    expect(of('seatPrice')).toEqual(['seatPrice', 'seatPrice_not', 'seatPrice_gt', 'seatPrice_lt', 'seatPrice_gte', 'seatPrice_lte', 'seatPrice_in', 'seatPrice_not_in']); // prettier-ignore
    expect(of('code')).toHaveLength(20);
    expect(of('tags')).toEqual(['tags', 'tags_not', 'tags_contains', 'tags_contains_nocase', 'tags_not_contains', 'tags_not_contains_nocase']); // prettier-ignore
    expect(of('groups')).toEqual(['groups', 'groups_not', 'groups_contains', 'groups_contains_nocase', 'groups_not_contains', 'groups_not_contains_nocase', 'groups_']); // prettier-ignore
    expect(of('seats')).toEqual(['seats_']); // derived list: child filter only
    expect(of('stats')).toEqual(['stats_']); // derived single: child filter only
    expect(keys.slice(-3)).toEqual(['_change_block', 'and', 'or']);
    const seatKeys: string[] = typeInfo('Seat_filter').inputFields.map((f: any) => f.name);
    expect(seatKeys.filter((k) => k.startsWith('role'))).toEqual([
      'role',
      'role_not',
      'role_in',
      'role_not_in',
    ]);
    expect(seatKeys.filter((k) => k.startsWith('holder'))).toHaveLength(21); // String ops of the id + holder_
  });

  it('generates orderBy values with parent__child for single references', () => {
    expect(typeInfo('Seat_orderBy').enumValues.map((v: any) => v.name)).toEqual([
      'id', 'area', 'area__id', 'area__name', 'area__code', 'area__token', 'area__seatPrice', 'area__quorum', 'area__active',
      'area__motionCount', 'role', 'holder', 'holder__id', 'holder__name', 'holder__account', 'holder__weight', 'price',
    ]); // prettier-ignore
  });

  it('carries descriptions over from schema.graphql', () => {
    const t = data('{ __type(name: "Area") { description fields { name description } } }').__type;
    expect(t.description).toBe('An area of the grid');
    expect(t.fields.find((f: any) => f.name === 'name').description).toBe('Human name');
  });
});

describe('values', () => {
  it('formats every scalar like graph-node', () => {
    expect(
      data('{ area(id: "1") { id name code token seatPrice quorum active motionCount tags } }').area,
    ).toEqual({
      id: '1',
      name: 'North Grid',
      code: 'N-1',
      token: '0xaa01',
      seatPrice: '100',
      quorum: '0.5',
      active: true,
      motionCount: 1,
      tags: ['grid', 'Solar'],
    });
    expect(data('{ governanceEvents { blockNumber at } }').governanceEvents).toEqual([
      { blockNumber: '1', at: '1700000000000000' },
      { blockNumber: '2', at: '1700000000000012' },
    ]);
    expect(data('{ seat(id: "2-FOUNDATION", block: { number: 1 }) { price holder { id } } }').seat).toEqual({
      price: '-5',
      holder: null,
    });
    expect(data('{ area(id: "nope") { id } }').area).toBeNull();
  });
});

describe('filters', () => {
  it.each([
    ['name: "south"', ['2']],
    ['name_not: "south"', ['1']],
    ['name_gt: "North Grid"', ['2']], // byte order: "s" > "N"
    ['name_lt: "a"', ['1']],
    ['name_gte: "North Grid"', ['1', '2']],
    ['name_lte: "North Grid"', ['1']],
    ['name_in: ["south", "x"]', ['2']],
    ['name_not_in: ["south"]', ['1']],
    ['name_in: []', []],
    ['name_not_in: []', []], // graph-node: an empty list is `false` either way
    ['name_contains: "orth"', ['1']],
    ['name_contains_nocase: "NORTH"', ['1']],
    ['name_not_contains: "orth"', ['2']],
    ['name_not_contains_nocase: "OUT"', ['1']],
    ['name_starts_with: "N"', ['1']],
    ['name_starts_with_nocase: "S"', ['2']],
    ['name_not_starts_with: "N"', ['2']],
    ['name_not_starts_with_nocase: "n"', ['2']],
    ['name_ends_with: "Grid"', ['1']],
    ['name_ends_with_nocase: "GRID"', ['1']],
    ['name_not_ends_with: "Grid"', ['2']],
    ['name_not_ends_with_nocase: "GRID"', ['2']],
    ['code: null', ['2']],
    ['code_not: null', ['1']],
    ['code_not: "N-1"', []], // `<>` leaves out nulls
    ['seatPrice_gt: "100"', ['2']],
    ['seatPrice_lte: 100', ['1']],
    ['seatPrice_in: ["100", "2000"]', ['1', '2']],
    ['seatPrice_not: "2000"', ['1']],
    ['quorum: "0.50"', ['1']],
    ['quorum_gt: "0.4999"', ['1']],
    ['quorum_lt: "1e-1"', []],
    ['token: "0xAA01"', ['1']],
    ['token_gt: "0xaa01"', ['2']],
    ['token_contains: "0x02"', ['2']],
    ['token_not_contains: "0xaa"', ['2']],
    ['token_in: ["0xbb02"]', ['2']],
    ['active: false', ['2']],
    ['active_not: true', ['2']],
    ['active_in: [true]', ['1']],
    ['motionCount_gte: 1', ['1', '2']],
    ['motionCount_not_in: [3]', ['1']],
    ['motionCount_lt: 3', ['1']],
    ['tags_contains: ["grid"]', ['1']],
    ['tags_contains: []', ['1', '2']],
    ['tags_not_contains: ["grid"]', ['2']],
    ['tags_contains_nocase: ["solar"]', ['1']],
    ['tags_not_contains_nocase: ["solar"]', ['2']],
    ['tags: ["grid", "Solar"]', ['1']],
    ['tags_not: []', ['1']],
    ['groups_contains: ["1-2"]', ['1']],
    ['groups_: { weight_gt: "5" }', ['1']],
    ['seats_: { role: COMMUNITY }', ['1']],
    ['stats_: { count: 7 }', ['2']],
    ['or: [{ name: "south" }, { motionCount: 1 }]', ['1', '2']],
    ['or: [{ name: "south" }, { name: "none" }]', ['2']],
    ['and: [{ active: true }, { motionCount: 1 }]', ['1']],
    ['and: [{ active: true }, { motionCount: 0 }]', []],
    ['_change_block: { number_gte: 3 }', ['1']],
    ['_change_block: { number_gte: 6 }', []],
    ['name_contains: "%"', ['1', '2']], // a pattern that starts with % is used as is
    ['id_gt: "1"', ['2']],
    ['id_in: ["2", "3"]', ['2']],
    ['seatPrice: "100"', ['1']],
    ['seatPrice_gte: "2000"', ['2']],
    ['seatPrice_lt: "2000"', ['1']],
    ['seatPrice_not_in: ["100"]', ['2']],
    ['active_not_in: [true]', ['2']],
    ['token_not: "0xaa01"', ['2']],
    ['token_gte: "0xbb02"', ['2']],
    ['token_lte: "0xaa01"', ['1']],
    ['token_not_in: ["0xaa01"]', ['2']],
    ['motionCount: 3', ['2']],
    ['motionCount_gt: 1', ['2']],
    ['motionCount_lte: 1', ['1']],
    ['motionCount_not: 1', ['2']],
    ['motionCount_in: [1, 3]', ['1', '2']],
    ['quorum_not: "0.5"', []], // area 2's quorum is null
    ['quorum_in: ["0.5", "1"]', ['1']],
    ['quorum_gte: "0.5"', ['1']],
    ['quorum_lte: "0.5"', ['1']],
    ['quorum_not_in: ["1"]', ['1']],
  ])('areas(where: { %s })', (where, expected) => {
    expect(ids(`{ areas(where: { ${where} }) { id } }`)).toEqual(expected);
  });

  it.each([
    ['seats', 'area: "1"', ['1-COMMUNITY', '1-GENERATION']],
    ['seats', 'role_in: [GENERATION, FOUNDATION]', ['1-GENERATION']],
    ['seats', 'role_not: COMMUNITY', ['1-GENERATION']],
    ['seats', 'holder_in: ["1-1"]', ['1-GENERATION']],
    ['seats', 'holder: null', []],
    ['seats', 'holder_starts_with: "1-"', ['1-COMMUNITY', '1-GENERATION']],
    ['seats', 'holder_: { name_starts_with: "Alpha" }', ['1-GENERATION']],
    ['seats', 'price: null', ['1-COMMUNITY']],
    ['groups', 'name_contains: "l_ha"', ['1-1']], // `_` is a LIKE wildcard, as in graph-node
    ['groups', 'name_contains: "a_g"', ['1-2']],
    ['groups', 'weight_not: "10"', ['1-3']],
    ['groups', 'members_: { id: "m2" }', ['1-2']], // derived through a list field
    ['groups', 'account_lt: "0x0202"', ['1-1']],
    ['groups', '_change_block: { number_gte: 3 }', ['1-3']],
    ['members', 'groups_not_contains: ["1-1"]', ['m2']],
    ['members', 'groups_: { name: "Alpha Coop" }', ['m1']],
    ['seats', 'role: COMMUNITY', ['1-COMMUNITY']],
    ['seats', 'role_not_in: [COMMUNITY]', ['1-GENERATION']],
    ['seats', 'holder_not: "1-1"', ['1-COMMUNITY']],
    ['seats', 'holder_contains: "-2"', ['1-COMMUNITY']],
    ['seats', 'holder_ends_with_nocase: "-1"', ['1-GENERATION']],
    ['groups', 'account_not_in: ["0x0101", "0x0202"]', ['1-3']],
    ['groups', 'account_contains: "0x03"', ['1-3']],
    ['groups', 'weight_in: ["5", "10"]', ['1-1', '1-3']],
    ['groups', 'weight: null', ['1-2']],
    ['governanceEvents', 'blockNumber: 2', ['0xbb-1']],
    ['governanceEvents', 'blockNumber_in: [1]', ['0xaa-0']],
    ['governanceEvents', 'at: "1700000000000012"', ['0xbb-1']],
    ['governanceEvents', 'at_gt: "1700000000000000"', ['0xbb-1']],
    ['governanceEvents', 'blockNumber_gt: 1', ['0xbb-1']],
    ['governanceEvents', 'at_lte: "1700000000000000"', ['0xaa-0']],
    ['governanceEvents', 'area_: { motionCount: 1 }', ['0xaa-0', '0xbb-1']],
  ])('%s(where: { %s })', (field, where, expected) => {
    expect(ids(`{ ${field}(where: { ${where} }) { id } }`)).toEqual(expected);
  });

  it('filters at a past block, children included', () => {
    expect(ids('{ seats(block: { number: 1 }, where: { holder: null }) { id } }')).toEqual([
      '1-GENERATION',
      '2-FOUNDATION',
    ]);
    expect(ids('{ seats(block: { number: 1 }, where: { price_lt: "0" }) { id } }')).toEqual(['2-FOUNDATION']);
    expect(ids('{ seats(block: { number: 1 }, where: { price_gte: "-5" }) { id } }')).toEqual([
      '1-GENERATION',
      '2-FOUNDATION',
    ]);
    expect(ids('{ areas(block: { number: 2 }, where: { name: "North" }) { id } }')).toEqual(['1']);
    expect(ids('{ seats(block: { number: 1 }, where: { holder_: { name: "Alpha Coop" } }) { id } }')).toEqual(
      [],
    );
  });

  it('rejects mixing `or` with column filters, with graph-node’s message', () => {
    expect(error('{ areas(where: { name: "x", or: [{ active: true }] }) { id } }')).toBe(
      "Cannot mix column filters with 'or' operator at the same level. Found column filter(s) 'name' alongside 'or' operator.\n\n" +
        "Instead of:\nwhere: { 'name', or: [...] }\n\nUse:\nwhere: { or: [{ 'name', ... }, { 'name', ... }] }",
    );
  });

  it('rejects nested child filters', () => {
    expect(error('{ seats(where: { holder_: { area_: { name: "x" } } }) { id } }')).toMatch(
      /^Child filter nesting not supported by value `area`/,
    );
  });

  it('passes variables into filters', () => {
    expect(
      ids2('query($n: String!) { areas(where: { name_starts_with_nocase: $n }) { id } }', { n: 'nor' }),
    ).toEqual(['1']);
  });
});

const ids2 = (query: string, variables: Record<string, unknown>) =>
  (Object.values(data(query, variables))[0] as { id: string }[]).map((x) => x.id);

describe('ordering', () => {
  it.each([
    ['areas(orderBy: name)', ['1', '2']],
    ['areas(orderBy: name, orderDirection: desc)', ['2', '1']],
    ['areas(orderDirection: desc)', ['1', '2']], // no orderBy: graph-node's default order is id asc
    ['areas(orderBy: id, orderDirection: desc)', ['2', '1']],
    ['areas(orderBy: seatPrice, orderDirection: desc)', ['2', '1']],
    ['areas(orderBy: quorum)', ['1', '2']], // null last when ascending
    ['areas(orderBy: quorum, orderDirection: desc)', ['2', '1']], // null first when descending
    ['groups(orderBy: weight)', ['1-3', '1-1', '1-2']],
    ['groups(orderBy: weight, orderDirection: desc)', ['1-2', '1-1', '1-3']],
    ['groups(orderBy: name)', ['1-1', '1-3', '1-2']], // "Alpha" < "Gamma" < "beta": byte order
    ['groups(orderBy: account, orderDirection: desc)', ['1-3', '1-2', '1-1']],
    ['seats(orderBy: holder__name)', ['1-GENERATION', '1-COMMUNITY']],
    ['seats(orderBy: holder__name, orderDirection: desc)', ['1-COMMUNITY', '1-GENERATION']],
    ['seats(block: { number: 1 }, orderBy: holder__name)', ['1-COMMUNITY', '1-GENERATION', '2-FOUNDATION']],
    [
      'seats(block: { number: 1 }, orderBy: holder__name, orderDirection: desc)',
      ['2-FOUNDATION', '1-GENERATION', '1-COMMUNITY'],
    ],
    ['seats(orderBy: area__seatPrice, orderDirection: desc)', ['1-GENERATION', '1-COMMUNITY']],
    ['governanceEvents(orderBy: at, orderDirection: desc)', ['0xbb-1', '0xaa-0']],
    ['labeleds(orderBy: label)', ['n1', 't1', 'n2']],
    ['areas(orderBy: stats__count)', ['2', '1']], // through a derived single; area 1 has none: last
    ['areas(orderBy: stats__count, orderDirection: desc)', ['1', '2']],
  ])('%s', (field, expected) => {
    expect(ids(`{ ${field} { id } }`)).toEqual(expected);
  });

  it('orders nested lists per parent', () => {
    expect(
      data(
        '{ area(id: "1") { groups(orderBy: name, orderDirection: desc) { id } seats(orderBy: price) { id } } }',
      ).area,
    ).toEqual({
      groups: [{ id: '1-2' }, { id: '1-1' }],
      seats: [{ id: '1-GENERATION' }, { id: '1-COMMUNITY' }],
    });
  });

  it('refuses to order by enum, reference and list fields, as graph-node does', () => {
    expect(error('{ seats(orderBy: role) { id } }')).toBe(
      'Ordering by `role` is not supported for type `Seat`',
    );
    expect(error('{ seats(orderBy: area) { id } }')).toBe(
      'Ordering by `area` is not supported for type `Seat`',
    );
    expect(error('{ areas(orderBy: tags) { id } }')).toBe(
      'Ordering by `tags` is not supported for type `Area`',
    );
  });
});

describe('pagination', () => {
  it.each([
    ['groups(first: 2)', ['1-1', '1-2']],
    ['groups(skip: 1, first: 1)', ['1-2']],
    ['groups(skip: 5)', []],
    ['groups(first: 1000)', ['1-1', '1-2', '1-3']],
  ])('%s', (field, expected) => expect(ids(`{ ${field} { id } }`)).toEqual(expected));

  it('applies first and skip per parent in nested lists', () => {
    expect(data('{ areas { id groups(first: 1) { id } } }').areas).toEqual([
      { id: '1', groups: [{ id: '1-1' }] },
      { id: '2', groups: [] },
    ]);
    expect(data('{ members { id groups(first: 1, skip: 1) { id } } }').members).toEqual([
      { id: 'm1', groups: [{ id: '1-2' }] },
      { id: 'm2', groups: [] },
    ]);
  });

  it('checks the range with graph-node’s messages', () => {
    expect(error('{ groups(first: 5000) { id } }')).toBe(
      'The `first` argument must be between 0 and 1000, but is 5000',
    );
    expect(error('{ groups(first: 0) { id } }')).toBe(
      'The `first` argument must be between 0 and 1000, but is 0',
    );
    expect(error('{ groups(skip: -1) { id } }')).toBe(
      'The `skip` argument must be between 0 and 4294967295, but is -1',
    );
    expect(error('{ area(id: "1") { groups(first: 1001) { id } } }')).toBe(
      'The `first` argument must be between 0 and 1000, but is 1001',
    );
  });
});

describe('time travel', () => {
  it('reads the state after block N, by number, hash or number_gte', () => {
    expect(data('{ area(id: "1", block: { number: 1 }) { name motionCount } }').area).toEqual({
      name: 'North',
      motionCount: 0,
    });
    expect(data('{ area(id: "1", block: { number: 2 }) { name motionCount } }').area).toEqual({
      name: 'North',
      motionCount: 1,
    });
    expect(data(`{ area(id: "1", block: { hash: "${blockHash(2)}" }) { name motionCount } }`).area).toEqual({
      name: 'North',
      motionCount: 1,
    });
    expect(data('{ area(id: "1", block: { number_gte: 3 }) { name } }').area).toEqual({ name: 'North Grid' });
    expect(ids('{ seats(block: { number: 2 }) { id } }')).toEqual([
      '1-COMMUNITY',
      '1-GENERATION',
      '2-FOUNDATION',
    ]);
    expect(ids('{ seats { id } }')).toEqual(['1-COMMUNITY', '1-GENERATION']);
    // nested fields follow the root field's block
    expect(
      data('{ seat(id: "1-GENERATION", block: { number: 2 }) { holder { name area { name } } } }').seat,
    ).toEqual({
      holder: { name: 'Alpha Coop', area: { name: 'North' } },
    });
    expect(data('{ a: area(id: "1", block: { number: 1 }) { name } b: area(id: "1") { name } }')).toEqual({
      a: { name: 'North' },
      b: { name: 'North Grid' },
    });
  });

  it('fails with graph-node’s messages', () => {
    expect(error('{ areas(block: { number: 6 }) { id } }')).toBe(
      'Failed to decode `block.number` value: `subgraph QmTest has only indexed up to block number 5 and data for block number 6 is therefore not yet available`',
    );
    expect(error('{ areas(block: { number: 0 }) { id } }')).toBe(
      'Failed to decode `block.number` value: `subgraph QmTest only has data starting at block number 1 and data for block number 0 is therefore not available`',
    );
    expect(error(`{ areas(block: { hash: "${blockHash(99)}" }) { id } }`)).toBe(
      'Failed to decode `block.hash` value: `no block with that hash found`',
    );
    expect(error('{ areas(block: { number_gte: 6 }) { id } }')).toBe(
      'Failed to decode `block.number_gte` value: `subgraph QmTest has only indexed up to block number 5 and data for block number 6 is therefore not yet available`',
    );
  });
});

describe('references and derived fields', () => {
  it('resolves references, derived lists and derived singles', () => {
    expect(data('{ areas { id seats { id holder { id members { id } } } stats { count } } }').areas).toEqual([
      {
        id: '1',
        seats: [
          { id: '1-COMMUNITY', holder: { id: '1-2', members: [{ id: 'm1' }, { id: 'm2' }] } },
          { id: '1-GENERATION', holder: { id: '1-1', members: [{ id: 'm1' }] } },
        ],
        stats: null,
      },
      { id: '2', seats: [], stats: { count: 7 } },
    ]);
  });

  it('filters derived lists', () => {
    expect(
      data('{ area(id: "1") { seats(where: { holder_: { name: "beta_grid" } }) { id } } }').area,
    ).toEqual({
      seats: [{ id: '1-COMMUNITY' }],
    });
  });

  it('reports an ambiguous derived single like graph-node', () => {
    const s = buildFixture();
    s.commitBlock(ptr(6), [
      { type: 'Stats', id: 's2', entity: new Map([['id', { kind: 'String', value: 's2' }], ['area', { kind: 'String', value: '2' }], ['count', { kind: 'Int', value: 1 }]]) },
    ], []); // prettier-ignore
    const e = createQueryEngine(s, parseSchema(TEST_SCHEMA));
    expect(e.run('{ area(id: "2") {\n stats { count } } }')).toEqual({
      data: { area: { stats: null } },
      errors: [
        {
          message:
            'Ambiguous result for derived field `stats`: Multiple `Stats` entities refer back via `area`',
          locations: [{ line: 2, column: 2 }],
        },
      ],
    });
    expect(e.run('{ area(id: "2", block: { number: 5 }) { stats { count } } }')).toEqual({
      data: { area: { stats: { count: 7 } } },
    });
    s.close();
  });
});

describe('dangling references', () => {
  it('reports a missing non-null reference with graph-node’s message', () => {
    const s = buildFixture();
    s.commitBlock(ptr(6), [
      { type: 'Seat', id: '9-GENERATION', entity: new Map([['id', { kind: 'String', value: '9-GENERATION' }], ['area', { kind: 'String', value: '9' }], ['role', { kind: 'String', value: 'GENERATION' }]]) },
    ], []); // prettier-ignore
    const e = createQueryEngine(s, parseSchema(TEST_SCHEMA));
    const r = e.run('{ seat(id: "9-GENERATION") { id area { id } } }');
    expect(r.errors).toEqual([
      { message: 'Null value resolved for non-null field `area`', locations: [{ line: 1, column: 33 }] },
    ]); // the `area` field
    s.close();
  });
});

describe('interfaces', () => {
  it('queries an interface across its implementers with inline fragments', () => {
    expect(
      data('{ labeleds(orderBy: label, orderDirection: desc) { __typename id label ... on Note { body } } }')
        .labeleds,
    ).toEqual([
      { __typename: 'Note', id: 'n2', label: null, body: 'untitled' },
      { __typename: 'Tag', id: 't1', label: 'zeta' },
      { __typename: 'Note', id: 'n1', label: 'alpha', body: 'hello' },
    ]);
    expect(data('{ labeled(id: "t1") { __typename label } }').labeled).toEqual({
      __typename: 'Tag',
      label: 'zeta',
    });
    expect(ids('{ labeleds(where: { label_in: ["alpha", "zeta"] }) { id } }')).toEqual(['n1', 't1']);
  });
});

describe('the query document', () => {
  it('honours aliases, fragments, variables, @skip and @include', () => {
    const q = `query Q($withName: Boolean!, $skipTags: Boolean!, $first: Int) {
      a: area(id: "1") { ...F n: name @include(if: $withName) tags @skip(if: $skipTags) }
      b: area(id: "2") { ...F }
    }
    fragment F on Area { id g1: groups(first: $first) { id } g2: groups(skip: 1) { id } }`;
    expect(data(q, { withName: true, skipTags: true, first: 1 })).toEqual({
      a: { id: '1', g1: [{ id: '1-1' }], g2: [{ id: '1-2' }], n: 'North Grid' },
      b: { id: '2', g1: [], g2: [] },
    });
    expect(data(q, { withName: false, skipTags: false, first: 2 }).a).toEqual({
      id: '1',
      g1: [{ id: '1-1' }, { id: '1-2' }],
      g2: [{ id: '1-2' }],
      tags: ['grid', 'Solar'],
    });
  });
});

describe('_meta', () => {
  it('reports the latest block with hash, timestamp and parent hash', () => {
    expect(
      data('{ _meta { block { number hash timestamp parentHash } deployment hasIndexingErrors } }')._meta,
    ).toEqual({
      block: { number: 5, hash: blockHash(5), timestamp: 1060, parentHash: blockHash(4) },
      deployment: 'QmTest',
      hasIndexingErrors: false,
    });
  });

  it('has no hash (nor timestamp) when pinned by number, like graph-node', () => {
    expect(data('{ _meta(block: { number: 2 }) { block { number hash timestamp } } }')._meta).toEqual({
      block: { number: 2, hash: null, timestamp: null },
    });
    expect(data(`{ m: _meta(block: { hash: "${blockHash(2)}" }) { block { n: number hash } } }`).m).toEqual({
      block: { n: 2, hash: blockHash(2) },
    });
    expect(
      data('{ _meta { ...M b: block { ... on _Block_ { number } } } } fragment M on _Meta_ { deployment }')
        ._meta,
    ).toEqual({
      deployment: 'QmTest',
      b: { number: 5 },
    });
  });
});

describe('indexing errors and subgraphError', () => {
  it('follows graph-node’s error policy', () => {
    const s = buildFixture();
    s.commitBlock(ptr(6), [], [], {
      message: 'handler failed',
      handler: 'handleX',
      blockNumber: 6,
      blockHash: blockHash(6),
      deterministic: true,
    });
    const e = createQueryEngine(s, parseSchema(TEST_SCHEMA));
    expect(e.run('{ areas { id } }')).toEqual({ errors: [{ message: 'indexing_error' }] });
    expect(e.run('{ areas(subgraphError: allow) { id } }')).toEqual({
      data: { areas: [{ id: '1' }, { id: '2' }] },
      errors: [{ message: 'indexing_error' }],
    });
    expect(e.run('{ _meta { hasIndexingErrors block { number } } }')).toEqual({
      data: { _meta: { hasIndexingErrors: true, block: { number: 6 } } },
    });
    expect(e.run('{ areas { id } _meta { hasIndexingErrors } }')).toEqual({
      data: { _meta: { hasIndexingErrors: true } },
      errors: [{ message: 'indexing_error' }],
    });
    // before the error's block there is nothing to report
    expect(e.run('{ areas(block: { number: 5 }) { id } }')).toEqual({
      data: { areas: [{ id: '1' }, { id: '2' }] },
    });
    s.close();
  });
});
