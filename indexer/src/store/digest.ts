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

class Encoder {
  private chunks: Buffer[] = [];

  u8(n: number) {
    this.chunks.push(Buffer.from([n]));
  }
  u32(n: number) {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    this.chunks.push(b);
  }
  i64(n: bigint) {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(n);
    this.chunks.push(b);
  }
  bytes(b: Uint8Array) {
    this.u32(b.length);
    this.chunks.push(Buffer.from(b));
  }
  str(s: string) {
    this.bytes(Buffer.from(s, 'utf8'));
  }

  value(v: Value) {
    this.u8(TAGS[v.kind]);
    switch (v.kind) {
      case 'Null':
        return;
      case 'String':
        return this.str(v.value);
      case 'Int':
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

  flushInto(h: Hash) {
    for (const c of this.chunks) h.update(c);
    this.chunks = [];
  }
}

export class StoreDigest {
  private readonly hash = createHash('sha256');
  private readonly enc = new Encoder();

  add(type: string, e: Entity): void {
    const names = [...e.keys()].filter((n) => e.get(n)!.kind !== 'Null').sort();
    this.enc.str(type);
    this.enc.u32(names.length);
    for (const n of names) {
      this.enc.str(n);
      this.enc.value(e.get(n)!);
    }
    this.enc.flushInto(this.hash);
  }

  /** 0x-prefixed lowercase hex, like graph-node's proof of indexing. */
  finish(): string {
    return '0x' + this.hash.digest('hex');
  }
}
