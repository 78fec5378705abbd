// The HTTP API: graph-node's status codes and shapes, protections, CORS, GraphiQL,
// /health and /status, and the static explorer with SPA fallback.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import { startApiServer, type ApiServer } from '../../src/server/api-server.js';
import type { SqliteStore } from '../../src/store/sqlite-store.js';
import { blockHash, buildFixture, ptr, TEST_SCHEMA } from '../graphql/fixture.js';

const indexerDir = fileURLToPath(new URL('../../', import.meta.url));
let dir: string;
let store: SqliteStore;
let api: ApiServer;
let strict: ApiServer;

const post = async (server: ApiServer, body: unknown, raw = false) => {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: raw ? (body as string) : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as any };
};
const gql = (query: string, server = api) => post(server, { query });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ggn-api-'));
  // The explorer's build, as the server finds it.
  mkdirSync(join(dir, 'site', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'site', 'index.html'), '<!doctype html><title>explorer</title>');
  writeFileSync(join(dir, 'site', 'assets', 'app.js'), 'console.log(1)');
  // Our GraphiQL bundle (indexer/dist/graphiql), built if missing.
  if (!existsSync(join(indexerDir, 'dist', 'graphiql', 'index.html')))
    await build({ configFile: join(indexerDir, 'graphiql', 'vite.config.ts'), logLevel: 'error' });
  store = buildFixture(join(dir, 'store.sqlite'));
  api = await startApiServer({
    store: join(dir, 'store.sqlite'), // its own read-only connection, like the real deployment
    schema: TEST_SCHEMA,
    staticDir: join(dir, 'site'),
    status: () => ({ chainHeadBlock: 8 }),
  });
  strict = await startApiServer({ store, schema: TEST_SCHEMA, limits: { maxCost: 40, maxBodyBytes: 2000 } });
});

