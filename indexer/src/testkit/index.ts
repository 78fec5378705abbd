// Test kit for mappings (our Matchstick): typed events from ABIs, an in-memory
// store, a mock CallProvider and entity assertions. See harness.ts.
export { SubgraphHarness, type HarnessOptions } from './harness.js';
export { MemoryStore } from './memory-store.js';
export { MockCalls } from './calls.js';
export { blockWithEvents, encodeEvent, makeBlock, type EventSpec } from './chain.js';
export { expectEntity, expectNoEntity, plain, plainEntity, type Plain } from './expect.js';
