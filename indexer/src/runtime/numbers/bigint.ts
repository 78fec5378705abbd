// graph-node's BigInt (graph/src/data/store/scalar/bigint.rs over num-bigint):
// signed two's complement, little-endian, minimal length (`to_signed_bytes_le`),
// capped at 435 412 bits.
import { det } from '../errors.js';

export const BIGINT_MAX_BITS = 435_412;

/**
 * Recent encodings: the same block numbers, timestamps and amounts are written into
 * every entity a block touches. Callers copy the bytes (into WASM memory) and never
 * change them.
 */
const encoded = new Map<bigint, Uint8Array>();
const ENCODED_LIMIT = 4096;

/** Minimal two's-complement little-endian bytes of `n` (graph-node's BigInt representation). Do not modify the result. */
export function bigintToSignedLE(n: bigint): Uint8Array {
  let out = encoded.get(n);
  if (out === undefined) {
    out = encodeSignedLE(n);
    if (encoded.size >= ENCODED_LIMIT) encoded.clear();
    encoded.set(n, out);
  }
  return out;
}

/** num-bigint's `to_signed_bytes_le`: zero is [0x00]; a positive value with the top bit set gets an extra 0x00. */
function encodeSignedLE(n: bigint): Uint8Array {
  if (n === 0n) return new Uint8Array([0]);
  // Values of up to 6 bytes (block numbers, indexes, timestamps, small amounts) in float arithmetic.
  if (n < 0x800000000000n && n >= -0x800000000000n) {
    let v = Number(n);
    const out: number[] = [];
    for (;;) {
      const byte = v & 0xff; // two's complement low byte, also for negative v
      out.push(byte);
      v = Math.floor(v / 256);
      if ((v === 0 && (byte & 0x80) === 0) || (v === -1 && (byte & 0x80) !== 0)) break;
    }
    return new Uint8Array(out);
  }
  const out: number[] = [];
  let v = n;
  // Emit bytes until the remaining value is pure sign extension of the last byte written.
  for (;;) {
    const byte = Number(v & 0xffn);
    out.push(byte);
    v >>= 8n;
    if ((v === 0n && (byte & 0x80) === 0) || (v === -1n && (byte & 0x80) !== 0)) break;
  }
  return new Uint8Array(out);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Any length is accepted; empty is zero. */
export function signedLEToBigint(bytes: Uint8Array): bigint {
  const n = bytes.length;
  if (n === 0) return 0n;
  const negative = (bytes[n - 1]! & 0x80) !== 0;
  if (n <= 6) {
    // Exact in float arithmetic (< 2^48).
    let v = 0;
    for (let i = n - 1; i >= 0; i--) v = v * 256 + bytes[i]!;
    return BigInt(negative ? v - 2 ** (8 * n) : v);
  }
  // One BigInt parse instead of a shift and an OR per byte.
  let hex = '0x';
  for (let i = n - 1; i >= 0; i--) hex += HEX[bytes[i]!];
  const v = BigInt(hex);
  return negative ? v - (1n << BigInt(n * 8)) : v;
}

export const bitLength = (n: bigint): number => (n < 0n ? -n : n).toString(2).length - (n === 0n ? 1 : 0);

/** |n| < LIMIT is exactly bitLength(n) <= BIGINT_MAX_BITS. */
const LIMIT = 1n << BigInt(BIGINT_MAX_BITS);
const NEG_LIMIT = -LIMIT; // precomputed: negating a 54 kB BigInt per call would dominate

/** `BigInt::new`'s size check, applied to every value read from and written to WASM. */
export function checkBigIntSize(n: bigint): bigint {
  if (n < LIMIT && n > NEG_LIMIT) return n; // the common case, without building a binary string
  const bits = bitLength(n);
  if (bits > BIGINT_MAX_BITS) throw det(`BigInt is too big, total bits ${bits} (max ${BIGINT_MAX_BITS})`);
  return n;
}
