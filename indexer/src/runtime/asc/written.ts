// What the host itself wrote into the heap during the current trigger, by address.
//
// Most values a handler saves were written by the host in the same trigger: the
// fields of an entity it loaded and saves back with a few changes, the event's
// block number, timestamp, transaction hash and addresses it copies into new
// entities. Decoding those again builds a new JS object per field (bigint,
// Uint8Array copy, Value) that the store then keeps: most of the garbage
// collector's work. So the writers note the JS value behind each object they
// write, and the readers (codec.ts) hand back that same value when the memory at
// the address still encodes exactly it. The check compares the memory with the
// value, so a reused value is always the one decoding would give; a handler that
// changed the object in place, or memory reused after `__free`, just fails the
// check and is decoded as usual.
//
// Entities get more: a loaded entity comes back in store.set with most fields as
// the host wrote them, so its TypedMap is noted with an EntityNote, and one
// compare of its bytes tells a reader which fields it may take from the loaded
// entity without decoding them (codec.ts readWrittenEntity).
//
// Addresses are reused by the next trigger (the instance is restored to its
// post-`_start` memory, module.ts), so every entry belongs to one epoch and
// `nextTrigger()` forgets them all at once.

import type { Entity } from '../../schema/values.js';

/** One slot per 16 bytes: every object's payload is 16-byte aligned and at least 32 bytes from the next. */
const SHIFT = 4;

/**
 * An entity the host wrote (writeEntity): its TypedMap's address is noted with
 * this. `zone` is the memory span holding the entity's key strings, values and
 * their payloads (headers included); the writer keeps a copy of those bytes, so a
 * reader can tell with one native compare that none of them changed since. The
 * entries (outside the zone: handlers replace their values in place) are read
 * from memory as always; `ptrs` holds, at ptrOff, the key and value address the
 * host put in each of the `n` entries.
 */
export class EntityNote {
  constructor(
    readonly entity: Entity,
    readonly zoneStart: number,
    readonly zoneEnd: number,
    readonly shadowOff: number,
    readonly n: number,
    readonly ptrOff: number,
  ) {}
}

export class WrittenObjects {
  private epoch = 1;
  private marks = new Int32Array(4096);
  /** The JS value behind the object at the slot's address. */
  // Dense arrays as long as `marks` (filled, never written far past their end: V8 would
  // turn an array written first at index ~2000 into a slow dictionary).
  private items: unknown[] = new Array(4096).fill(undefined);
  /** For BigInt objects: the bigint whose bytes `items` holds. */
  private extras: unknown[] = new Array(4096).fill(undefined);
  /** Copies of the zones of this trigger's EntityNotes, one after the other. */
  private shadow = Buffer.allocUnsafe(1 << 16);
  private shadowTop = 0;
  /** Key and value addresses of this trigger's EntityNotes' entries. */
  ptrs = new Int32Array(1 << 12);
  private ptrTop = 0;

  nextTrigger(): void {
    if (++this.epoch === 0x7fffffff) {
      this.marks.fill(0);
      this.epoch = 1;
    }
    this.shadowTop = 0;
    this.ptrTop = 0;
  }

  /**
   * Notes the entity written at `mapPtr`: `memory[zoneStart, zoneEnd)` is copied
   * now, and its `n` entries' key and value addresses are `keys[k]`, `vals[k]`.
   */
  noteEntity(
    memory: Buffer,
    mapPtr: number,
    entity: Entity,
    zoneStart: number,
    zoneEnd: number,
    keys: number[],
    vals: number[],
    n: number,
  ): void {
    const len = zoneEnd - zoneStart;
    if (this.shadowTop + len > this.shadow.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.shadow.length * 2, this.shadowTop + len));
      this.shadow.copy(grown, 0, 0, this.shadowTop);
      this.shadow = grown;
    }
    if (this.ptrTop + 2 * n > this.ptrs.length) {
      const grown = new Int32Array(Math.max(this.ptrs.length * 2, this.ptrTop + 2 * n));
      grown.set(this.ptrs.subarray(0, this.ptrTop));
      this.ptrs = grown;
    }
    const shadowOff = this.shadowTop;
    memory.copy(this.shadow, shadowOff, zoneStart, zoneEnd);
    this.shadowTop += len;
    const ptrOff = this.ptrTop;
    for (let k = 0; k < n; k++) {
      this.ptrs[ptrOff + 2 * k] = keys[k]!;
      this.ptrs[ptrOff + 2 * k + 1] = vals[k]!;
    }
    this.ptrTop += 2 * n;
    this.note(mapPtr, new EntityNote(entity, zoneStart, zoneEnd, shadowOff, n, ptrOff));
  }

  /** Whether the memory of `note`'s zone still holds exactly what was written there. */
  zoneUnchanged(memory: Buffer, note: EntityNote): boolean {
    const { zoneStart, zoneEnd, shadowOff } = note;
    if (zoneEnd > memory.length) return false;
    return (
      memory.compare(this.shadow, shadowOff, shadowOff + (zoneEnd - zoneStart), zoneStart, zoneEnd) === 0
    );
  }

  note(ptr: number, item: unknown, extra: unknown = undefined): void {
    const i = ptr >>> SHIFT;
    if (i >= this.marks.length) {
      const size = Math.max(i + 1, this.marks.length * 2);
      const grown = new Int32Array(size);
      grown.set(this.marks);
      this.marks = grown;
      const pad = new Array(size - this.items.length).fill(undefined);
      this.items = this.items.concat(pad);
      this.extras = this.extras.concat(pad);
    }
    this.marks[i] = this.epoch;
    this.items[i] = item;
    this.extras[i] = extra;
  }

  /** The value noted at `ptr` in this trigger, or undefined. */
  item(ptr: number): unknown {
    const i = ptr >>> SHIFT;
    return (ptr & 15) === 0 && i < this.marks.length && this.marks[i] === this.epoch
      ? this.items[i]
      : undefined;
  }

  /** The extra noted with `item(ptr)` (call only after item(ptr) returned a value). */
  extra(ptr: number): unknown {
    return this.extras[ptr >>> SHIFT];
  }
}
