// The narrow interface between indexing (runtime + runner) and the store.
import type { Entity } from '../schema/values.js';
import type { BlockPtr } from '../chain/types.js';

/** The final state of one entity after a block: `entity: null` means removed. */
export interface EntityOp {
  type: string;
  id: string;
  entity: Entity | null;
}

/** A data source created from a template (graph-node's dynamic data source). */
export interface DataSourceRecord {
  template: string;
  address: string; // lowercase 0x hex
  context: Entity | null;
  creationBlock: number;
}

export interface SubgraphErrorRecord {
  message: string;
  handler: string | null;
  blockNumber: number;
  blockHash: string;
  deterministic: boolean;
}

/** What the runtime reads while running handlers: the latest committed state. */
export interface EntityReader {
  get(type: string, id: string): Entity | null;
  /** Entities of `type` whose `field` equals (or, for list fields, contains) `id`; for store.loadRelated. */
  getRelated(type: string, field: string, id: string): Entity[];
}

export interface IndexingStore extends EntityReader {
  head(): BlockPtr | null;
  /** Atomically: write the block's entity changes and new data sources, then move the head to `ptr`. */
  commitBlock(
    ptr: BlockPtr,
    ops: EntityOp[],
    dataSources: DataSourceRecord[],
    error?: SubgraphErrorRecord,
  ): void;
  /** Undo every block after `blockNumber` (reorg); the head becomes that block. */
  revertTo(blockNumber: number): void;
  /** The committed block pointer at `number`, if still retained (for reorg detection). */
  blockPtr(number: number): BlockPtr | null;
  dataSources(): DataSourceRecord[];
  /** Deterministic digest of the whole store as of `block` (default: head). */
  digest(block?: number): string;
  close(): void;
}
