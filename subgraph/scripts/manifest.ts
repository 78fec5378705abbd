// `npm run prepare:manifest`: writes subgraph.yaml for GGN_NETWORK (default devnet).
//   GGN_NETWORK      deployments/<network>.json to read (default: devnet)
//   GGN_DEPLOYMENT   explicit path of a deployment record (overrides GGN_NETWORK's file)
//   GGN_ABI_DIR      folder holding the ABI JSON files (default: contracts-abi/abi)
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  DEFAULT_ABI_DIR,
  ManifestError,
  SUBGRAPH_DIR,
  TEMPLATE_FILE,
  checkAbis,
  deploymentFile,
  readDeployment,
  renderManifest,
} from './lib/manifest.js';

const network = process.env.GGN_NETWORK || 'devnet';
const file = process.env.GGN_DEPLOYMENT ? resolve(process.env.GGN_DEPLOYMENT) : deploymentFile(network);
const abiDir = process.env.GGN_ABI_DIR ? resolve(process.env.GGN_ABI_DIR) : DEFAULT_ABI_DIR;

try {
  const deployment = readDeployment(file, network);
  checkAbis(abiDir);
  const manifest = renderManifest(readFileSync(TEMPLATE_FILE, 'utf8'), deployment, abiDir);
  const out = join(SUBGRAPH_DIR, 'subgraph.yaml');
  writeFileSync(out, manifest);
  console.log(
    `subgraph.yaml: network ${deployment.network} (chain ${deployment.chainId}), factory ${deployment.factory}, startBlock ${deployment.startBlock}`,
  );
} catch (err) {
  if (err instanceof ManifestError) {
    console.error(`prepare:manifest: ${err.message}`);
    process.exit(1);
  }
  throw err;
}
