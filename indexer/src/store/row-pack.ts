// Encoded rows as they cross to the writer thread: packed into one buffer per
// batch of blocks, transferred, not cloned. A structured clone of rows costs
// the main thread ~3-4 µs an entity, most of it for the Buffers (each is cloned
// with the 8 KiB pool it lives in); packing ~1 µs (see writer-thread.ts).
// Values keep their exact JavaScript identity: strings go
// as UTF-16 (so even a lone surrogate round-trips), numbers as float64,
// bigints as int64 (decimal beyond it), bytes as bytes.
import type { SqlValue } from './layout.js';

const NULL = 0;
const NUMBER = 1;
const INT64 = 2;
const STRING = 3;
const BYTES = 4;
const BIG = 5;
const MIN64 = -(2n ** 63n);
const MAX64 = 2n ** 63n - 1n;

/** Scratch for numbers' bytes (little-endian on every platform Node runs on that matters here). */
const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);
const bytes8 = new Uint8Array(f64.buffer);

// Node's Buffer write methods validate their arguments on every call, which
// showed in profiles: the packer writes bytes itself.
export class RowPacker {
  private buf = new Uint8Array(1 << 16);
  private len = 0;

  get size(): number {
    return this.len;
  }

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const b = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }

  u32(n: number): void {
    this.room(4);
    const b = this.buf;
    let at = this.len;
    b[at++] = n & 0xff;
    b[at++] = (n >>> 8) & 0xff;
    b[at++] = (n >>> 16) & 0xff;
    b[at++] = n >>> 24;
    this.len = at;
  }

  private eight(tag: number): void {
    const b = this.buf;
    let at = this.len;
    b[at++] = tag;
    for (let i = 0; i < 8; i++) b[at++] = bytes8[i];
    this.len = at;
  }

  value(v: SqlValue): void {
    if (v === null) {
      this.room(1);
      this.buf[this.len++] = NULL;
    } else if (typeof v === 'number') {
      this.room(9);
      f64[0] = v;
      this.eight(NUMBER);
    } else if (typeof v === 'bigint') {
      if (v < MIN64 || v > MAX64) {
        this.room(1);
        this.buf[this.len++] = BIG;
        return this.value(v.toString());
      }
      this.room(9);
      i64[0] = v;
      this.eight(INT64);
    } else if (typeof v === 'string') {
      const n = v.length;
      this.room(5);
      this.buf[this.len++] = STRING;
      this.u32(n);
      this.room(2 * n);
      const buf = this.buf;
      let at = this.len;
      if (n <= 64) {
        // Short strings (ids, numbers, hashes): a loop beats Buffer.write's call overhead.
        for (let i = 0; i < n; i++) {
          const c = v.charCodeAt(i);
          buf[at++] = c & 0xff;
          buf[at++] = c >>> 8;
        }
      } else at += Buffer.from(buf.buffer, buf.byteOffset, buf.length).write(v, at, 'utf16le');
      this.len = at;
    } else {
      const bytes = v as Uint8Array;
      this.room(5);
      this.buf[this.len++] = BYTES;
      this.u32(bytes.length);
      this.room(bytes.length);
      this.buf.set(bytes, this.len);
      this.len += bytes.length;
    }
  }

  /** The packed bytes: the first `length` of an ArrayBuffer of their own, to transfer. The packer starts afresh. */
  take(): { data: ArrayBuffer; length: number } {
    const out = { data: this.buf.buffer as ArrayBuffer, length: this.len };
    this.buf = new Uint8Array(this.buf.length);
    this.len = 0;
    return out;
  }
}

export class RowUnpacker {
  private readonly buf: Buffer;
  private pos = 0;

  constructor(data: ArrayBuffer, length: number) {
    this.buf = Buffer.from(data, 0, length);
  }

  u32(): number {
    const n = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return n;
  }

  value(): SqlValue {
    const b = this.buf;
    const tag = b[this.pos++];
    switch (tag) {
      case NULL:
        return null;
      case NUMBER: {
        const v = b.readDoubleLE(this.pos);
        this.pos += 8;
        return v;
      }
      case INT64: {
        const v = b.readBigInt64LE(this.pos);
        this.pos += 8;
        return v;
      }
      case STRING: {
        const n = b.readUInt32LE(this.pos);
        const start = this.pos + 4;
        this.pos = start + 2 * n;
        return b.toString('utf16le', start, this.pos);
      }
      case BYTES: {
        const n = b.readUInt32LE(this.pos);
        const start = this.pos + 4;
        this.pos = start + n;
        return Buffer.from(b.subarray(start, this.pos)); // a copy: rows outlive the batch
      }
      case BIG:
        return BigInt(this.value() as string);
      default:
        throw new Error(`row-pack: bad tag ${tag} at ${this.pos - 1}`);
    }
  }
}
