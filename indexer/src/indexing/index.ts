// Indexing: the manifest runner that turns blocks into entity operations.
//
// API (as agreed with the store and chain-source helpers):
//   const runner = await SubgraphRunner.load(buildDir, { calls?, network?, onLog? });
//   runner.schema, runner.startBlock, runner.logTopics(), runner.needsReceipts, runner.hasBlockHandlers
//   runner.restoreDataSources(records)   replaces the created data sources (restart or revert)
//   await runner.processBlock(block, reader) → { ops, dataSources, error?, handlerCalls }
//
// Additions / precise semantics:
//   - `runner.manifest` exposes the parsed built manifest (data sources, templates, handlers, ABIs).
//   - `onLog` option receives mapping log output; `runner.nonFatalErrors` tells whether the manifest
//     enables the `nonFatalErrors` feature; `runner.dataSources()` lists the active created data sources.
//   - A deterministic handler error without `nonFatalErrors` makes processBlock return
//     `{ ops: [], dataSources: [], error }`: graph-node fails the subgraph at that block and keeps
//     nothing of it. With `nonFatalErrors`, the failed handler's changes are dropped and the rest
//     of the block is kept; `error` is the first failure.
//   - Non-deterministic failures (RPC errors, missing transactions/receipts, no CallProvider) are
//     thrown as NonDeterministicError: the caller should retry the block later. The runner's
//     created-data-source list is left as it was before the block in both failure cases.
//   - Entity ids handed to EntityReader.get/getRelated and returned in EntityOp.id: String ids as
//     is, Bytes ids as lowercase 0x-hex, Int8 ids in decimal.
//   - BlockResult also has `callReplays`: handler runs restarted after an uncached ethereum.call
//     (the replay strategy); declared `calls:` in the manifest are prefetched to avoid them.
//   - processBlock must be called in increasing block order. Re-processing block n (after a revert)
//     first drops created data sources with creationBlock >= n; still call restoreDataSources with the
//     store's list after a revert or restart. processBlock is not re-entrant (one block at a time).
//   - Created data sources identical to a running one (template, address, context) are ignored, as in graph-node.
//   - `ops` leaves out changes that end where the reader already is (graph-node's as_modifications).
//   - Option `reuseInstances` (default true): handlers run on a WASM instance restored to the state a
//     fresh one has after _start (runtime/module.ts); false makes a new instance per trigger.
//     `runner.instanceStats()` counts both. Results are identical (test/indexing/reuse.test.ts).
export { SubgraphRunner, type BlockResult, type RunnerOptions } from './runner.js';
export { BlockEntityCache, idKey } from './entity-cache.js';
export {
  readManifest,
  findEvent,
  type ManifestDef,
  type DataSourceDef,
  type TemplateDef,
} from './manifest.js';
