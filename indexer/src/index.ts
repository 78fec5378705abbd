// @ggn/indexer public API: a thin re-export file (the modules hold the code).
export { Indexer, startIndexing, type IndexerConfig, type IndexingSummary } from './indexer.js';
export type { Progress } from './sync/progress.js';
export { deploymentId, schemaPath } from './sync/deployment.js';
export { ChainSource, blockPtr, type ChainSourceOptions, type RangeResult } from './chain/source.js';
export {
  RpcClient,
  RevertError,
  LimitError,
  MalformedAnswerError,
  AbortedError,
  type RpcOptions,
} from './chain/rpc.js';
export { RpcCallProvider } from './chain/calls.js';
export type * from './chain/types.js';
export type * from './store/types.js';
export { SqliteStore } from './store/sqlite-store.js';
export { SubgraphRunner } from './indexing/runner.js';
export { parseSchema, type SchemaModel } from './schema/model.js';
