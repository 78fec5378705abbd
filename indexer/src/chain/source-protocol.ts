// Messages between ThreadedChainSource (threaded-source.ts) and its worker
// (source-worker.ts), and errors in a form that crosses threads: a structured
// clone keeps an Error's message but not its class, and callers tell faults
// apart by class (AbortedError on stop, LimitError...).
import { AbortedError, LimitError, MalformedAnswerError, RevertError, type RpcOptions } from './rpc.js';
import type { ChainSource, ChainSourceOptions } from './source.js';
import type { BlockPtr } from './types.js';
import type { WireRange } from './wire.js';

export interface SourceWorkerData {
  rpc: Omit<RpcOptions, 'onRetry' | 'signal'>;
  source: Omit<ChainSourceOptions, 'signal'>;
  /** Ranges the worker fetches beyond the last one asked for. */
  ahead: number;
}

export type SourceRequest =
  | { id: number; op: 'next'; from: number; maxTo: number; parent: BlockPtr | null }
  | { id: number; op: 'headNumber' }
  | { id: number; op: 'blockAt'; number: number };

export interface SourceStats {
  rpc: { requests: number; retries: number };
  source: ChainSource['stats'];
}

/** Omit over each member of a union. */
export type Unstamped<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type WireResult = { kind: 'blocks'; range: WireRange } | { kind: 'reorg'; at: number };

export type SourceReply =
  | { id: number; ok: true; value: unknown; stats: SourceStats }
  | { id: number; ok: false; error: WireError; stats: SourceStats }
  /** An RPC call failed and is being retried (RpcOptions.onRetry). */
  | { id: 0; retry: { method: string; attempt: number; error: WireError }; stats: SourceStats };

export interface WireError {
  name: string;
  message: string;
  stack?: string;
  data?: string;
}

export function toWireError(e: unknown): WireError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  return {
    name: e.name,
    message: e.message,
    stack: e.stack,
    data: e instanceof RevertError ? e.data : undefined,
  };
}

export function fromWireError(w: WireError): Error {
  let e: Error;
  if (w.name === 'AbortedError') e = new AbortedError();
  else if (w.name === 'LimitError') e = new LimitError(w.message);
  else if (w.name === 'MalformedAnswerError') e = new MalformedAnswerError(w.message);
  else if (w.name === 'RevertError') e = new RevertError(w.message, w.data);
  else {
    e = new Error(w.message);
    e.name = w.name;
  }
  if (w.stack) e.stack = w.stack;
  return e;
}
