// The embedded graph-node-compatible WASM host, in graph-node's layers:
//   asc/       AssemblyScript heap codec (layouts of graph-ts objects, apiVersion 0.0.5–0.0.9)
//   numbers/   BigInt / BigDecimal with graph-node's exact semantics
//   host/      host imports, one file per namespace; HOST_IMPORTS is the table of names
//   ethereum/  trigger writers (Event, Block, Transaction, Receipt, Log) and event decoding
//   module.ts  compile once, validate imports; every trigger starts from a fresh instance's
//              state (an instance restored to its post-_start snapshot, see wasm-binary.ts)
export { MappingModule, type HandlerFailure, type CompileOptions } from './module.js';
export { HOST, HOST_IMPORTS } from './host/index.js';
export type { HostEnv, HostStore, HostCalls, HostDataSource, LogLevel } from './host/env.js';
export { DeterministicError, NonDeterministicError, CallCacheMiss, isDeterministic } from './errors.js';
export { AscHeap } from './asc/heap.js';
export { TypeId } from './asc/type-ids.js';
export * as bigDecimal from './numbers/bigdecimal.js';
export { bigintToSignedLE, signedLEToBigint } from './numbers/bigint.js';
export { decodeEventParams } from './ethereum/decode.js';
export { writeBlock, writeEvent, writeLog, writeReceipt, writeTransaction } from './ethereum/triggers.js';
export { type EthValue } from './ethereum/values.js';
