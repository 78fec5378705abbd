// What the main thread (writer-thread.ts) and the writer thread (writer-worker.ts) exchange.
import type { MessagePort } from 'node:worker_threads';
import type { DataSourceRecord, SubgraphErrorRecord } from './types.js';
import type { SqlValue } from './layout.js';
import { entityToJson } from './entity-json.js';

/** A block's entity write encoded by VersionTable.encodeRow: table index, key, row (null: removed). */
export type RowWrite = [table: number, key: SqlValue, row: SqlValue[] | null];

/** A data source as its row stores it: template, address (lowercase), context JSON, creation block. */
export type DataSourceRow = [string, string, string | null, number];

export const dataSourceRow = (ds: DataSourceRecord): DataSourceRow => [
  ds.template,
  ds.address.toLowerCase(),
  entityToJson(ds.context),
  ds.creationBlock,
];

/** Int32 cells of the shared control array. */
export const CTL = {
  /** Sequence number of the last block the writer committed (the file holds it). */
  COMMITTED: 0,
  /** Sequence number of the last block the writer took (written, or skipped after a failure). */
  PROCESSED: 1,
  /** Id of the last call answered on the reply port (-1: none yet; 0 answers opening). */
  REPLY: 2,
  /** 1: a block or a timer's commit failed; the next call is answered with the error. */
  FAILED: 3,
  /** 1: the writer thread has ended. */
  DEAD: 4,
  /** Entity writes the writer has taken, counted modulo 2^32 (as an int32). */
  PROCESSED_ROWS: 5,
  SIZE: 6,
} as const;

export interface WriterData {
  path: string;
  /** The schema's SDL (SchemaModel.source): the writer parses its own. */
  schema: string;
  deployment: string;
  groupCommitMs: number;
  deferIndexes: boolean;
  /** Nice value increment of the writer thread (Linux), 0: none. */
  nice: number;
  ctl: SharedArrayBuffer;
  replies: MessagePort;
}

/**
 * One block: its pointer (lowercase hashes), whether it changed anything, how
 * many entity writes it has in the batch's packed rows (row-pack.ts: per write
 * u32 table, key, u32 row length + 1 (0: removed), row values), its data sources
 * and error.
 */
export type BlockMessage = [
  number: number,
  hash: string,
  parentHash: string,
  timestamp: number,
  changed: boolean,
  writes: number,
  dataSources: DataSourceRow[],
  error: SubgraphErrorRecord | null,
];

/** Blocks handed over in one message, in order, with their packed rows. */
export interface BatchMessage {
  blocks: BlockMessage[];
  rows: ArrayBuffer;
  rowsLength: number;
}

export interface CallMessage {
  id: number;
  op: string;
  args: unknown[];
}

/** An error as it crosses threads: an SQLite error keeps its code, a StoreWriteError its class. */
export interface WireError {
  message: string;
  stack?: string;
  code?: string;
  storeWrite: boolean;
}

export type Reply =
  | { id: number; ok: true; value?: unknown }
  | { id: number; ok: false; error: WireError; recovered?: boolean };
