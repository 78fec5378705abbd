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

export interface AscExports {
  memory: WebAssembly.Memory;
  __new(size: number, classId: number): number;
  id_of_type(typeId: number): number;
  _start?: () => void;
  [name: string]: unknown;
}

export class AscHeap {
  private u8View: Uint8Array;
  private dv: DataView;
  /** Shared memories grow without detaching: their views must be re-read every time. */
  private readonly shared: boolean;

  /** @param classIds cache of `id_of_type` answers, shared by every instance of one module. */
  constructor(
    readonly exports: AscExports,
    private readonly classIds: Map<number, number>,
  ) {
    const b = exports.memory.buffer;
    this.shared = !(b instanceof ArrayBuffer);
    this.u8View = new Uint8Array(b);
    this.dv = new DataView(b);
  }

  // Growing a (non-shared) memory detaches its old ArrayBuffer, whose views then
  // have length 0: checking that is much cheaper than the \`memory.buffer\` getter.
  private sync(): void {
    if (this.u8View.length === 0 || this.shared) {
      const b = this.exports.memory.buffer;
      this.u8View = new Uint8Array(b);
      this.dv = new DataView(b);
    }
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
    let id = this.classIds.get(typeId);
    if (id === undefined) {
      id = this.exports.id_of_type(typeId) >>> 0;
      this.classIds.set(typeId, id);
    }
    return id;
  }

  /** A new managed object of `size` payload bytes whose class is graph-node's `typeId`. */
  alloc(size: number, typeId: number): number {
    const cls = this.classId(typeId);
    const ptr = this.exports.__new(size, cls) >>> 0;
    if (ptr === 0 || (ptr & 15) !== 0)
      throw new NonDeterministicError(`__new returned a misaligned pointer ${ptr}`);
    return ptr;
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
