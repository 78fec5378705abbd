// What host imports see of the world while one trigger runs. The module runner
// creates a HostEnv per instance; the indexing layer supplies the store, the
// data source and the call cache.
import type { Abi } from 'viem';
import type { AscHeap } from '../asc/heap.js';
import type { Entity } from '../../schema/values.js';
import type { SchemaModel } from '../../schema/model.js';

/** The block-scoped entity cache host `store.*` works on (implemented in indexing/entity-cache.ts). */
export interface HostStore {
  /** Current state: this handler's and this block's changes over the committed store. Read only: do not mutate. */
  get(type: string, id: string): Entity | null;
  /** Only entities written in the current block (store.get_in_block). Read only: do not mutate. */
  getInBlock(type: string, id: string): Entity | null;
  /** Entities of `type` whose `field` equals (or, for lists, contains) `id`, with this block's changes applied. */
  related(type: string, field: string, id: string): Entity[];
  /** Replace the entity's full state (merging is done by the caller); the store keeps `entity` itself. */
  put(type: string, id: string, entity: Entity): void;
  remove(type: string, id: string): void;
}

/** Synchronous view of ethereum state at the trigger's block; throws CallCacheMiss when not fetched yet. */
export interface HostCalls {
  call(to: `0x${string}`, data: `0x${string}`): `0x${string}` | null;
  balance(address: `0x${string}`): bigint;
  code(address: `0x${string}`): `0x${string}`;
}

export interface HostDataSource {
  name: string;
  /** 20-byte address, or empty when the data source has none. */
  address: Uint8Array;
  network: string;
  context: Entity | null;
  /** ABIs by the names the manifest's `abis:` gives them. */
  abis: Map<string, Abi>;
  /** Templates dataSource.create may instantiate. */
  templates: string[];
}

export type LogLevel = 'critical' | 'error' | 'warning' | 'info' | 'debug';

export interface HostEnv {
  heap: AscHeap;
  /** Patch component of the mapping's apiVersion 0.0.x (5–9). */
  apiVersion: number;
  schema: SchemaModel;
  store: HostStore;
  calls: HostCalls;
  dataSource: HostDataSource;
  block: { number: number; hash: `0x${string}`; timestamp: bigint };
  createDataSource(template: string, params: string[], context: Entity | null): void;
  log(level: LogLevel, message: string): void;
}

export type HostFn = (...args: never[]) => unknown;
/** One namespace file: import name → implementation bound to the environment. */
export type HostNamespace = Record<string, (env: HostEnv) => HostFn>;
