/** Deploying the protocol and the deployments/<network>.json record other workspaces read. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeAbiParameters, type Address } from 'viem';
import { ChainWriter } from './chain.js';
import { GGNFactoryBytecode, GGNUtilityTokenBytecode } from './generated/abis.js';

export interface AreaDeployment {
  areaId: number;
  name: string;
  code: string;
  dao: Address;
  token: Address;
  createdAtBlock: number;
}

/** All addresses are lowercase hex. */
export interface Deployment {
  network: string;
  chainId: number;
  utilityToken: Address;
  factory: Address;
  /** Block of the utility token's deployment: where indexers start. */
  startBlock: number;
  /** The Foundation: deployer, factory and utility-token owner (anvil account 0 on a devnet). */
  foundation: Address;
  areas: AreaDeployment[];
}

export const DEPLOYMENTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'deployments');

export function deploymentPath(network: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(network)) throw new Error(`bad network name: ${network}`);
  return join(DEPLOYMENTS_DIR, `${network}.json`);
}

export function readDeployment(network: string): Deployment {
  return JSON.parse(readFileSync(deploymentPath(network), 'utf8')) as Deployment;
}

/** Fixed key order and formatting, so a reproduced devnet writes the same bytes. */
export function formatDeployment(d: Deployment): string {
  const ordered: Deployment = {
    network: d.network,
    chainId: d.chainId,
    utilityToken: d.utilityToken.toLowerCase() as Address,
    factory: d.factory.toLowerCase() as Address,
    startBlock: d.startBlock,
    foundation: d.foundation.toLowerCase() as Address,
    areas: d.areas.map((a) => ({
      areaId: a.areaId,
      name: a.name,
      code: a.code,
      dao: a.dao.toLowerCase() as Address,
      token: a.token.toLowerCase() as Address,
      createdAtBlock: a.createdAtBlock,
    })),
  };
  return JSON.stringify(ordered, null, 2) + '\n';
}

export function writeDeployment(network: string, d: Deployment): string {
  const path = deploymentPath(network);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, formatDeployment({ ...d, network }));
  return path;
}

export interface DeployOptions {
  network?: string;
  /** Timestamp of the deployment block; default: one minute after the latest block. */
  timestamp?: number;
}

/**
 * Deploys GGNUtilityToken and GGNFactory from the node's first account (the Foundation) in one
 * block. On a fresh devnet the addresses are always the same (account 0, nonces 0 and 1).
 */
export async function deployProtocol(rpcUrl: string, opts: DeployOptions = {}): Promise<Deployment> {
  const writer = await ChainWriter.open(rpcUrl);
  const [foundationRaw] = await writer.rpc.call<Address[]>('eth_accounts');
  if (!foundationRaw) throw new Error('the node has no unlocked account for the Foundation');
  const foundation = foundationRaw.toLowerCase() as Address;
  await writer.knowAccounts([foundation]);
  writer.begin(opts.timestamp ?? writer.latestTimestamp + 60);
  const utilityToken = writer.nextContractAddress(foundation);
  writer.add({
    from: foundation,
    data: GGNUtilityTokenBytecode,
    gas: 1_500_000n,
    label: 'deploy GGNUtilityToken',
  });
  const factory = writer.nextContractAddress(foundation);
  const args = encodeAbiParameters([{ type: 'address' }], [utilityToken]).slice(2);
  writer.add({
    from: foundation,
    data: `${GGNFactoryBytecode}${args}`,
    gas: 6_000_000n,
    label: 'deploy GGNFactory',
  });
  const [block] = await writer.flush();
  await writer.close();
  return {
    network: opts.network ?? 'devnet',
    chainId: writer.chainId,
    utilityToken,
    factory,
    startBlock: block.number,
    foundation,
    areas: [],
  };
}
