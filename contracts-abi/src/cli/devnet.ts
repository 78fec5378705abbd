/**
 * npm run devnet -w contracts-abi -- [--port 8545] [--rpc URL] [--seed N] [--no-history]
 *                                    [--network devnet] [--prune-history] [history knobs]
 * Starts anvil on 127.0.0.1 (or targets --rpc), deploys the protocol, generates the history,
 * writes deployments/<network>.json and, when it started anvil, keeps it running until Ctrl-C.
 */
import { startAnvil, type Anvil } from '../anvil.js';
import { deployProtocol, writeDeployment } from '../deployment.js';
import { generateHistory } from '../history/generate.js';
import { historyArgs, intArg, parseArgs, printSummary, progressPrinter } from './args.js';

const args = parseArgs(process.argv.slice(2));
const network = String(args.get('network') ?? 'devnet');
const rpc = args.get('rpc');
let anvil: Anvil | null = null;
let rpcUrl: string;
if (typeof rpc === 'string') {
  rpcUrl = rpc;
} else {
  anvil = await startAnvil({ port: intArg(args, 'port') ?? 8545, pruneHistory: args.has('prune-history') });
  rpcUrl = anvil.rpcUrl;
}

const stop = async (code: number) => {
  await anvil?.stop();
  process.exit(code);
};
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  let deployment = await deployProtocol(rpcUrl, { network });
  console.log(
    `deployed: utility token ${deployment.utilityToken}, factory ${deployment.factory} (block ${deployment.startBlock})`,
  );
  if (!args.has('no-history')) {
    const summary = await generateHistory(rpcUrl, deployment, {
      ...historyArgs(args),
      onProgress: progressPrinter(),
    });
    deployment = { ...deployment, areas: summary.areas };
    printSummary(summary);
  }
  console.log(`wrote ${writeDeployment(network, deployment)}`);
  console.log(`RPC: ${rpcUrl} (chain id ${deployment.chainId})`);
} catch (e) {
  console.error(e);
  await stop(1);
}
if (anvil) console.log('anvil is running; Ctrl-C stops it');
