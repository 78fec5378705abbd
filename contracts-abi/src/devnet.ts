/** A devnet in one call: anvil + protocol deployment + (by default) the seeded history. */
import { startAnvil } from './anvil.js';
import { deployProtocol, type Deployment } from './deployment.js';
import { generateHistory } from './history/generate.js';
import type { HistoryOptions, HistoryProgress, HistorySummary } from './history/types.js';

export interface DevnetOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** History knobs, or false for a bare deployment. Default: the default history. */
  history?: false | HistoryOptions;
  /** Shorthand for history.seed. */
  seed?: number;
  pruneHistory?: boolean;
  network?: string;
  onProgress?: (p: HistoryProgress) => void;
}

export interface Devnet {
  rpcUrl: string;
  port: number;
  deployment: Deployment;
  summary?: HistorySummary;
  stop(): Promise<void>;
}

export async function startDevnet(opts: DevnetOptions = {}): Promise<Devnet> {
  const anvil = await startAnvil({ port: opts.port ?? 0, pruneHistory: opts.pruneHistory });
  try {
    let deployment = await deployProtocol(anvil.rpcUrl, { network: opts.network ?? 'devnet' });
    let summary: HistorySummary | undefined;
    if (opts.history !== false) {
      const history = { ...(opts.history ?? {}), ...(opts.seed !== undefined ? { seed: opts.seed } : {}) };
      summary = await generateHistory(anvil.rpcUrl, deployment, { ...history, onProgress: opts.onProgress });
      deployment = { ...deployment, areas: [...deployment.areas, ...summary.areas] };
    }
    return { rpcUrl: anvil.rpcUrl, port: anvil.port, deployment, summary, stop: anvil.stop };
  } catch (e) {
    await anvil.stop();
    throw e;
  }
}
