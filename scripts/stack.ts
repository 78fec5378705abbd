// The whole stack on the embedded default, as one function: devnet (or an existing
// RPC + deployment) -> built subgraph -> embedded indexer -> API + explorer on one
// HTTP origin. `npm start` and the end-to-end tests both use it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDevnet, readDeployment, type Deployment, type HistoryProgress } from '@ggn/contracts-abi';
import { Indexer, type Progress } from '@ggn/indexer/indexer.ts';
import { startApiServer } from '@ggn/indexer/server/api-server.ts';
import { SqliteStore } from '@ggn/indexer/store/sqlite-store.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SUBGRAPH = join(ROOT, 'subgraph');
const SUBGRAPH_BUILD = join(SUBGRAPH, 'build');
const EXPLORER_DIST = join(ROOT, 'explorer', 'dist');

export interface StackOptions {
  /** HTTP port of the API + explorer; 0 picks a free one. Default 4000. */
  port?: number;
  host?: string;
  /** SQLite file of the store, or ':memory:'. Default `.data/<network>.sqlite`. */
  dbPath?: string;
  /** Use this RPC and `deployments/<network>.json` instead of starting a devnet. */
  rpcUrl?: string;
  /** Deployment/network name. Default `devnet`. */
  network?: string;
  /** Port of the devnet's anvil (0 = free). Default 0. */
  anvilPort?: number;
  /** History seed for the devnet. */
  seed?: number;
  /** Rebuild the subgraph and the explorer even when their builds look current. */
  rebuild?: boolean;
  log?: (line: string) => void;
  onIndexProgress?: (p: Progress) => void;
  onHistoryProgress?: (p: HistoryProgress) => void;
}

export interface Stack {
  /** Explorer and API origin, e.g. http://127.0.0.1:4000 */
  url: string;
  graphqlUrl: string;
  rpcUrl: string;
  deployment: Deployment;
  dbPath: string;
  indexer: Indexer;
  stop(): Promise<void>;
}

/** Newest modification time of a file or of any file below a folder (node_modules excluded). */
function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

function npmRun(args: string[], env: NodeJS.ProcessEnv, what: string): void {
  const r = spawnSync('npm', args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(
      `${what} failed (npm ${args.join(' ')}):\n${(r.stdout ?? '') + (r.stderr ?? '')}`.trimEnd(),
    );
  }
}

/** Builds the subgraph for `network` unless its build is newer than every input. */
export function ensureSubgraphBuilt(
  network: string,
  force = false,
  log: (s: string) => void = () => {},
): string {
  const manifest = join(SUBGRAPH_BUILD, 'subgraph.yaml');
  const inputs = Math.max(
    newestMtime(join(SUBGRAPH, 'src')),
    newestMtime(join(SUBGRAPH, 'schema.graphql')),
    newestMtime(join(SUBGRAPH, 'subgraph.template.yaml')),
    newestMtime(join(ROOT, 'deployments', `${network}.json`)),
    newestMtime(join(ROOT, 'contracts-abi', 'abi')),
  );
  const built = existsSync(manifest) ? statSync(manifest).mtimeMs : 0;
  // The build names its network in subgraph.yaml; a build for another network is stale too.
  const builtFor = built ? /network:\s*(\S+)/.exec(readFileSync(manifest, 'utf8'))?.[1] : undefined;
  if (force || built < inputs || builtFor !== network) {
    log(`building the subgraph for ${network} (graph codegen + graph build)…`);
    npmRun(
      ['run', 'build', '-w', 'subgraph'],
      { GGN_NETWORK: network, GRAPH_SKIP_NEW_VERSION_CHECK: 'true' },
      'subgraph build',
    );
  }
  return SUBGRAPH_BUILD;
}

/** Builds the explorer unless its dist is newer than its sources. */
export function ensureExplorerBuilt(force = false, log: (s: string) => void = () => {}): string {
  const src = Math.max(
    newestMtime(join(ROOT, 'explorer', 'src')),
    newestMtime(join(ROOT, 'explorer', 'index.html')),
    newestMtime(join(ROOT, 'explorer', 'vite.config.ts')),
  );
  const built = existsSync(join(EXPLORER_DIST, 'index.html'))
    ? statSync(join(EXPLORER_DIST, 'index.html')).mtimeMs
    : 0;
  if (force || built < src) {
    log('building the explorer (vite build)…');
    npmRun(['run', 'build', '-w', 'explorer'], {}, 'explorer build');
  }
  return EXPLORER_DIST;
}

