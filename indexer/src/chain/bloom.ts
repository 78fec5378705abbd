// The header's logsBloom (yellow paper §4.3.1), used as a cross-check on eth_getLogs:
// if a block's bloom says one of our topics may be present but the range query
// returned nothing for that block, we ask again by block hash. This catches a
// range answer served from a different branch than the headers we hold.
import { hexToBytes, keccak256, type Hex } from 'viem';

/** The three bloom bit positions of one value (address or topic). */
export function bloomBits(value: Hex): [number, number, number] {
  const h = hexToBytes(keccak256(value));
  const bit = (i: number) => ((h[i]! << 8) | h[i + 1]!) & 2047;
  return [bit(0), bit(2), bit(4)];
}

export function bloomMayContain(bloom: Hex, bits: [number, number, number]): boolean {
  const b = hexToBytes(bloom);
  if (b.length !== 256) return true; // unknown shape: do not trust it, re-query
  return bits.every((i) => (b[255 - (i >> 3)]! & (1 << (i & 7))) !== 0);
}
