// eth_call results for one block. Host imports are synchronous: a miss throws
// CallCacheMiss, the runner fetches through the async CallProvider and replays
// the trigger on a fresh instance (graph-host-abi.md §6 (a)).
import type { CallProvider } from '../chain/types.js';
import { CallCacheMiss, NonDeterministicError, callKey, type CallRequest } from '../runtime/errors.js';
import type { HostCalls } from '../runtime/host/env.js';

type Answer = `0x${string}` | null | bigint;

export class BlockCallCache implements HostCalls {
  private readonly answers = new Map<string, Answer>();

  constructor(
    private readonly provider: CallProvider | undefined,
    private readonly blockNumber: number,
  ) {}

  private lookup(req: CallRequest): Answer {
    const k = callKey(req);
    if (!this.answers.has(k)) throw new CallCacheMiss(req);
    return this.answers.get(k)!;
  }

  call(to: `0x${string}`, data: `0x${string}`): `0x${string}` | null {
    return this.lookup({ kind: 'call', to: to.toLowerCase() as `0x${string}`, data }) as `0x${string}` | null;
  }

  balance(address: `0x${string}`): bigint {
    return this.lookup({ kind: 'balance', to: address.toLowerCase() as `0x${string}` }) as bigint;
  }

  code(address: `0x${string}`): `0x${string}` {
    return this.lookup({ kind: 'code', to: address.toLowerCase() as `0x${string}` }) as `0x${string}`;
  }

  /** Fetch a declared call ahead of the handler; failures are left for the handler to meet. */
  async prefetch(to: `0x${string}`, data: `0x${string}`): Promise<void> {
    const req: CallRequest = { kind: 'call', to: to.toLowerCase() as `0x${string}`, data };
    if (this.answers.has(callKey(req)) || !this.provider) return;
    try {
      await this.fetch(req);
    } catch {
      // graph-node logs failed declared calls and lets the handler's own call decide.
    }
  }

  async fetch(req: CallRequest): Promise<void> {
    const p = this.provider;
    if (!p)
      throw new NonDeterministicError(
        `ethereum ${req.kind} to ${req.to} needs a CallProvider, none is configured`,
      );
    let answer: Answer;
    try {
      if (req.kind === 'call') answer = await p.call(req.to, req.data, this.blockNumber);
      else if (req.kind === 'balance') {
        if (!p.getBalance) throw new Error('the CallProvider has no getBalance');
        answer = await p.getBalance(req.to, this.blockNumber);
      } else {
        if (!p.getCode) throw new Error('the CallProvider has no getCode');
        answer = await p.getCode(req.to, this.blockNumber);
      }
    } catch (e) {
      // graph-node treats RPC failures as a possible reorg: retry the block, never record them.
      throw new NonDeterministicError(
        `ethereum ${req.kind} to ${req.to} at block ${this.blockNumber} failed: ${(e as Error).message}`,
      );
    }
    this.answers.set(callKey(req), answer);
  }
}
