// The instance's linear memory as the host sees it: allocation through the
// module's own runtime and raw little-endian access.
//
// Allocation uses the exported `__new(size, classId)` (AssemblyScript stub
// runtime, exported by graph-cli's `--exportRuntime`): it writes a complete,
// 16-byte-aligned header, so AssemblyScript can later grow host-written arrays
// (`__realloc` asserts the alignment). Memory may grow on any call into WASM,
// which detaches the old ArrayBuffer; every accessor therefore re-reads
// `memory.buffer` when it changed instead of trusting cached views.
import { NonDeterministicError } from '../errors.js';
import { TypeId } from './type-ids.js';
import { WrittenObjects } from './written.js';

export interface AscExports {
  memory: WebAssembly.Memory;
  __new(size: number, classId: number): number;
  id_of_type(typeId: number): number;
  _start?: () => void;
  [name: string]: unknown;
}

/**
 * Strings decoded at an address (codec.readString checks they are still there
 * before reusing one). Addresses in the first 128 KiB (static data and the start
 * of the heap, where nearly every trigger's strings are) index an array, which is
 * several times cheaper than a Map lookup on this path (~15 per store.set). That
 * array is bounded by its size, so a new string there just replaces the old one;
 * only the map of farther addresses is cleared when it has `limit` entries.
 */
export class StringCache {
  private static readonly DIRECT = 1 << 16; // slots of 2 bytes: 128 KiB
  private readonly direct: (string | undefined)[] = new Array(StringCache.DIRECT).fill(undefined);
  private readonly far = new Map<number, string>();

  constructor(private readonly limit = 8192) {}

  get(ptr: number): string | undefined {
    const i = ptr >>> 1;
    return i < StringCache.DIRECT ? this.direct[i] : this.far.get(ptr);
  }

  set(ptr: number, s: string): void {
    const i = ptr >>> 1;
    if (i < StringCache.DIRECT) this.direct[i] = s;
    else {
      if (this.far.size >= this.limit) this.far.clear();
      this.far.set(ptr, s);
    }
  }
}

/** Bytes a stub-runtime block takes for an object of `size` payload bytes (header 20, rounded to 16). */
export const blockSize = (size: number): number => (size + 20 + 15) & ~15;

export class AscHeap {
  // Views of the memory (setViews).
  private u8View!: Uint8Array;
  private dv!: DataView;
  private u16!: Uint16Array;
  private u32a!: Uint32Array;
  /** The memory as a Buffer, for native range copies and compares (written.ts). */
  private bufView!: Buffer;
  /** Shared memories grow without detaching: their views must be re-read every time. */
  private readonly shared: boolean;
  /** Where `alloc` carves objects while `inRegion` runs. */
  private region: { next: number; end: number } | null = null;
  /** classIds by type id as an array: one lookup per allocated object. */
  private readonly classIdOf: (number | undefined)[] = new Array(8192).fill(undefined); // dense (written.ts)
  /** Objects the host wrote in the current trigger, for readers to reuse (written.ts). */
  readonly written = new WrittenObjects();
  /** Allocations made while a region was open that did not fit in it (see inRegion). */
  regionMisses = 0;

  /**
   * @param classIds cache of `id_of_type` answers, shared by every instance of one module.
   * @param strings decoded strings, shared by every instance of one module (same layout, same allocations).
   */
  constructor(
    readonly exports: AscExports,
    private readonly classIds: Map<number, number>,
    readonly strings: StringCache = new StringCache(),
  ) {
    const b = exports.memory.buffer;
    this.shared = !(b instanceof ArrayBuffer);
    this.setViews(b);
  }

  private setViews(b: ArrayBufferLike): void {
    this.u8View = new Uint8Array(b);
    this.dv = new DataView(b);
    this.u16 = new Uint16Array(b, 0, b.byteLength >>> 1);
    this.u32a = new Uint32Array(b, 0, b.byteLength >>> 2);
    this.bufView = Buffer.from(b);
  }

  // Growing a (non-shared) memory detaches its old ArrayBuffer, whose views then
  // have length 0: checking that is much cheaper than the \`memory.buffer\` getter.
  private sync(): void {
    if (this.u8View.length === 0 || this.shared) this.setViews(this.exports.memory.buffer);
  }

  /** Memory as 32-bit words (index = address / 4; little-endian, as u16View). */
  get u32View(): Uint32Array {
    this.sync();
    return this.u32a;
  }

  /** Memory as a Buffer (native range copies and compares). */
  get buf(): Buffer {
    this.sync();
    return this.bufView;
  }

