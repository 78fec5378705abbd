// Test-only chain fixture for the chain layer: a contract of 9 runtime bytes that
// emits LOG1 with the call's first 32 calldata bytes as topic0. Lets the chain
// source be tested on real anvil blocks, logs and reorgs without the protocol.
import { createTestClient, http, publicActions, walletActions, type Hex } from 'viem';
import { foundry } from 'viem/chains';

// runtime: PUSH1 0 CALLDATALOAD PUSH1 0 PUSH1 0 LOG1 STOP
const RUNTIME = '6000356000600' + '0a100';
// init: CODECOPY(dest 0, offset 12, size 9) RETURN(0, 9)
export const EMITTER_BYTECODE = `0x6009600c600039${'60096000f3'}${RUNTIME}` as Hex;

export function anvilClient(url: string) {
  return createTestClient({
    chain: foundry,
    mode: 'anvil',
    transport: http(url),
    cacheTime: 0,
    pollingInterval: 20,
  })
    .extend(publicActions)
    .extend(walletActions);
}

export type AnvilClient = ReturnType<typeof anvilClient>;

export async function deployEmitter(client: AnvilClient): Promise<Hex> {
  const [from] = await client.getAddresses();
  const hash = await client.sendTransaction({ account: from!, data: EMITTER_BYTECODE, chain: foundry });
  const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 20 });
  if (!receipt.contractAddress) throw new Error('emitter not deployed');
  return receipt.contractAddress.toLowerCase() as Hex;
}

/** Sends one emit(topic) transaction per topic without mining, then mines one block. */
export async function emitInOneBlock(client: AnvilClient, emitter: Hex, topics: Hex[]): Promise<void> {
  const [from] = await client.getAddresses();
  await client.setAutomine(false);
  for (const t of topics)
    await client.sendTransaction({ account: from!, to: emitter, data: t, chain: foundry, gas: 100_000n });
  await client.mine({ blocks: 1 });
  await client.setAutomine(true);
}

export const topic = (n: number): Hex => `0x${n.toString(16).padStart(64, '0')}` as Hex;
