// The read-only HTTP API: GraphQL (Apollo Server on node:http) at /graphql, our own
// GraphiQL bundle at /graphiql, /health and /status, and the explorer's static build
// at / with an SPA fallback.
//
// HTTP behaviour follows graph-node's server/http/src/service.rs, so clients see the
// same thing from both engines:
//   - every GraphQL response (parse, validation, limit and execution errors included)
//     is 200 with `{data?, errors?}` and open CORS headers;
//   - a body that is not JSON, not an object, or has no string `query` is 400 with
//     `{"error": "..."}`;
// plus our own protections, answered in the same shapes: a request body over the size
// limit is 413 `{"error"}`, and query depth, aliases, cost, tokens and directives are
// limited by graphql-armor (validation errors, so 200 with `errors`).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  parse,
  type FormattedExecutionResult,
  type GraphQLError,
  type GraphQLFormattedError,
} from 'graphql/index.js';
import { parseSchema, type SchemaModel } from '../schema/model.js';
import { SqliteStore } from '../store/sqlite-store.js';
import type { StoreReader } from '../store/reader.js';
import { serveGraphiQL, serveStatic } from './static.js';
import {
  createQueryEngine,
  formatError,
  newQueryContext,
  postProcess,
  type QueryContext,
} from '../graphql/engine.js';

/** What the indexer reports about its progress, for /health and /status. */
export interface IndexingStatus {
  /** The chain's latest block as the indexer last saw it. */
  chainHeadBlock: number | null;
  /** Anything else worth showing (RPC url, phase, last error...). */
  [key: string]: unknown;
}

export interface ApiServerOptions {
  /** A store reader (read-only connection), or the path of a store file to open read-only. */
  store: StoreReader | string;
  /** The subgraph schema: a parsed model or schema.graphql's text. */
  schema: SchemaModel | string;
  port?: number;
  host?: string;
  /** Served at / with SPA fallback (the explorer's build). */
  staticDir?: string;
  status?: () => IndexingStatus;
  /** Protections; defaults suit the explorer's and auditors' queries. */
  limits?: Partial<ApiLimits>;
}

export interface ApiLimits {
  maxBodyBytes: number;
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
  maxDirectives: number;
}

export const DEFAULT_LIMITS: ApiLimits = {
  maxBodyBytes: 256 * 1024,
  maxDepth: 10,
  maxAliases: 30,
  // graphql-armor's cost: objects 2, scalars 1, ×1.5 per level, × a literal `first`.
  // 100 000 lets an auditor page `first: 1000` rows with every field of any entity
  // (graph-node's own defaults refuse nothing of that shape) and still refuses nested
  // lists that multiply (1000 motions × 1000 votes costs millions). The explorer
  // splits its pages to fit (explorer/src/api/cost.ts).
  maxCost: 100_000,
  maxTokens: 5_000,
  maxDirectives: 50,
};

