// A loopback JSON-RPC proxy that misbehaves on purpose: for a fraction of the
// requests it drops the connection, stalls, answers 500, truncates or garbles the
// JSON, or turns entries into JSON-RPC errors. It can also refuse eth_getLogs
// over wide ranges the way hosted providers do. Seeded, so a failure reproduces.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultKind = 'drop' | 'delay' | 'http500' | 'truncate' | 'garble' | 'rpcError' | 'nullResult';

export interface FaultProxyOptions {
  upstream: string;
  /** Share of requests that get a fault (0..1). */
  rate: number;
  kinds?: FaultKind[];
  /** How long a 'delay' stalls (beyond the client's timeout to force a retry). */
  delayMs?: number;
  /** Refuse eth_getLogs spanning more blocks than this with a "too many results" error. */
  maxLogRange?: number;
  /**
   * Share of range eth_getLogs answers (fromBlock/toBlock, not blockHash) emptied:
   * a node serving a stale or lagging view. Only the headers' logsBloom can tell.
   */
  emptyRangeLogs?: number;
  seed?: number;
}

export interface FaultProxy {
  url: string;
  stats: { requests: number; emptiedLogs: number; faults: Record<FaultKind, number>; limitRefusals: number };
  close(): Promise<void>;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type RpcReq = { id: unknown; method: string; params?: unknown[] };

export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const random = mulberry32(opts.seed ?? 1);
  const kinds = opts.kinds ?? ['drop', 'delay', 'http500', 'truncate', 'garble', 'rpcError', 'nullResult'];
  const stats = {
    requests: 0,
    emptiedLogs: 0,
    faults: Object.fromEntries(kinds.map((k) => [k, 0])) as Record<FaultKind, number>,
    limitRefusals: 0,
  };
  let faultCount = 0;
  const sockets = new Set<import('node:net').Socket>();

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    stats.requests++;
    let parsed: RpcReq | RpcReq[];
    try {
      parsed = JSON.parse(body);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    const list = Array.isArray(parsed) ? parsed : [parsed];

    // Provider-style range limit, answered per entry like a real node would.
    if (opts.maxLogRange !== undefined) {
      const refused = list.find((r) => {
        if (r.method !== 'eth_getLogs') return false;
        const f = (r.params?.[0] ?? {}) as { fromBlock?: string; toBlock?: string };
        if (!f.fromBlock || !f.toBlock) return false;
        return Number(BigInt(f.toBlock) - BigInt(f.fromBlock)) + 1 > opts.maxLogRange!;
      });
      if (refused) {
        stats.limitRefusals++;
        const err = { code: -32005, message: 'query returned more than 10000 results' };
        const out = list.map((r) => ({ jsonrpc: '2.0', id: r.id, error: err }));
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(Array.isArray(parsed) ? out : out[0]));
        return;
      }
    }

    // Which requests fail is random; the kinds take turns, so every kind shows up.
    const fault = random() < opts.rate ? kinds[faultCount++ % kinds.length]! : null;
    if (fault) stats.faults[fault]++;
    if (fault === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault === 'delay') await new Promise((r) => setTimeout(r, opts.delayMs ?? 3_000));
    if (fault === 'http500') {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('internal server error');
      return;
    }

    let upstreamText: string;
    try {
      const up = await fetch(opts.upstream, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      upstreamText = await up.text();
    } catch {
      req.socket.destroy();
      return;
    }
    if (res.destroyed) return;

    let text = upstreamText;
    if (opts.emptyRangeLogs && list.some((r) => r.method === 'eth_getLogs')) {
      const answers = JSON.parse(upstreamText) as Array<Record<string, unknown>> | Record<string, unknown>;
      const arr = Array.isArray(answers) ? answers : [answers];
      for (const a of arr) {
        const req = list.find((r) => r.id === a.id);
        const filter = (req?.params?.[0] ?? {}) as { fromBlock?: string };
        if (
          req?.method === 'eth_getLogs' &&
          filter.fromBlock &&
          Array.isArray(a.result) &&
          a.result.length > 0 &&
          random() < opts.emptyRangeLogs
        ) {
          a.result = [];
          stats.emptiedLogs++;
        }
      }
      text = JSON.stringify(answers);
    }
    if (fault === 'truncate') text = upstreamText.slice(0, Math.floor(upstreamText.length * random()));
    if (fault === 'garble') {
      const at = Math.floor(upstreamText.length * random());
      text = upstreamText.slice(0, at) + '}{"x":' + upstreamText.slice(at + 3);
    }
    if (fault === 'rpcError' || fault === 'nullResult') {
      const answers = JSON.parse(upstreamText) as Array<Record<string, unknown>> | Record<string, unknown>;
      const arr = Array.isArray(answers) ? answers : [answers];
      const victim = arr[Math.floor(random() * arr.length)]!;
      if (fault === 'rpcError') {
        delete victim.result;
        victim.error = { code: -32603, message: 'internal error: upstream unavailable' };
      } else if (typeof victim.result === 'object' && victim.result !== null) {
        // A structurally wrong answer (right JSON, wrong shape), as a broken node might give.
        victim.result = Array.isArray(victim.result) ? [{ bogus: true }] : { bogus: true };
      } else {
        victim.result = 'not-hex';
      }
      text = JSON.stringify(answers);
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(text);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
