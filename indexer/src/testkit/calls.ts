// A mock CallProvider: answers eth_call from a table keyed by contract and
// function, encoded and decoded with the contract's ABI.
import { decodeFunctionData, encodeFunctionResult, type Abi, type Hex } from 'viem';
import type { CallProvider } from '../chain/types.js';

type Answer = { result: unknown } | { revert: true };

export class MockCalls implements CallProvider {
  private readonly entries: { address: string; abi: Abi; fn: string; args?: unknown[]; answer: Answer }[] =
    [];
  readonly log: { to: Hex; data: Hex; block: number }[] = [];
  balances = new Map<string, bigint>();
  codes = new Map<string, Hex>();

  /** Answer calls of `fn` on `address` (with exactly `args`, if given) with `result` (a single value or the output tuple). */
  on(address: Hex, abi: Abi, fn: string, result: unknown, args?: unknown[]): this {
    this.entries.unshift({ address: address.toLowerCase(), abi, fn, args, answer: { result } });
    return this;
  }

  reverts(address: Hex, abi: Abi, fn: string, args?: unknown[]): this {
    this.entries.unshift({ address: address.toLowerCase(), abi, fn, args, answer: { revert: true } });
    return this;
  }

  async call(to: Hex, data: Hex, blockNumber: number): Promise<Hex | null> {
    this.log.push({ to, data, block: blockNumber });
    for (const e of this.entries) {
      if (e.address !== to.toLowerCase()) continue;
      let decoded;
      try {
        decoded = decodeFunctionData({ abi: e.abi, data });
      } catch {
        continue;
      }
      if (decoded.functionName !== e.fn) continue;
      if (e.args && JSON.stringify(e.args, big) !== JSON.stringify(decoded.args ?? [], big)) continue;
      if ('revert' in e.answer) return null;
      return encodeFunctionResult({ abi: e.abi, functionName: e.fn, result: e.answer.result } as Parameters<
        typeof encodeFunctionResult
      >[0]);
    }
    throw new Error(`MockCalls: no answer for call to ${to} with data ${data.slice(0, 10)}`);
  }

  async getBalance(address: Hex): Promise<bigint> {
    return this.balances.get(address.toLowerCase()) ?? 0n;
  }

  async getCode(address: Hex): Promise<Hex> {
    return this.codes.get(address.toLowerCase()) ?? '0x';
  }
}

const big = (_: string, v: unknown) =>
  typeof v === 'bigint' ? v.toString() : typeof v === 'string' ? v.toLowerCase() : v;
