// A deterministic digest of the entities visible at a block, in the spirit of
// graph-node's proof of indexing: two indexers that ran the same subgraph over
// the same chain must produce the same digest, and any difference in any
// entity's data must change it.
//
// SHA-256 over, for every entity type in name order and every entity in id
// order (the id column's SQLite order), the canonical encoding
//   str(type) u32(field count) { str(name) value }*     fields in name order, nulls left out
// where str = u32 byte length + UTF-8, integers are big-endian, and a value is
// a one-byte kind tag followed by:
//   String  str            Int, Int8, Timestamp  i64 (the tag tells them apart)
//   BigInt  str(decimal)   Bool     u8 0/1         Bytes  u32 length + bytes
//   BigDecimal  str(digits) + i64(exponent), normalized (no trailing zeros in digits; 0 = 0e0)
//   Array   u32 count + values                     Null   nothing (only inside lists)
// Everything is length-prefixed, so no two different entity sets share an encoding.
import { createHash, type Hash } from 'node:crypto';
import type { Entity, Value } from '../schema/values.js';

const TAGS: Record<Value['kind'], number> = {
  Null: 0,
  String: 1,
  Int: 2,
  Int8: 3,
  Timestamp: 4,
  BigInt: 5,
  BigDecimal: 6,
  Bool: 7,
  Bytes: 8,
  Array: 9,
};

/** Hashed bytes are gathered here and handed to the hash in large chunks (the hash is the same). */
const CHUNK = 1 << 16;

class Encoder {
  private buf = Buffer.allocUnsafe(CHUNK);
  private len = 0;

  constructor(private readonly hash: Hash) {}

  /** Make room for `n` more bytes. */
  private room(n: number) {
    if (this.len + n <= this.buf.length) return;
    this.drain();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }

  /** Hash what is gathered so far. */
  drain() {
    if (this.len > 0) this.hash.update(this.buf.subarray(0, this.len));
    this.len = 0;
  }

  u8(n: number) {
    this.room(1);
    this.buf[this.len++] = n;
  }
  u32(n: number) {
    this.room(4);
    this.buf.writeUInt32BE(n, this.len);
    this.len += 4;
  }
  i64(n: bigint) {
    this.room(8);
    this.buf.writeBigInt64BE(n, this.len);
    this.len += 8;
  }
  /** i64 of a number that is a 32-bit integer (an Int), without a bigint. */
  i64OfInt32(n: number) {
    this.room(8);
    this.buf.writeInt32BE(n < 0 ? -1 : 0, this.len);
    this.buf.writeInt32BE(n, this.len + 4);
    this.len += 8;
  }
  bytes(b: Uint8Array) {
    this.room(4 + b.length);
    this.buf.writeUInt32BE(b.length, this.len);
    this.buf.set(b, this.len + 4);
    this.len += 4 + b.length;
  }
  str(s: string) {
    this.room(4 + 3 * s.length); // UTF-8 needs at most 3 bytes per UTF-16 unit
    const n = this.buf.write(s, this.len + 4, 'utf8');
    this.buf.writeUInt32BE(n, this.len);
    this.len += 4 + n;
  }

  value(v: Value) {
    this.u8(TAGS[v.kind]);
    switch (v.kind) {
      case 'Null':
        return;
      case 'String':
        return this.str(v.value);
      case 'Int':
        if (v.value === (v.value | 0)) return this.i64OfInt32(v.value);
        return this.i64(BigInt(v.value));
      case 'Int8':
      case 'Timestamp':
        return this.i64(v.value);
      case 'BigInt':
        return this.str(v.value.toString());
      case 'BigDecimal': {
        let { digits, exp } = v.value;
        if (digits === 0n) exp = 0;
        while (digits !== 0n && digits % 10n === 0n) {
          digits /= 10n;
          exp += 1;
        }
        this.str(digits.toString());
        return this.i64(BigInt(exp));
      }
      case 'Bool':
        return this.u8(v.value ? 1 : 0);
      case 'Bytes':
        return this.bytes(v.value);
      case 'Array':
        this.u32(v.value.length);
        for (const item of v.value) this.value(item);
        return;
    }
  }
}

export class StoreDigest {
  private readonly hash = createHash('sha256');
  private readonly enc = new Encoder(this.hash);

  add(type: string, e: Entity): void {
    const names = [...e.keys()].filter((n) => e.get(n)!.kind !== 'Null').sort();
    this.enc.str(type);
    this.enc.u32(names.length);
    for (const n of names) {
      this.enc.str(n);
      this.enc.value(e.get(n)!);
    }
  }

  /** 0x-prefixed lowercase hex, like graph-node's proof of indexing. */
  finish(): string {
    this.enc.drain();
    return '0x' + this.hash.digest('hex');
  }
}
