// Shared setup for host conformance tests: the compiled conformance module and
// a fresh instance bound to an in-memory store for each call.
import { readFileSync } from 'node:fs';
import { MappingModule } from '../../src/runtime/module.js';
import type { HostEnv, HostCalls, LogLevel } from '../../src/runtime/host/env.js';
import { BlockEntityCache } from '../../src/indexing/entity-cache.js';
import { MemoryStore } from '../../src/testkit/memory-store.js';
import { parseSchema } from '../../src/schema/model.js';
import type { Entity } from '../../src/schema/values.js';
import { buildTestModule } from '../wasm/build.js';

export const SCHEMA = `
type Thing @entity {
  id: ID!
  count: Int!
  note: String
  label: String
  tags: [String!]
  amount: BigInt
  ratio: BigDecimal
  owner: Owner
  data: Bytes
}
type Blob @entity {
  id: Bytes!
  n: Int8!
}
type Owner @entity {
  id: ID!
  things: [Thing!]! @derivedFrom(field: "owner")
}
`;

export async function compileConformance(apiVersion = '0.0.9'): Promise<MappingModule> {
  const path = await buildTestModule('host-conformance');
  return MappingModule.compile(readFileSync(path), 'host-conformance.wasm', apiVersion);
}

const noCalls: HostCalls = {
  call: () => {
    throw new Error('no calls in this test');
  },
  balance: () => 0n,
  code: () => '0x',
};

export interface Session {
  store: MemoryStore;
  cache: BlockEntityCache;
  logs: { level: LogLevel; message: string }[];
  created: { template: string; params: string[]; context: Entity | null }[];
  /** A fresh instance (graph-node: one per trigger) whose env shares this session's cache. */
  instance(): { env: HostEnv; exports: Record<string, unknown> };
}

export function session(mod: MappingModule, over: Partial<Omit<HostEnv, 'heap'>> = {}): Session {
  const store = new MemoryStore();
  const cache = new BlockEntityCache(store);
  const logs: Session['logs'] = [];
  const created: Session['created'] = [];
  const schema = parseSchema(SCHEMA);
  return {
    store,
    cache,
    logs,
    created,
    instance() {
      const { env, exports } = mod.instantiate({
        apiVersion: mod.apiVersion,
        schema,
        store: cache,
        calls: noCalls,
        dataSource: {
          name: 'Test',
          address: new Uint8Array(20).fill(0xab),
          network: 'devnet',
          context: new Map([['greeting', { kind: 'String', value: 'hello' }]]),
          abis: new Map(),
          templates: ['Child'],
        },
        block: { number: 7, hash: `0x${'11'.repeat(32)}`, timestamp: 1000n },
        createDataSource: (template, params, context) => created.push({ template, params, context }),
        log: (level, message) => logs.push({ level, message }),
        ...over,
      });
      return { env, exports: exports as unknown as Record<string, unknown> };
    },
  };
}

/** Call export `name` on a fresh instance; `args` builds the arguments in that instance's heap. */
export function call(
  s: Session,
  name: string,
  args: (env: HostEnv) => (number | bigint)[] = () => [],
): { env: HostEnv; ret: unknown } {
  const { env, exports } = s.instance();
  const fn = exports[name] as (...a: unknown[]) => unknown;
  if (typeof fn !== 'function') throw new Error(`no export ${name}`);
  const ret = fn(...args(env));
  return { env, ret };
}
