/**
 * A minimal JSON-RPC client over fetch. The history generator uses it instead of viem for bulk
 * work: it batches requests and has no response-size cap (viem rejects responses over 10 MiB).
 */
export class RpcError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(`${method}: ${message} (${code})`);
  }
}

interface Call {
  method: string;
  params: unknown[];
}

export class Rpc {
  private id = 0;
  constructor(readonly url: string) {}

  async call<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    const [r] = await this.batch<T>([{ method, params }]);
    return r;
  }

  /** Sends the calls as one JSON-RPC batch; results come back in call order. */
  async batch<T = unknown>(calls: Call[]): Promise<T[]> {
    if (calls.length === 0) return [];
    const body = calls.map((c) => ({ jsonrpc: '2.0', id: ++this.id, method: c.method, params: c.params }));
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body.length === 1 ? body[0] : body),
    });
    if (!res.ok) throw new Error(`RPC ${this.url}: HTTP ${res.status} ${await res.text()}`);
    const json = (await res.json()) as unknown;
    const replies = (Array.isArray(json) ? json : [json]) as {
      id: number;
      result?: T;
      error?: { code: number; message: string; data?: unknown };
    }[];
    const byId = new Map(replies.map((r) => [r.id, r]));
    return body.map((b, i) => {
      const r = byId.get(b.id);
      if (!r) throw new Error(`RPC ${calls[i].method}: no reply`);
      if (r.error) throw new RpcError(calls[i].method, r.error.code, r.error.message, r.error.data);
      return r.result as T;
    });
  }
}

export const toHex = (n: number | bigint): `0x${string}` => `0x${n.toString(16)}`;
