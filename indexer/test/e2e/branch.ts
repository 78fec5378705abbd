// Mines protocol activity on top of a generated history, for reorg tests: each
// block registers a consumer (by the Foundation) who delegates at once, registers
// a new COMMUNITY group, and every third block proposes a GENERAL motion (with
// its VotingWeightSet snapshot). A `salt` makes each branch's blocks different.
import {
  createTestClient,
  encodeFunctionData,
  http,
  keccak256,
  publicActions,
  toHex,
  walletActions,
  type Address,
  type Hex,
} from 'viem';
import { foundry } from 'viem/chains';
import { AreaDAOAbi, type Deployment } from '@ggn/contracts-abi';

export function chainClient(rpcUrl: string) {
  return createTestClient({
    chain: foundry,
    mode: 'anvil',
    transport: http(rpcUrl),
    cacheTime: 0,
    pollingInterval: 20,
  })
    .extend(publicActions)
    .extend(walletActions);
}
export type ChainClient = ReturnType<typeof chainClient>;

const addr = (...parts: Array<string | number>): Address =>
  keccak256(toHex(parts.join('/'))).slice(0, 42) as Address;

async function communityGroups(client: ChainClient, dao: Address): Promise<bigint[]> {
  const count = (await client.readContract({
    address: dao,
    abi: AreaDAOAbi,
    functionName: 'groupCount',
  })) as bigint;
  const out: bigint[] = [];
  for (let g = 1n; g <= count; g++) {
    const [role] = (await client.readContract({
      address: dao,
      abi: AreaDAOAbi,
      functionName: 'group',
      args: [g],
    })) as readonly [number, ...unknown[]];
    if (role === 3) out.push(g);
  }
  return out;
}

export async function mineBranch(
  client: ChainClient,
  deployment: Deployment,
  salt: string,
  blocks: number,
): Promise<void> {
  const foundation = deployment.foundation;
  const areas = deployment.areas;
  await client.setAutomine(false);
  try {
    for (let i = 0; i < blocks; i++) {
      const area = areas[i % areas.length]!;
      const dao = area.dao;
      const groups = await communityGroups(client, dao);
      const consumer = addr(salt, i, 'consumer');
      const founder = addr(salt, i, 'group');
      for (const a of [consumer, founder]) await client.setBalance({ address: a, value: 10n ** 20n });
      const send = (from: Address, data: Hex) =>
        client.sendTransaction({ account: from, to: dao, data, gas: 1_000_000n, chain: foundry });
      await send(
        foundation,
        encodeFunctionData({
          abi: AreaDAOAbi,
          functionName: 'registerConsumer',
          args: [consumer, keccak256(toHex(`${salt}-${i}`))],
        }),
      );
      if (groups.length > 0) {
        await send(
          consumer,
          encodeFunctionData({
            abi: AreaDAOAbi,
            functionName: 'delegate',
            args: [groups[i % groups.length]!],
          }),
        );
      }
      await send(
        founder,
        encodeFunctionData({
          abi: AreaDAOAbi,
          functionName: 'registerGroup',
          args: [3, `Branch ${salt} group ${i}`, [addr(salt, i, 'm1'), addr(salt, i, 'm2')]],
        }),
      );
      if (i % 3 === 0) {
        await send(
          foundation,
          encodeFunctionData({
            abi: AreaDAOAbi,
            functionName: 'propose',
            args: [3, 0, 0n, `0x${'0'.repeat(64)}`, 0n, `Branch ${salt} motion ${i}`],
          }),
        );
      }
      await client.mine({ blocks: 1 });
    }
  } finally {
    await client.setAutomine(true);
  }
}
