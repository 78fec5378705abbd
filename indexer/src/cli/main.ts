// `ggn` command line. One command for now: `ggn index`.
// Exit codes: 0 done (or stopped by a signal), 1 a handler failed (the subgraph
// is failed at that block, like graph-node), 2 usage error, 3 any other failure
// (e.g. the RPC node stayed unreachable past the retry budget).
import { parseArgs } from 'node:util';
import path from 'node:path';
import { Indexer, type IndexingSummary } from '../indexer.js';
import { ProgressDisplay, summaryText } from './display.js';

const HELP = `Usage: ggn index --rpc URL --subgraph DIR --db FILE [options]

Indexes the subgraph built in DIR (the directory holding subgraph.yaml, as
written by \`graph build\`) from an Ethereum JSON-RPC node into a SQLite file.
Re-running with the same --db resumes where the last run stopped.

Options:
  --rpc URL              JSON-RPC endpoint (HTTP)
  --subgraph DIR         built subgraph directory (e.g. subgraph/build)
  --db FILE              SQLite store file, or :memory: (nothing is kept)
  --from-block N         first block for an empty store (default: the manifest's startBlock)
  --until-block N        stop after block N
  --follow               keep following the chain head after catching up (Ctrl-C stops)
  --poll-interval MS     head polling interval when following (default 1000)
  --rpc-timeout MS       per-request timeout (default 30000)
  --json                 print the final summary as JSON on stdout
  --quiet                no progress output
  -h, --help             this help
`;

function intOption(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name} must be a non-negative integer, got "${v}"`);
  return Number(v);
}

class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(HELP);
    return command ? 0 : 2;
  }
  if (command !== 'index') {
    process.stderr.write(`ggn: unknown command "${command}"\n\n${HELP}`);
    return 2;
  }
  let opts;
  try {
    const { values } = parseArgs({
      args: rest,
      options: {
        rpc: { type: 'string' },
        subgraph: { type: 'string' },
        db: { type: 'string' },
        'from-block': { type: 'string' },
        'until-block': { type: 'string' },
        follow: { type: 'boolean', default: false },
        'poll-interval': { type: 'string' },
        'rpc-timeout': { type: 'string' },
        json: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    });
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    for (const required of ['rpc', 'subgraph', 'db'] as const) {
      if (!values[required]) throw new UsageError(`--${required} is required`);
    }
    opts = {
      rpcUrl: values.rpc!,
      subgraphDir: path.resolve(values.subgraph!),
      dbPath: values.db === ':memory:' ? ':memory:' : path.resolve(values.db!),
      fromBlock: intOption('from-block', values['from-block']),
      untilBlock: intOption('until-block', values['until-block']),
      follow: values.follow!,
      pollIntervalMs: intOption('poll-interval', values['poll-interval']),
      rpcTimeoutMs: intOption('rpc-timeout', values['rpc-timeout']),
      json: values.json!,
      quiet: values.quiet!,
    };
  } catch (e) {
    process.stderr.write(`ggn index: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }

  const display = new ProgressDisplay(process.stderr);
  let indexer: Indexer;
  try {
    indexer = await Indexer.open({
      rpcUrl: opts.rpcUrl,
      subgraphDir: opts.subgraphDir,
      dbPath: opts.dbPath,
      fromBlock: opts.fromBlock,
      untilBlock: opts.untilBlock,
      follow: opts.follow,
      pollIntervalMs: opts.pollIntervalMs,
      rpc: opts.rpcTimeoutMs !== undefined ? { timeoutMs: opts.rpcTimeoutMs } : undefined,
      onProgress: opts.quiet ? undefined : (p) => display.update(p),
      onNotice: opts.quiet ? undefined : (m) => display.notice(m),
    });
  } catch (e) {
    process.stderr.write(`ggn index: ${(e as Error).message}\n`);
    return 3;
  }

  const onSignal = () => void indexer.stop();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let summary: IndexingSummary;
  try {
    summary = await indexer.run();
  } catch (e) {
    display.clear();
    process.stderr.write(`ggn index: indexing failed: ${(e as Error).stack ?? e}\n`);
    indexer.store.close();
    return 3;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  display.clear();
  indexer.store.close();
  if (opts.json) {
    process.stdout.write(
      `${JSON.stringify(summary, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}\n`,
    );
  } else {
    process.stdout.write(`${summaryText(summary)}\n`);
  }
  return summary.error ? 1 : 0;
}