/** Builds GraphiQL's bundle for the API server unless present. */
export function ensureGraphiqlBuilt(log: (s: string) => void = () => {}): void {
  if (existsSync(join(ROOT, 'indexer', 'dist', 'graphiql', 'index.html'))) return;
  log('building GraphiQL…');
  npmRun(['run', 'build:graphiql', '-w', 'indexer'], {}, 'GraphiQL build');
}

/**
 * Starts everything and resolves once the indexer has caught up with the chain
 * head as it was at start (it keeps following afterwards).
 */
export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const log = opts.log ?? (() => {});
  const network = opts.network ?? 'devnet';
  // Stopped in reverse order of start: API, indexer, devnet.
  const cleanups: { what: string; run: () => Promise<void> }[] = [];
  const stop = async () => {
    for (const c of cleanups.reverse()) {
      log(`stopping ${c.what}…`);
      await c.run().catch((e) => log(`stopping ${c.what} failed: ${(e as Error).message}`));
    }
    cleanups.length = 0;
  };
  try {
    let rpcUrl: string;
    let deployment: Deployment;
    if (opts.rpcUrl) {
      rpcUrl = opts.rpcUrl;
      deployment = readDeployment(network);
      log(`using RPC ${rpcUrl} and deployments/${network}.json`);
    } else {
      log('starting the devnet (anvil), deploying the protocol and generating the demo history…');
      const devnet = await startDevnet({
        port: opts.anvilPort ?? 0,
        seed: opts.seed,
        network,
        onProgress: opts.onHistoryProgress,
      });
      cleanups.push({ what: 'the devnet', run: () => devnet.stop() });
      rpcUrl = devnet.rpcUrl;
      deployment = devnet.deployment;
      log(
        `devnet at ${rpcUrl}: ${devnet.summary ? `${devnet.summary.totalEvents} protocol events in ${devnet.summary.blocks} blocks` : 'no history'}`,
      );
    }

    const subgraphDir = ensureSubgraphBuilt(network, opts.rebuild, log);
    const staticDir = ensureExplorerBuilt(opts.rebuild, log);
    ensureGraphiqlBuilt(log);

    let lastProgress: Progress | undefined;
    const dbPath = opts.dbPath ?? join(ROOT, '.data', `${network}.sqlite`);
    if (dbPath !== ':memory:') mkdirSync(dirname(dbPath), { recursive: true });
    const indexer = await Indexer.open({
      rpcUrl,
      subgraphDir,
      dbPath,
      follow: true,
      pollIntervalMs: 1000,
      onProgress: (p) => {
        lastProgress = p;
        opts.onIndexProgress?.(p);
      },
      onNotice: (m) => log(m),
    });
    // A reused store (the seeded devnet is the same chain every run) resumes after its head.
    const resumed = indexer.store.head();
    if (resumed) log(`store ${dbPath} holds blocks up to ${resumed.number}: indexing resumes after it`);
    const running = indexer.run();
    cleanups.push({
      what: 'the indexer',
      run: async () => {
        await indexer.close();
        await running.catch(() => undefined);
      },
    });

    const schema = indexer.store.schema;
    const server = await startApiServer({
      store: dbPath === ':memory:' ? indexer.store : SqliteStore.openReadonly(dbPath, schema),
      schema,
      port: opts.port ?? 4000,
      host: opts.host ?? '127.0.0.1',
      staticDir,
      status: () => ({
        chainHeadBlock: lastProgress?.head ?? null,
        rpcUrl,
        network,
        caughtUp: lastProgress?.caughtUp ?? false,
        eventsPerSecond: lastProgress?.eventsPerSecond ?? 0,
      }),
    });
    cleanups.push({ what: 'the API server', run: () => server.close() });

    // Surface a failed indexing run instead of waiting forever.
    await Promise.race([indexer.caughtUp, running.then(() => undefined)]);
    return {
      url: server.url,
      graphqlUrl: `${server.url}/graphql`,
      rpcUrl,
      deployment,
      dbPath,
      indexer,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