  /** Memory as UTF-16 code units (index = address / 2; wasm is little-endian, as is every host Node runs on). */
  get u16View(): Uint16Array {
    this.sync();
    return this.u16;
  }

  get u8(): Uint8Array {
    this.sync();
    return this.u8View;
  }

  get view(): DataView {
    this.sync();
    return this.dv;
  }

  classId(typeId: number): number {
    const known = this.classIdOf[typeId];
    if (known !== undefined) return known;
    let id = this.classIds.get(typeId);
    if (id === undefined) {
      id = this.exports.id_of_type(typeId) >>> 0;
      this.classIds.set(typeId, id);
    }
    if (typeId >= 0 && typeId < 8192) this.classIdOf[typeId] = id; // graph-node type ids are < 6000
    return id;
  }

  /** A new managed object of `size` payload bytes whose class is graph-node's `typeId`. */
  alloc(size: number, typeId: number): number {
    const cls = this.classId(typeId);
    const r = this.region;
    if (r !== null) {
      const start = r.next;
      const end = start + blockSize(size);
      if (end <= r.end) {
        // The header `__new` writes: mmInfo, gcInfo, gcInfo2, rtId, rtSize; payload at +20.
        const dv = this.view;
        dv.setUint32(start, end - start - 4, true);
        dv.setUint32(start + 4, 0, true);
        dv.setUint32(start + 8, 0, true);
        dv.setUint32(start + 12, cls, true);
        dv.setUint32(start + 16, size, true);
        r.next = end;
        return start + 20;
      }
    }
    if (r !== null) this.regionMisses++;
    const ptr = this.exports.__new(size, cls) >>> 0;
    if (ptr === 0 || (ptr & 15) !== 0)
      throw new NonDeterministicError(`__new returned a misaligned pointer ${ptr}`);
    return ptr;
  }

  /**
   * Runs `write` with allocations carved out of one `__new` of about `bytes`
   * (blockSize of each object to come; an underestimate only means the rest
   * goes through `__new` again). A call into WASM per object is most of the cost
   * of writing an entity of ~100 small objects. Each carved object has the
   * header the stub runtime's `__new` gives it, in consecutive blocks (≡ 12 mod
   * 16, so payloads are 16-byte aligned), inside a byte buffer nothing refers
   * to: the stub runtime never walks the heap, `__free` only reclaims a last
   * block and `__realloc` (arrays grown by the handler) copies out of any block
   * that is not the last, exactly as for objects made one by one.
   */
  inRegion<T>(bytes: number, write: () => T): T {
    if (this.region !== null || bytes <= 0) return write();
    const outer = this.alloc(12 + bytes, TypeId.ArrayBuffer);
    this.region = { next: outer + 12, end: outer + 12 + bytes };
    try {
      return write();
    } finally {
      this.region = null;
    }
  }

  /** Where the open region's next object will start (its block header), or -1 with no region open. */
  get regionNext(): number {
    return this.region === null ? -1 : this.region.next;
  }

  /** For writers that lay objects out themselves in the open region (codec.ts layOutEntity). */
  set regionNext(next: number) {
    this.region!.next = next;
  }

  /** Where the open region ends, or -1 with no region open. */
  get regionEnd(): number {
    return this.region === null ? -1 : this.region.end;
  }

  u32(ptr: number): number {
    return this.view.getUint32(ptr, true);
  }
  i32(ptr: number): number {
    return this.view.getInt32(ptr, true);
  }
  u64(ptr: number): bigint {
    return this.view.getBigUint64(ptr, true);
  }
  i64(ptr: number): bigint {
    return this.view.getBigInt64(ptr, true);
  }
  setU32(ptr: number, v: number): void {
    this.view.setUint32(ptr, v >>> 0, true);
  }
  setI32(ptr: number, v: number): void {
    this.view.setInt32(ptr, v | 0, true);
  }
  setU64(ptr: number, v: bigint): void {
    this.view.setBigUint64(ptr, BigInt.asUintN(64, v), true);
  }
  setU8(ptr: number, v: number): void {
    this.u8[ptr] = v;
  }
  /** Copy of `len` bytes at `ptr`. */
  bytes(ptr: number, len: number): Uint8Array {
    return this.u8.slice(ptr, ptr + len);
  }
  write(ptr: number, data: Uint8Array): void {
    this.u8.set(data, ptr);
  }
  /** The payload size recorded in an object's header (`rtSize`). */
  rtSize(ptr: number): number {
    return this.u32(ptr - 4);
  }
}
