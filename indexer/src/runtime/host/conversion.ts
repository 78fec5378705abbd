// typeConversion.* (graph-node host_exports.rs and module/context.rs).
import { bytesView, readBigInt, readBytes, readString, writeBytes, writeString } from '../asc/codec.js';
import { det } from '../errors.js';
import type { HostNamespace } from './env.js';

const utf8Lossy = new TextDecoder('utf-8', { fatal: false });

/** Bitcoin-alphabet base58 (bs58 crate): leading zero bytes become '1'. */
export function base58(bytes: Uint8Array): string {
  const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = '';
  while (n > 0n) {
    out = ALPHABET[Number(n % 58n)] + out;
    n /= 58n;
  }
  return '1'.repeat(zeros) + out;
}

/** alloy `Address::from_str`: 40 hex digits, `0x` optional, no checksum check. */
export function parseAddress(s: string): Uint8Array {
  const body = s.startsWith('0x') || s.startsWith('0X') ? s.slice(2) : s;
  if (!/^[0-9a-fA-F]{40}$/.test(body)) throw det(`Failed to convert string to Address: '${s}'`);
  return new Uint8Array(Buffer.from(body, 'hex'));
}

export const conversionImports: HostNamespace = {
  // Lossy UTF-8, then only trailing NULs are trimmed (fixed-size buffers padded with zeros).
  'typeConversion.bytesToString': (env) => (ptr: number) =>
    writeString(env.heap, utf8Lossy.decode(readBytes(env.heap, ptr >>> 0)).replace(/\0+$/, '')),
  'typeConversion.bytesToHex': (env) => (ptr: number) => {
    // Straight from memory, without copying the bytes out first (ids are built from hex on every event).
    const h = env.heap;
    const view = bytesView(h, ptr >>> 0);
    return writeString(h, '0x' + Buffer.from(view.buffer, view.byteOffset, view.length).toString('hex'));
  },
  'typeConversion.bigIntToString': (env) => (ptr: number) =>
    writeString(env.heap, readBigInt(env.heap, ptr >>> 0).toString()),
  // Magnitude only: graph-node prints `to_bytes_be().1`, dropping the sign.
  'typeConversion.bigIntToHex': (env) => (ptr: number) => {
    const n = readBigInt(env.heap, ptr >>> 0);
    return writeString(env.heap, n === 0n ? '0x0' : '0x' + (n < 0n ? -n : n).toString(16));
  },
  'typeConversion.stringToH160': (env) => (ptr: number) =>
    writeBytes(env.heap, parseAddress(readString(env.heap, ptr >>> 0))),
  'typeConversion.bytesToBase58': (env) => (ptr: number) =>
    writeString(env.heap, base58(readBytes(env.heap, ptr >>> 0))),
};
