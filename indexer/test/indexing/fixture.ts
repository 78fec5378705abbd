// A small subgraph laid out as `graph build` leaves it (build/subgraph.yaml with
// paths relative to build/), compiled from test/wasm/runner-mapping.ts.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAbi, type Hex } from 'viem';
import { buildTestModule } from '../wasm/build.js';

export const FACTORY = '0x00000000000000000000000000000000000000f1' as Hex;

export const factoryAbi = parseAbi([
  'event ChildCreated(address indexed child, string name)',
  'event Tick(uint256 indexed n, string indexed tag, int256 delta, uint256 big)',
  'event Inspect(bytes32 indexed h, bytes blob)',
]);

export const childAbi = parseAbi([
  'event Ping(uint256 value)',
  'event Fail(string reason)',
  'function count() view returns (uint256)',
  'function label(address who) view returns (string)',
]);

const SCHEMA = `
type Child @entity {
  id: Bytes!
  name: String!
  pings: BigInt!
  created: BigInt!
  count: BigInt
  label: String
}
type Counter @entity {
  id: ID!
  value: Int!
}
type Trace @entity {
  id: ID!
  seq: Int!
  kind: String!
  block: BigInt!
  detail: String!
}
`;

export interface FixtureOptions {
  startBlock?: number;
  features?: string[];
  apiVersion?: string;
  /** Add the block handlers (once, every block, polling every 2). */
  blockHandlers?: boolean;
  /** Declare Ping's contract calls in the manifest (prefetched). */
  declaredCalls?: boolean;
}

const made: string[] = [];

/** Remove every fixture directory built by this test file. */
export function removeFixtures(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

export async function buildFixture(opts: FixtureOptions = {}): Promise<string> {
  const wasm = await buildTestModule('runner-mapping');
  const dir = mkdtempSync(join(tmpdir(), 'ggn-runner-fixture-'));
  made.push(dir);
  const api = opts.apiVersion ?? '0.0.9';
  mkdirSync(join(dir, 'Factory'), { recursive: true });
  mkdirSync(join(dir, 'templates/Child'), { recursive: true });
  copyFileSync(wasm, join(dir, 'Factory/Factory.wasm'));
  copyFileSync(wasm, join(dir, 'templates/Child/Child.wasm'));
  writeFileSync(join(dir, 'Factory/Factory.json'), JSON.stringify(factoryAbi));
  mkdirSync(join(dir, 'Child'), { recursive: true });
  writeFileSync(join(dir, 'Child/Child.json'), JSON.stringify(childAbi));
  writeFileSync(join(dir, 'schema.graphql'), SCHEMA);
  const blockHandlers = opts.blockHandlers
    ? `
      blockHandlers:
        - handler: handleOnce
          filter:
            kind: once
        - handler: handlePoll
          filter:
            kind: polling
            every: 2
        - handler: handleEvery`
    : '';
  writeFileSync(
    join(dir, 'subgraph.yaml'),
    `specVersion: 1.3.0
schema:
  file: schema.graphql
${opts.features ? `features:\n${opts.features.map((f) => `  - ${f}`).join('\n')}\n` : ''}dataSources:
  - kind: ethereum/contract
    name: Factory
    network: testnet
    source:
      address: "${FACTORY}"
      abi: Factory
      startBlock: ${opts.startBlock ?? 1}
    mapping:
      kind: ethereum/events
      apiVersion: ${api}
      language: wasm/assemblyscript
      file: Factory/Factory.wasm
      entities: [Child, Trace]
      abis:
        - name: Factory
          file: Factory/Factory.json
      eventHandlers:
        - event: ChildCreated(indexed address,string)
          handler: handleChildCreated
        - event: Tick(indexed uint256,indexed string,int256,uint256)
          handler: handleTick
        - event: Inspect(indexed bytes32,bytes)
          handler: handleInspect
          receipt: true${blockHandlers}
templates:
  - kind: ethereum/contract
    name: Child
    network: testnet
    source:
      abi: Child
    mapping:
      kind: ethereum/events
      apiVersion: ${api}
      language: wasm/assemblyscript
      file: templates/Child/Child.wasm
      entities: [Child, Trace]
      abis:
        - name: Child
          file: Child/Child.json
      eventHandlers:
        - event: Ping(uint256)
          handler: handlePing
          receipt: true${
            opts.declaredCalls
              ? `
          calls:
            count: Child[event.address].count()
            label: Child[event.address].label(event.address)`
              : ''
          }
        - event: Fail(string)
          handler: handleFail
`,
  );
  return dir;
}
