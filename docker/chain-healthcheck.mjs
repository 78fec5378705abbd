// Healthy once the devnet answers JSON-RPC and, when deployments/devnet.json is
// present, the factory it names has code (the protocol is deployed).
import { existsSync, readFileSync } from 'node:fs';

const rpc = process.env.GGN_RPC_URL ?? 'http://127.0.0.1:8545';
const deploymentFile = new URL('../deployments/devnet.json', import.meta.url);

async function call(method, params) {
  const res = await fetch(rpc, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = await res.json();
  if (body.error) throw new Error(body.error.message);
  return body.result;
}

try {
  await call('eth_blockNumber', []);
  if (existsSync(deploymentFile)) {
    const { factory } = JSON.parse(readFileSync(deploymentFile, 'utf8'));
    const code = await call('eth_getCode', [factory, 'latest']);
    if (!code || code === '0x') throw new Error(`no code at factory ${factory} yet`);
  }
  process.exit(0);
} catch (err) {
  console.error(String(err));
  process.exit(1);
}
