/**
 * npm run bench:generate -w contracts-abi [-- --areas N --months N --groups N --consumers N --motions-per-month N --seed N]
 * Generates a ~100,000-event history on a fresh anvil (--prune-history: anvil otherwise keeps
 * every past state in memory, ~4.4 GiB after 100k events) and prints events per second.
 * Not a test: the figure depends on the machine.
 */
import { startAnvil } from '../src/anvil.js';
import { deployProtocol } from '../src/deployment.js';
import { generateHistory } from '../src/history/generate.js';
import { historyArgs, parseArgs, printSummary, progressPrinter } from '../src/cli/args.js';

// Chosen to reach about 100,000 protocol events in one simulated year.
const KNOBS = {
  seed: 7,
  areas: 10,
  months: 12,
  groups: 4,
  consumers: 250,
  motionsPerMonth: 55,
  tickHours: 24,
};

const args = parseArgs(process.argv.slice(2));
const knobs = { ...KNOBS, ...historyArgs(args) };
const anvil = await startAnvil({ pruneHistory: !args.has('keep-history') });
try {
  const deployment = await deployProtocol(anvil.rpcUrl, { network: 'bench' });
  console.log(`generating: ${JSON.stringify(knobs)}`);
  const started = performance.now();
  const summary = await generateHistory(anvil.rpcUrl, deployment, {
    ...knobs,
    onProgress: progressPrinter(),
  });
  const seconds = (performance.now() - started) / 1000;
  printSummary(summary);
  console.log(
    `BENCH generate: ${summary.totalEvents} events, ${summary.transactions} transactions, ${summary.blocks} blocks ` +
      `in ${seconds.toFixed(1)} s = ${Math.round(summary.totalEvents / seconds)} events/s`,
  );
} finally {
  await anvil.stop();
}
