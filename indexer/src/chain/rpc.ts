// JSON-RPC over HTTP with the fault handling an indexer needs. viem's HTTP client
// does the transport (timeouts, body-size cap, batch bodies, error classes); this
// module decides what a failure means:
//   - a revert of eth_call is an answer, not a fault (RevertError, never retried);
//   - "too many results" / an oversized body means "ask for less" (LimitError,
//     thrown at once so the caller can shrink its range or batch);
//   - everything else (timeouts, 5xx, resets, garbled JSON, JSON-RPC errors,
//     answers that fail validation) is retried with exponential backoff.
// Nothing is ever skipped: after `maxAttempts` the error propagates and indexing stops.
import { getHttpRpcClient, type HttpRpcClient } from 'viem/utils';
import { ResponseBodyTooLargeError, RpcRequestError } from 'viem';

export interface RpcOptions {
  url: string;
  /** Per HTTP request. */
  timeoutMs?: number;
  /** Attempts per request before giving up (default 40, about two minutes of backoff). */
  maxAttempts?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** Larger answers fail with LimitError (viem's default cap is 10 MiB). */
  maxResponseBytes?: number;
  /** Called before each retry, for logs and tests. */
  onRetry?: (info: { method: string; attempt: number; error: unknown }) => void;
  signal?: AbortSignal;
}

/** eth_call reverted: a definite answer (the host maps it to a failed try_ call). */
export class RevertError extends Error {
  constructor(
    message: string,
    readonly data?: string,
  ) {
    super(message);
    this.name = 'RevertError';
  }
}

/** The node refused or could not deliver an answer this large: ask for less. */
export class LimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimitError';
  }
}

/** The node answered, but not with something we can trust. Retried. */
export class MalformedAnswerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedAnswerError';
  }
}

export class AbortedError extends Error {
  constructor() {
    super('aborted');
    this.name = 'AbortedError';
  }
}

export interface RpcCall {
  method: string;
  params: unknown[];
}

/** Validates the raw `result` of call number `index`; throws (e.g. MalformedAnswerError) to have it retried. */
export type Validator<T> = (result: unknown, index: number) => T;

// Messages providers use for "narrow your query" (geth, erigon, alchemy, infura, quicknode...).
const LIMIT_PATTERNS =
  /too many|more than \d+ results|limit exceeded|response size|too large|exceed(s|ed)? (the )?(max|limit)|block range|query timeout exceeded|range is too|max results/i;

interface RpcErrorBody {
  code?: number;
  message?: string;
  data?: unknown;
}

function classifyRpcError(method: string, err: RpcErrorBody): Error {
  const message = String(err.message ?? 'JSON-RPC error');
  if (method === 'eth_call' && (err.code === 3 || /revert/i.test(message))) {
    return new RevertError(message, typeof err.data === 'string' ? err.data : undefined);
  }
  if (err.code === -32005 || LIMIT_PATTERNS.test(message)) return new LimitError(message);
  const e = new Error(`${method}: JSON-RPC error ${err.code ?? '?'}: ${message}`);
  e.name = 'JsonRpcError';
  return e;
}

function isRetryable(err: unknown): boolean {
  return !(err instanceof RevertError || err instanceof LimitError || err instanceof AbortedError);
}

export class RpcClient {
  private readonly http: HttpRpcClient;
  private readonly maxAttempts: number;
  private readonly backoffInitialMs: number;
  private readonly backoffMaxMs: number;
  private nextId = 1;
  /** Requests sent and retries made, for progress and tests. */
  readonly stats = { requests: 0, retries: 0 };

  constructor(private readonly opts: RpcOptions) {
    this.http = getHttpRpcClient(opts.url, {
      timeout: opts.timeoutMs ?? 30_000,
      maxResponseBodySize: opts.maxResponseBytes ?? 64 * 1024 * 1024,
    });
    this.maxAttempts = opts.maxAttempts ?? 40;
    this.backoffInitialMs = opts.backoffInitialMs ?? 100;
    this.backoffMaxMs = opts.backoffMaxMs ?? 5_000;
  }

  /** One call, retried until it yields a valid result. */
  async request<T>(method: string, params: unknown[], validate: Validator<T>): Promise<T> {
    const [result] = await this.batch([{ method, params }], validate);
    return result as T;
  }

  /**
   * Several calls in one HTTP body. Entries that fail are retried (only they);
   * the answer is in call order. LimitError/RevertError from any entry is thrown.
   */
  async batch<T>(calls: RpcCall[], validate: Validator<T>): Promise<T[]> {
    const out = new Array<T>(calls.length);
    let pending = calls.map((_, i) => i);
    for (let attempt = 1; ; attempt++) {
      this.throwIfAborted();
      let failure: unknown = null;
      try {
        const failed: number[] = [];
        const answers = await this.send(pending.map((i) => calls[i]!));
        pending.forEach((callIndex, k) => {
          const answer = answers[k]!;
          if (answer instanceof Error) {
            if (!isRetryable(answer)) throw answer;
            failure = answer;
            failed.push(callIndex);
            return;
          }
          try {
            out[callIndex] = validate(answer.result, callIndex);
          } catch (e) {
            failure = e;
            failed.push(callIndex);
          }
        });
        if (failed.length === 0) return out;
        pending = failed;
      } catch (e) {
        if (!isRetryable(e)) throw e;
        failure = e;
      }
      if (attempt >= this.maxAttempts) throw failure;
      this.stats.retries++;
      this.opts.onRetry?.({ method: calls[pending[0]!]!.method, attempt, error: failure });
      await this.sleep(this.backoff(attempt));
    }
  }

  /** Sends one HTTP request; per-entry errors come back as Error values. */
  private async send(calls: RpcCall[]): Promise<Array<{ result: unknown } | Error>> {
    this.stats.requests++;
    const body = calls.map((c) => ({
      jsonrpc: '2.0' as const,
      id: this.nextId++,
      method: c.method,
      params: c.params,
    }));
    let data: unknown;
    try {
      data = await this.http.request({ body, fetchOptions: { signal: this.opts.signal } });
    } catch (e) {
      if (this.opts.signal?.aborted) throw new AbortedError();
      if (e instanceof ResponseBodyTooLargeError) throw new LimitError(e.shortMessage);
      if (e instanceof RpcRequestError)
        throw classifyRpcError(calls[0]!.method, { code: e.code, message: e.details });
      throw e;
    }
    if (!Array.isArray(data)) throw new MalformedAnswerError('batch answer is not an array');
    // Match by id: servers may reorder batch answers.
    const byId = new Map<unknown, Record<string, unknown>>();
    for (const entry of data) {
      if (entry && typeof entry === 'object')
        byId.set((entry as { id?: unknown }).id, entry as Record<string, unknown>);
    }
    return body.map((req, k) => {
      const entry = byId.get(req.id);
      if (!entry) return new MalformedAnswerError(`no answer for ${req.method} (id ${req.id})`);
      if (entry.error !== undefined && entry.error !== null) {
        return classifyRpcError(calls[k]!.method, entry.error as RpcErrorBody);
      }
      if (!('result' in entry)) return new MalformedAnswerError(`answer to ${req.method} has no result`);
      return { result: entry.result };
    });
  }

  private backoff(attempt: number): number {
    const base = Math.min(this.backoffMaxMs, this.backoffInitialMs * 2 ** (attempt - 1));
    return base / 2 + Math.random() * (base / 2); // jitter, so retries do not stampede
  }

  private throwIfAborted(): void {
    if (this.opts.signal?.aborted) throw new AbortedError();
  }

  private sleep(ms: number): Promise<void> {
    return sleep(ms, this.opts.signal);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
