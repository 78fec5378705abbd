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
// Addresses are reused by the next trigger (the instance is restored to its
// post-`_start` memory, module.ts), so every entry belongs to one epoch and
// `nextTrigger()` forgets them all at once.

/** One slot per 16 bytes: every object's payload is 16-byte aligned and at least 32 bytes from the next. */
const SHIFT = 4;

export class WrittenObjects {
  private epoch = 1;
  private marks = new Int32Array(4096);
  /** The JS value behind the object at the slot's address. */
  private readonly items: unknown[] = [];
  /** For BigInt objects: the bigint whose bytes `items` holds. */
  private readonly extras: unknown[] = [];

  nextTrigger(): void {
    if (++this.epoch === 0x7fffffff) {
      this.marks.fill(0);
      this.epoch = 1;
    }
  }

  note(ptr: number, item: unknown, extra: unknown = undefined): void {
    const i = ptr >>> SHIFT;
    if (i >= this.marks.length) {
      const grown = new Int32Array(Math.max(i + 1, this.marks.length * 2));
      grown.set(this.marks);
      this.marks = grown;
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
