// ethereum.call / getBalance / hasCode for the host, over the same retrying RPC
// client. While a block is being processed its hash is pinned, and calls at that
// block go by hash (EIP-1898) so a reorg cannot answer from another branch.
import type { Hex } from 'viem';
import { MalformedAnswerError, RevertError, type RpcClient } from './rpc.js';
import { toQuantity } from './format.js';
import type { BlockPtr, CallProvider } from './types.js';

const HEX = /^0x[0-9a-fA-F]*$/;

function hexResult(v: unknown): Hex {
  if (typeof v !== 'string' || !HEX.test(v))
    throw new MalformedAnswerError(`bad hex answer ${String(v).slice(0, 80)}`);
  return v.toLowerCase() as Hex;
}

export class RpcCallProvider implements CallProvider {
  private pinned: BlockPtr | null = null;

  constructor(private readonly rpc: RpcClient) {}

  /** Calls at `ptr.number` use `ptr.hash` until the next pin. */
  pin(ptr: BlockPtr | null): void {
    this.pinned = ptr;
  }

  private blockTag(blockNumber: number): unknown {
    if (this.pinned && this.pinned.number === blockNumber)
      return { blockHash: this.pinned.hash, requireCanonical: false };
    return toQuantity(blockNumber);
  }

  async call(to: Hex, data: Hex, blockNumber: number): Promise<Hex | null> {
    try {
      return await this.rpc.request('eth_call', [{ to, data }, this.blockTag(blockNumber)], hexResult);
    } catch (e) {
      if (e instanceof RevertError) return null;
      throw e;
    }
  }

  async getBalance(address: Hex, blockNumber: number): Promise<bigint> {
    return BigInt(await this.rpc.request('eth_getBalance', [address, this.blockTag(blockNumber)], hexResult));
  }

  async getCode(address: Hex, blockNumber: number): Promise<Hex> {
    return this.rpc.request('eth_getCode', [address, this.blockTag(blockNumber)], hexResult);
  }
}