export interface ApiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** A FIFO mutex. */
class Queue {
  private tail: Promise<void> = Promise.resolve();
  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((ok) => (release = ok));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return ready;
  }
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'Content-Type, User-Agent',
  'access-control-allow-methods': 'GET, OPTIONS, POST',
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...CORS, 'content-type': 'application/json' });
  res.end(text);
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => !failed && resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const model = typeof opts.schema === 'string' ? parseSchema(opts.schema) : opts.schema;
  const ownsStore = typeof opts.store === 'string';
  const store = typeof opts.store === 'string' ? SqliteStore.openReadonly(opts.store, model) : opts.store;
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const engine = createQueryEngine(store, model);

  const armor = new ApolloArmor({
    // exposeLimits: say which limit was hit and by how much, not just "Query validation error."
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true, exposeLimits: true },
    maxAliases: { n: limits.maxAliases, exposeLimits: true },
    costLimit: { maxCost: limits.maxCost, ignoreIntrospection: true, exposeLimits: true },
    // Token limit: enforced by our own parse below (armor's throws from a hook Apollo answers with 500).
    maxTokens: { enabled: false },
    maxDirectives: { n: limits.maxDirectives, exposeLimits: true },
    // Keep graphql-js's "Did you mean ...?" hints: the schema is public anyway.
    blockFieldSuggestion: { enabled: false },
  });
  const protection = armor.protect();

  // graph-node answers every GraphQL result with 200 and applies its error policy.
  const graphNodeResponses: ApolloServerPlugin<QueryContext> = {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          response.http.status = 200;
          if (response.body.kind === 'single')
            response.body.singleResult = postProcess(
              response.body.singleResult as FormattedExecutionResult,
              contextValue ?? newQueryContext(),
            ) as typeof response.body.singleResult;
        },
      };
    },
  };

  const apollo = new ApolloServer<QueryContext>({
    schema: engine.schema,
    // The process owner (npm start, the CLI, tests) decides when to stop; Apollo's own
    // SIGINT/SIGTERM handler would stop it behind our back and re-raise the signal.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginLandingPageDisabled(), // its default page loads from a CDN; ours is /graphiql
      ApolloServerPluginCacheControlDisabled(), // no cache hints; saves a hook per resolved field
      ApolloServerPluginUsageReportingDisabled(),
      // armor's typings point at Apollo's CJS build; the plugins are the same objects
      ...(protection.plugins as unknown as ApolloServerPlugin<QueryContext>[]),
      graphNodeResponses,
    ],
    validationRules: protection.validationRules,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: false, // read-only API with open CORS, like graph-node
    introspection: true,
    // Apollo hands the original error (a GraphQLError) second; graph-node's shape is built from it.
    formatError: (formatted: GraphQLFormattedError, error: unknown) =>
      formatError(error instanceof Error ? (error as GraphQLError) : formatted) as GraphQLFormattedError,
  });
  await apollo.start();

  const queue = new Queue();
  const staticRoot = opts.staticDir ? resolve(opts.staticDir) : undefined;

  const health = () => {
    const meta = store.metadata();
    const chainHead = opts.status?.().chainHeadBlock ?? null;
    const head = meta.head?.number ?? null;
    return {
      ok: meta.fatalError === null && head !== null,
      deployment: meta.deployment,
      headBlock: head,
      chainHeadBlock: chainHead,
      lag: chainHead !== null && head !== null ? Math.max(0, chainHead - head) : null,
      hasIndexingErrors: meta.hasIndexingErrors,
      fatalError: meta.fatalError?.message ?? null,
    };
  };

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    let body: unknown = undefined;
    if (req.method === 'POST') {
      let text: string;
      try {
        text = await readBody(req, limits.maxBodyBytes);
      } catch (e) {
        if (e instanceof BodyTooLarge) {
          sendJson(res, 413, {
            error: `Request body is larger than the limit of ${limits.maxBodyBytes} bytes`,
          });
          req.resume();
          return;
        }
        throw e;
      }
      try {
        body = JSON.parse(text);
      } catch (e) {
        sendJson(res, 400, { error: (e as Error).message });
        return;
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        sendJson(res, 400, { error: 'Request data is not an object' });
        return;
      }
      const q = (body as Record<string, unknown>)['query'];
      if (q === undefined)
        return sendJson(res, 400, { error: 'The "query" field is missing in request data' });
      if (typeof q !== 'string') return sendJson(res, 400, { error: 'The "query" field is not a string' });
    } else if (!url.searchParams.has('query')) {
      // graph-node serves GraphiQL on a bare GET; we point at ours.
      res.writeHead(302, { ...CORS, location: '/graphiql' });
      res.end();
      return;
    }
    // Parse once ourselves: syntax errors and the token limit become graph-node-style
    // 200 responses with `errors` and locations.
    const query =
      req.method === 'POST'
        ? ((body as Record<string, unknown>)['query'] as string)
        : url.searchParams.get('query')!;
    try {
      parse(query, { maxTokens: limits.maxTokens });
    } catch (e) {
      const err = e as GraphQLError;
      return sendJson(res, 200, {
        errors: [
          err.locations ? { message: err.message, locations: err.locations } : { message: err.message },
        ],
      });
    }
    const headers = new HeaderMap();
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    if (req.method === 'POST') headers.set('content-type', 'application/json');
    // One query at a time, in arrival order. SQLite calls are synchronous, so running
    // requests side by side gains nothing on one thread; interleaving their async steps
    // only makes every request as slow as the whole backlog (heavy ones worst).
    const release = await queue.acquire();
    let result: Awaited<ReturnType<typeof apollo.executeHTTPGraphQLRequest>>;
    try {
      result = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method!, headers, search: url.search, body },
        context: async () => newQueryContext(),
      });
    } finally {
      release();
    }
    const out: Record<string, string> = { ...CORS, 'content-type': 'application/json' };
    for (const [k, v] of result.headers) if (k !== 'content-length') out[k] = v;
    out['content-type'] = 'application/json';
    res.writeHead(result.status ?? 200, out);
    if (result.body.kind === 'complete') res.end(result.body.string);
    else {
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const fail = (e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: `Internal server error: ${(e as Error).message}` });
      else res.end();
    };
    try {
      if (req.method === 'OPTIONS') {
        res.writeHead(200, CORS);
        res.end();
        return;
      }
      if (path === '/graphql' || path === '/graphql/') {
        if (req.method !== 'GET' && req.method !== 'POST')
          return sendJson(res, 405, { error: 'Use GET or POST' });
        handleGraphQL(req, res, url).catch(fail);
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return sendJson(res, 405, { error: 'Read-only API: use GET' });
      if (path === '/health') return sendJson(res, 200, health());
      if (path === '/status') {
        const meta = store.metadata();
        return sendJson(res, 200, {
          ...health(),
          earliestBlock: meta.earliestBlock,
          head: meta.head,
          indexingErrors: store.indexingErrors(),
          indexer: opts.status?.() ?? null,
        });
      }
      if (path === '/graphiql' || path.startsWith('/graphiql/')) return serveGraphiQL(res, path);
      return serveStatic(res, staticRoot, path);
    } catch (e) {
      fail(e);
    }
  });

  await new Promise<void>((ok, ko) => {
    server.once('error', ko);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => ok());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : (opts.port ?? 0);
  const host = opts.host ?? '127.0.0.1';
  return {
    url: `http://${host}:${port}`,
    port,
    async close() {
      await new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      });
      await apollo.stop();
      if (ownsStore) store.db.close();
    },
  };
}
