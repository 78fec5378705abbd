// graph-node's BigInt (graph/src/data/store/scalar/bigint.rs over num-bigint):
// signed two's complement, little-endian, minimal length (`to_signed_bytes_le`),
// capped at 435 412 bits.
import { det } from '../errors.js';

export const BIGINT_MAX_BITS = 435_412;

/** num-bigint's `to_signed_bytes_le`: zero is [0x00]; a positive value with the top bit set gets an extra 0x00. */
export function bigintToSignedLE(n: bigint): Uint8Array {
  if (n === 0n) return new Uint8Array([0]);
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

/** Any length is accepted; empty is zero. */
export function signedLEToBigint(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  if (bytes[bytes.length - 1]! & 0x80) v -= 1n << BigInt(bytes.length * 8);
  return v;
}

export const bitLength = (n: bigint): number => (n < 0n ? -n : n).toString(2).length - (n === 0n ? 1 : 0);

/** `BigInt::new`'s size check, applied to every value read from and written to WASM. */
export function checkBigIntSize(n: bigint): bigint {
  const bits = bitLength(n);
  if (bits > BIGINT_MAX_BITS) throw det(`BigInt is too big, total bits ${bits} (max ${BIGINT_MAX_BITS})`);
  return n;
}