afterAll(async () => {
  await api?.close();
  await strict?.close();
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('GraphQL over HTTP', () => {
  it('answers POST and GET with data and open CORS', async () => {
    const r = await gql('{ areas(first: 1) { id name } }');
    expect(r.status).toBe(200);
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(r.json).toEqual({ data: { areas: [{ id: '1', name: 'North Grid' }] } });
    const g = await fetch(`${api.url}/graphql?query=${encodeURIComponent('{ area(id: "2") { name } }')}`);
    expect(g.status).toBe(200);
    expect(g.headers.get('access-control-allow-origin')).toBe('*');
    expect(await g.json()).toEqual({ data: { area: { name: 'south' } } });
  });

  it('answers CORS preflight', async () => {
    const r = await fetch(`${api.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: 'https://auditor.example', 'access-control-request-method': 'POST' },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(r.headers.get('access-control-allow-methods')).toContain('POST');
    expect(r.headers.get('access-control-allow-headers')).toContain('Content-Type');
  });

  it('takes variables and operation names', async () => {
    const r = await post(api, {
      query: 'query A($id: ID!) { area(id: $id) { name } } query B { areas { id } }',
      variables: { id: '1' },
      operationName: 'A',
    });
    expect(r.json).toEqual({ data: { area: { name: 'North Grid' } } });
  });

  it('sees blocks committed by the writer after it started', async () => {
    store.commitBlock(ptr(6), [], []);
    const r = await gql('{ _meta { block { number hash } } }');
    expect(r.json).toEqual({ data: { _meta: { block: { number: 6, hash: blockHash(6) } } } });
  });

  it('rejects bodies that are not a GraphQL request with 400 {error}, like graph-node', async () => {
    const bad = await post(api, '{not json', true);
    expect(bad.status).toBe(400);
    expect(typeof bad.json.error).toBe('string');
    const noQuery = await post(api, { variables: {} });
    expect(noQuery).toMatchObject({
      status: 400,
      json: { error: 'The "query" field is missing in request data' },
    });
    const notString = await post(api, { query: 5 });
    expect(notString).toMatchObject({ status: 400, json: { error: 'The "query" field is not a string' } });
    const notObject = await post(api, '[1]', true);
    expect(notObject).toMatchObject({ status: 400, json: { error: 'Request data is not an object' } });
  });

  it('answers query errors with 200 and `errors`, like graph-node', async () => {
    const syntax = await gql('{ areas { id ');
    expect(syntax.status).toBe(200);
    expect(syntax.json.data).toBeUndefined();
    expect(syntax.json.errors[0].message).toMatch(/^Syntax Error/);
    expect(syntax.json.errors[0].locations).toEqual([{ line: 1, column: 14 }]);

    const unknown = await gql('{ areas { nope } }');
    expect(unknown.status).toBe(200);
    expect(unknown.json.errors[0].message).toMatch(/^Cannot query field "nope" on type "Area"\./);

    const first = await gql('{ areas(first: 5000) { id } }');
    expect(first).toMatchObject({
      status: 200,
      json: { errors: [{ message: 'The `first` argument must be between 0 and 1000, but is 5000' }] },
    });
    expect(first.json.data).toBeUndefined();

    const block = await gql('{ areas(block: { number: 99 }) { id } }');
    expect(block.status).toBe(200);
    expect(block.json.errors[0].message).toContain('has only indexed up to block number 6');
  });

  it('limits depth, aliases, cost, tokens and body size with clear errors', async () => {
    let deep = 'id';
    for (let i = 0; i < 6; i++) deep = `groups { members { ${deep} } }`;
    const tooDeep = await gql(`{ areas { ${deep} } }`);
    expect(tooDeep.status).toBe(200);
    // areas + 6 × (groups, members) + id = 14 levels
    expect(tooDeep.json.errors[0].message).toBe('Query depth limit of 10 exceeded, found 14.');
    expect(tooDeep.json.data).toBeUndefined();

    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: area(id: "1") { id }`).join(' ');
    const tooManyAliases = await gql(`{ ${aliases} }`);
    expect(tooManyAliases.status).toBe(200);
    expect(tooManyAliases.json.errors[0].message).toBe('Aliases limit of 30 exceeded, found 31.');

    // armor's cost: objects 2, scalars 1, ×1.5 per level, × `first`: 10 × (2 + 1.5 × 1) = 35, then 10 × (2 + 1.5 × 2) = 50
    const cheap = await gql('{ areas(first: 10) { id } }', strict);
    expect(cheap.json.data.areas).toHaveLength(2);
    const costly = await gql('{ areas(first: 10) { id name } }', strict);
    expect(costly.status).toBe(200);
    expect(costly.json.errors[0].message).toBe('Query Cost limit of 40 exceeded, found 50.');

    // The default limit: a flat page of 1000 rows with many fields passes, lists nested in lists do not.
    const fields = Array.from({ length: 25 }, (_, i) => `f${i}: name`).join(' '); // 1000 × (2 + 1.5 × 25)
    const wide = await gql(`{ areas(first: 1000) { ${fields} } }`);
    expect(wide.json.errors).toBeUndefined();
    expect(wide.json.data.areas).toHaveLength(2);
    const nested = await gql('{ areas(first: 1000) { groups(first: 1000) { id name account } } }');
    expect(nested.json.errors[0].message).toMatch(/^Query Cost limit of 100000 exceeded, found \d+\.$/);

    const tokens = await gql(
      `{ areas(where: { name_in: [${Array.from({ length: 6000 }, () => `"x"`).join(',')}] }) { id } }`,
    );
    expect(tokens.status).toBe(200);
    expect(tokens.json.errors[0].message).toMatch(/^Syntax Error: Document contains more that 5000 tokens/);

    const big = await post(strict, { query: `{ areas { id } } # ${'x'.repeat(3000)}` });
    expect(big.status).toBe(413);
    expect(big.json.error).toMatch(/larger than the limit of 2000 bytes/);

    // still serving
    expect((await gql('{ areas { id } }')).json).toEqual({ data: { areas: [{ id: '1' }, { id: '2' }] } });
    expect((await gql('{ areas { id } }', strict)).json).toEqual({
      data: { areas: [{ id: '1' }, { id: '2' }] },
    });
  });

  it('is read-only', async () => {
    expect((await fetch(`${api.url}/graphql`, { method: 'PUT', body: '{}' })).status).toBe(405);
    const mutation = await gql('mutation { x }');
    expect(mutation.status).toBe(200);
    expect(mutation.json.errors[0].message).toMatch(/mutation/i);
  });
});

describe('health and status', () => {
  it('/health reports head, lag and errors', async () => {
    const r = await fetch(`${api.url}/health`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({
      ok: true,
      deployment: 'QmTest',
      headBlock: 6,
      chainHeadBlock: 8,
      lag: 2,
      hasIndexingErrors: false,
      fatalError: null,
    });
  });

  it('/status adds the retained range and the indexer’s own report', async () => {
    const s = (await (await fetch(`${api.url}/status`)).json()) as any;
    expect(s.earliestBlock).toBe(1);
    expect(s.head.number).toBe(6);
    expect(s.indexingErrors).toEqual([]);
    expect(s.indexer).toEqual({ chainHeadBlock: 8 });
  });
});

describe('GraphiQL and the explorer', () => {
  it('serves GraphiQL from our own bundle, with no external URL in the page', async () => {
    const r = await fetch(`${api.url}/graphiql`);
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('<div id="root">');
    expect(html).not.toMatch(/https?:\/\//);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(0);
    for (const a of assets) {
      expect(a.startsWith('/graphiql/')).toBe(true);
      expect((await fetch(`${api.url}${a}`)).status).toBe(200);
    }
    expect(readdirSync(join(indexerDir, 'dist', 'graphiql', 'assets')).some((f) => f.endsWith('.js'))).toBe(
      true,
    );
  });

  it('serves the static site with SPA fallback', async () => {
    const root = await fetch(`${api.url}/`);
    expect(root.status).toBe(200);
    expect(await root.text()).toContain('<title>explorer</title>');
    const route = await fetch(`${api.url}/areas/1/motions`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>explorer</title>');
    const asset = await fetch(`${api.url}/assets/app.js`);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(await asset.text()).toBe('console.log(1)');
    expect((await fetch(`${api.url}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${api.url}/..%2F..%2Fetc%2Fpasswd`)).status).not.toBe(500);
  });
});
