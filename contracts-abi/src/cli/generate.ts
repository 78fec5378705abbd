/**
 * npm run generate -w contracts-abi -- --rpc URL [--network devnet] [--seed N] [--areas N]
 *   [--months N] [--groups N] [--consumers N] [--motions-per-month N] [--start-time UNIX]
 * Generates a history on an existing anvil. Uses deployments/<network>.json if it matches the
 * chain, else deploys the protocol first; appends the new areas and rewrites the file.
 */
import { deployProtocol, readDeployment, writeDeployment, type Deployment } from '../deployment.js';
import { generateHistory } from '../history/generate.js';
import { Rpc } from '../rpc.js';
import { historyArgs, parseArgs, printSummary, progressPrinter } from './args.js';

const args = parseArgs(process.argv.slice(2));
const rpcUrl = args.get('rpc');
if (typeof rpcUrl !== 'string') {
  console.error(
    'usage: generate --rpc URL [--seed N] [--areas N --months N --groups N --consumers N --motions-per-month N]',
  );
  process.exit(2);
}
const network = String(args.get('network') ?? 'devnet');

async function existing(): Promise<Deployment | null> {
  try {
    const d = readDeployment(network);
    const code = await new Rpc(rpcUrl as string).call<string>('eth_getCode', [d.factory, 'latest']);
    return code && code !== '0x' ? d : null;
  } catch {
    return null;
  }
}

let deployment = (await existing()) ?? (await deployProtocol(rpcUrl, { network }));
const summary = await generateHistory(rpcUrl, deployment, {
  ...historyArgs(args),
  onProgress: progressPrinter(),
});
deployment = { ...deployment, areas: [...deployment.areas, ...summary.areas] };
printSummary(summary);
console.log(`wrote ${writeDeployment(network, deployment)}`);
