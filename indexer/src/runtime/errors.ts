// How a failing host call or trap is classified, following graph-node's
// HostExportError / DeterminismLevel (runtime/wasm/src/host_exports.rs,
// graph/src/runtime/mod.rs). The runner decides from the class alone whether a
// handler failure is recorded as a subgraph error (deterministic) or the block
// must be retried (non-deterministic).

/** The handler failed in a way that would fail the same on every node: recorded, not retried. */
export class DeterministicError extends Error {
  override name = 'DeterministicError';
}

/** An environmental failure (RPC, store, our own bug): the block must be retried. */
export class NonDeterministicError extends Error {
  override name = 'NonDeterministicError';
}

/** A call the handler made is not in the block's call cache yet.
 * Host imports are synchronous, eth_call is not: the runner catches this
 * sentinel, performs the request asynchronously, caches the answer and re-runs
 * the trigger on a fresh instance (graph-host-abi.md §6, strategy (a)). */
export class CallCacheMiss extends Error {
  override name = 'CallCacheMiss';
  constructor(readonly request: CallRequest) {
    super(`ethereum call not cached yet: ${request.kind} ${request.to}`);
  }
}

export type CallRequest =
  | { kind: 'call'; to: `0x${string}`; data: `0x${string}` }
  | { kind: 'balance'; to: `0x${string}` }
  | { kind: 'code'; to: `0x${string}` };

export const callKey = (r: CallRequest): string => `${r.kind}:${r.to}:${r.kind === 'call' ? r.data : ''}`;

/** WASM traps (unreachable, out of bounds, integer divide by zero, bad conversion) are deterministic.
 * Stack overflow (RangeError in V8) is not, as in graph-node. */
export function isDeterministic(err: unknown): boolean {
  if (err instanceof DeterministicError) return true;
  if (err instanceof NonDeterministicError || err instanceof CallCacheMiss) return false;
  if (err instanceof WebAssembly.RuntimeError) return true;
  return false;
}

export const det = (message: string): DeterministicError => new DeterministicError(message);
