// Shared setup of the end-to-end tests: a fresh anvil with the protocol deployed
// and a generated history, the built subgraph, and helpers to index a chain.
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  startAnvil,
  deployProtocol,
  generateHistory,
  type Anvil,
  type Deployment,
  type HistoryOptions,
  type HistorySummary,
} from '@ggn/contracts-abi';
import { Indexer, type IndexerConfig, type IndexingSummary } from '../../src/indexer.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const SUBGRAPH_BUILD = path.join(REPO, 'subgraph/build');

export interface DevChain {
  anvil: Anvil;
  deployment: Deployment;
  history: HistorySummary;
  /** The built subgraph, pointed at this chain's factory. */
  subgraphDir: string;
}

/** The factory address the built manifest indexes; the chain must put the factory there. */
export function manifestFactory(buildDir = SUBGRAPH_BUILD): string {
  const file = path.join(buildDir, 'subgraph.yaml');
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build -w subgraph\` first`);
  const m = parse(readFileSync(file, 'utf8')) as { dataSources: Array<{ source: { address: string } }> };
  return m.dataSources[0]!.source.address.toLowerCase();
}

/**
 * The built subgraph for `deployment`: subgraph/build itself when its manifest
 * already names this factory, else a temporary copy whose manifest does (the
 * WASM and ABIs are the built ones; only the address and start block differ).
 */
export function subgraphFor(deployment: Deployment): string {
  const built = manifestFactory();
  const factory = deployment.factory.toLowerCase();
  if (built === factory) return SUBGRAPH_BUILD;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ggn-subgraph-'));
  cpSync(SUBGRAPH_BUILD, dir, { recursive: true });
  const file = path.join(dir, 'subgraph.yaml');
  const text = readFileSync(file, 'utf8')
    .replace(new RegExp(built, 'gi'), factory)
    .replace(/startBlock: \d+/, `startBlock: ${deployment.startBlock}`);
  writeFileSync(file, text);
  return dir;
}

/** anvil + protocol + history (default: the devnet's "year of governance"). */
export async function startDevChain(history: HistoryOptions = {}): Promise<DevChain> {
  const anvil = await startAnvil();
  try {
    const deployment = await deployProtocol(anvil.rpcUrl);
    const subgraphDir = subgraphFor(deployment);
    const summary = await generateHistory(anvil.rpcUrl, deployment, history);
    return { anvil, deployment: { ...deployment, areas: summary.areas }, history: summary, subgraphDir };
  } catch (e) {
    await anvil.stop();
    throw e;
  }
}

export type IndexOptions = Partial<Omit<IndexerConfig, 'rpcUrl' | 'subgraphDir'>>;

/** Indexes `rpcUrl` into a store (default ':memory:') up to untilBlock/the head; the caller closes the indexer. */
export async function indexChain(
  rpcUrl: string,
  subgraphDir: string,
  opts: IndexOptions = {},
): Promise<{ indexer: Indexer; summary: IndexingSummary }> {
  const indexer = await Indexer.open({ rpcUrl, subgraphDir, dbPath: ':memory:', follow: false, ...opts });
  try {
    const summary = await indexer.run();
    return { indexer, summary };
  } catch (e) {
    await indexer.close();
    throw e;
  }
}

/** Digest of a clean index of the chain at `rpcUrl` up to `untilBlock`. */
export async function cleanDigest(
  rpcUrl: string,
  subgraphDir: string,
  untilBlock?: number,
): Promise<{ digest: string; summary: IndexingSummary }> {
  const { indexer, summary } = await indexChain(rpcUrl, subgraphDir, { untilBlock });
  await indexer.close();
  if (summary.error) throw new Error(`clean index failed: ${summary.error.message}`);
  return { digest: summary.digest, summary };
}
