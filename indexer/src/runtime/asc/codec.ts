// Readers and writers for the AssemblyScript objects graph-ts exchanges with the
// host (graph-host-abi.md §3.4–3.5; layouts from graph-node's asc_abi/class.rs).
// Every writer allocates children before the parent and writes fields last, and
// every read goes through AscHeap, which follows memory growth.
import { blockSize, type AscHeap } from './heap.js';
import { TypeId } from './type-ids.js';
import { EntityNote } from './written.js';
import { det } from '../errors.js';
import type { Entity, Value } from '../../schema/values.js';
import { bigintToSignedLE, checkBigIntSize, signedLEToBigint } from '../numbers/bigint.js';
import { checkExp, normalize, type BigDecimal } from '../numbers/bigdecimal.js';

// ---------------------------------------------------------------- strings

/** Strings of at most this many UTF-16 units are decoded in JS and remembered by pointer. */
const SHORT_STRING = 64;

/** graph-node reads with `String::from_utf16` (lone surrogate = error) and then drops every U+0000. */
export function readString(h: AscHeap, ptr: number): string {
  if (ptr === 0)
    throw det(
      "Tried to read AssemblyScript value that is 'null'. Suggestion: look into the function that the error happened and add 'log' calls till you find where a 'null' value is being used as non-nullable.",
    );
  const len = h.rtSize(ptr);
  if (len % 2 !== 0) throw det(`string at ${ptr} has an odd byte length ${len}`);
  const u8 = h.u8;
  if (ptr + len > u8.length) throw det(`Heap access out of bounds: string at ${ptr} of ${len} bytes`);
  if (len <= 2 * SHORT_STRING && (ptr & 1) === 0) return readShortString(h, ptr, len >>> 1);
  // Node's native UTF-16 slice, then the lone-surrogate check graph-node's from_utf16 makes.
  const s = Buffer.from(u8.buffer, u8.byteOffset + ptr, len).toString('utf16le');
  if (!(s as unknown as { isWellFormed(): boolean }).isWellFormed())
    throw det('Failed to parse AssemblyScript string: invalid utf-16 sequence');
  return s.includes('\0') ? s.replace(/\0/g, '') : s;
}

/**
 * Field names, entity types and ids are short and, the allocator being
 * deterministic, mostly sit at the same address in every trigger: the string
 * last decoded at `ptr` is reused while its code units are still there.
 */
function readShortString(h: AscHeap, ptr: number, n: number): string {
  const m16 = h.u16View;
  const at = ptr >>> 1;
  const cache = h.strings;
  const hit = cache.get(ptr);
  if (hit !== undefined && hit.length === n) {
    let i = 0;
    while (i < n && m16[at + i] === hit.charCodeAt(i)) i++;
    if (i === n) return hit;
  }
  // Plain text (no NUL, no surrogate) is the rule: checked first, then made in one
  // call, which leaves one flat string instead of a chain of one-character joins.
  let plain = true;
  for (let i = 0; i < n; i++) {
    const c = m16[at + i]!;
    if (c === 0 || (c >= 0xd800 && c <= 0xdfff)) {
      plain = false;
      break;
    }
  }
  if (plain) {
    const text = String.fromCharCode.apply(null, m16.subarray(at, at + n) as unknown as number[]);
    cache.set(ptr, text);
    return text;
  }
  let text = '';
  let nul = false;
  for (let i = 0; i < n; i++) {
    const c = m16[at + i]!;
    if (c === 0) {
      nul = true; // graph-node drops U+0000
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      // A high surrogate must be followed by a low one; a low one alone is an error.
      const next = i + 1 < n ? m16[at + i + 1]! : 0;
      if (c >= 0xdc00 || next < 0xdc00 || next > 0xdfff)
        throw det('Failed to parse AssemblyScript string: invalid utf-16 sequence');
      text += String.fromCharCode(c, next);
      i++;
      continue;
    }
    text += String.fromCharCode(c);
  }
  if (!nul) cache.set(ptr, text);
  return text;
}

export function readNullableString(h: AscHeap, ptr: number): string | null {
  return ptr === 0 ? null : readString(h, ptr);
}

export function writeString(h: AscHeap, s: string): number {
  const ptr = h.alloc(s.length * 2, TypeId.String);
  const m16 = h.u16View; // ptr is 16-byte aligned
  for (let i = 0, at = ptr >>> 1; i < s.length; i++) m16[at + i] = s.charCodeAt(i);
  return ptr;
}

// ---------------------------------------------------------------- buffers
export function readArrayBuffer(h: AscHeap, ptr: number): Uint8Array {
  return h.bytes(ptr, h.rtSize(ptr));
}

export function writeArrayBuffer(h: AscHeap, data: Uint8Array): number {
  const ptr = h.alloc(data.length, TypeId.ArrayBuffer);
  h.write(ptr, data);
  return ptr;
}

/** Uint8Array (also Bytes, Address, BigInt): buffer*, dataStart, byteLength. */
export function readBytes(h: AscHeap, ptr: number): Uint8Array {
  return bytesView(h, ptr).slice();
}

/**
 * readBytes for values the caller keeps and never changes (entity fields): the
 * array the host wrote at `ptr` in this trigger if the memory still holds exactly
 * its bytes (written.ts), else a copy.
 */
function readKeptBytes(h: AscHeap, ptr: number): Uint8Array {
  const w = h.written.item(ptr);
  if (w instanceof Uint8Array && h.written.extra(ptr) === null && holds(h, ptr, w)) return w;
  return readBytes(h, ptr);
}

/** Whether the Uint8Array-shaped object at `ptr` has exactly the bytes `data`. */
function holds(h: AscHeap, ptr: number, data: Uint8Array): boolean {
  const dv = h.view;
  const start = dv.getUint32(ptr + 4, true);
  const len = dv.getUint32(ptr + 8, true);
  if (len !== data.length) return false;
  const u8 = h.u8;
  if (start + len > u8.length) return false;
  for (let k = 0; k < len; k++) if (u8[start + k] !== data[k]) return false;
  return true;
}

/** readBytes without the copy: a view of memory, valid until the next call into WASM. */
export function bytesView(h: AscHeap, ptr: number): Uint8Array {
  if (ptr === 0) throw det("Tried to read AssemblyScript value that is 'null'.");
  const dataStart = h.u32(ptr + 4);
  const byteLength = h.u32(ptr + 8);
  const u8 = h.u8;
  if (dataStart + byteLength > u8.length)
    throw det(`Heap access out of bounds: ${byteLength} bytes at ${dataStart}`);
  return u8.subarray(dataStart, dataStart + byteLength);
}

/** `data` must not change afterwards: a reader may hand it back as the value read at the result (written.ts). */
export function writeBytes(h: AscHeap, data: Uint8Array, typeId: number = TypeId.Uint8Array): number {
  return writeNotedBytes(h, data, null, typeId);
}

/** The Uint8Array-shaped object for `data`, noted with what it stands for (`bigint`: a BigInt; null: Bytes). */
function writeNotedBytes(h: AscHeap, data: Uint8Array, bigint: bigint | null, typeId: number): number {
  const buf = writeArrayBuffer(h, data);
  const ptr = h.alloc(12, typeId);
  h.setU32(ptr, buf);
  h.setU32(ptr + 4, buf);
  h.setU32(ptr + 8, data.length);
  h.written.note(ptr, data, bigint);
  return ptr;
}

export const writeNullableBytes = (h: AscHeap, data: Uint8Array | null): number =>
  data === null ? 0 : writeBytes(h, data);

// ---------------------------------------------------------------- arrays
/** Array<T> of 4-byte elements (pointers or u32). Reads `length_`, not byteLength. */
export function readArray(h: AscHeap, ptr: number): number[] {
  if (ptr === 0) throw det("Tried to read AssemblyScript array that is 'null'.");
  const dataStart = h.u32(ptr + 4);
  const length = h.i32(ptr + 12);
  const out: number[] = new Array(length);
  for (let i = 0; i < length; i++) out[i] = h.u32(dataStart + 4 * i);
  return out;
}

export function writeArray(h: AscHeap, items: number[], typeId: number): number {
  return writeArrayOf(h, items, items.length, typeId);
}

/** writeArray of the first `n` of `items`. */
function writeArrayOf(h: AscHeap, items: number[], n: number, typeId: number): number {
  const buf = h.alloc(n * 4, TypeId.ArrayBuffer);
  for (let i = 0; i < n; i++) h.setU32(buf + 4 * i, items[i]!);
  const ptr = h.alloc(16, typeId);
  h.setU32(ptr, buf);
  h.setU32(ptr + 4, buf);
  h.setU32(ptr + 8, n * 4);
  h.setI32(ptr + 12, n);
  return ptr;
}

export const readStringArray = (h: AscHeap, ptr: number): string[] =>
  readArray(h, ptr).map((p) => readString(h, p));

// ---------------------------------------------------------------- numbers
export function readBigInt(h: AscHeap, ptr: number): bigint {
  const w = h.written.item(ptr);
  if (w instanceof Uint8Array) {
    const n = h.written.extra(ptr);
    if (typeof n === 'bigint' && holds(h, ptr, w)) return n; // its bytes are n's encoding: n is in range
  }
  return checkBigIntSize(signedLEToBigint(bytesView(h, ptr)));
}

export function writeBigInt(h: AscHeap, n: bigint): number {
  return writeNotedBytes(h, bigintToSignedLE(checkBigIntSize(n)), n, TypeId.Uint8Array);
}

export const writeNullableBigInt = (h: AscHeap, n: bigint | null): number =>
  n === null ? 0 : writeBigInt(h, n);

/** BigDecimal { digits: BigInt*, exp: BigInt* }; normalised on read like graph-node's `BigDecimal::new`. */
export function readBigDecimal(h: AscHeap, ptr: number): BigDecimal {
  if (ptr === 0) throw det("Tried to read AssemblyScript value that is 'null'.");
  const digits = readBigInt(h, h.u32(ptr));
  const exp = readBigInt(h, h.u32(ptr + 4));
  if (exp < -6143n || exp > 6144n) checkExp({ digits, exp: Number(exp) });
  return normalize({ digits, exp: Number(exp) });
}

export function writeBigDecimal(h: AscHeap, v: BigDecimal): number {
  const digits = writeBigInt(h, v.digits);
  const exp = writeBigInt(h, BigInt(v.exp));
  const ptr = h.alloc(8, TypeId.BigDecimal);
  h.setU32(ptr, digits);
  h.setU32(ptr + 4, exp);
  return ptr;
}

// ---------------------------------------------------------------- wrapped / result
export function writeWrappedBool(h: AscHeap, b: boolean): number {
  const ptr = h.alloc(1, TypeId.WrappedBool);
  h.setU8(ptr, b ? 1 : 0);
  return ptr;
}

export function writeWrapped(h: AscHeap, inner: number, typeId: number): number {
  const ptr = h.alloc(4, typeId);
  h.setU32(ptr, inner);
  return ptr;
}

/** Result<V, bool>: one of value (Wrapped<V>*) or error (Wrapped<bool>*) is set. */
export function writeResult(
  h: AscHeap,
  value: number | null,
  resultTypeId: number,
  wrappedTypeId: number,
): number {
  const wrappedValue = value === null ? 0 : writeWrapped(h, value, wrappedTypeId);
  const wrappedError = value === null ? writeWrappedBool(h, true) : 0;
  const ptr = h.alloc(8, resultTypeId);
  h.setU32(ptr, wrappedValue);
  h.setU32(ptr + 4, wrappedError);
  return ptr;
}

// ---------------------------------------------------------------- tagged unions
/** Every Value-like enum class: kind i32 · pad · payload u64 (16 bytes). */
export function readEnum(h: AscHeap, ptr: number): { kind: number; payload: bigint } {
  if (ptr === 0) throw det("Tried to read AssemblyScript value that is 'null'.");
  return { kind: h.i32(ptr), payload: h.u64(ptr + 8) };
}

export function writeEnum(h: AscHeap, kind: number, payload: bigint, typeId: number): number {
  const ptr = h.alloc(16, typeId);
  h.setI32(ptr, kind);
  h.setU32(ptr + 4, 0);
  h.setU64(ptr + 8, payload);
  return ptr;
}

/** writeEnum with a payload that fits 32 bits (a pointer, a bool; an i32 sign-extended), without a bigint. */
function writeEnum32(h: AscHeap, kind: number, payload: number, typeId: number): number {
  const ptr = h.alloc(16, typeId);
  h.setI32(ptr, kind);
  h.setU32(ptr + 4, 0);
  h.setU32(ptr + 8, payload);
  h.setI32(ptr + 12, payload < 0 ? -1 : 0); // only Int payloads are negative
  return ptr;
}

// ---------------------------------------------------------------- store values
export const StoreValueKind = {
  STRING: 0,
  INT: 1,
  BIGDECIMAL: 2,
  BOOL: 3,
  ARRAY: 4,
  NULL: 5,
  BYTES: 6,
  BIGINT: 7,
  INT8: 8,
  TIMESTAMP: 9,
} as const;

export function readStoreValue(h: AscHeap, ptr: number): Value {
  if (ptr === 0) throw det("Tried to read AssemblyScript value that is 'null'.");
  const w = h.written.item(ptr) as Value | undefined;
  if (w !== undefined && w.kind !== undefined && encodes(h, ptr, w)) return w;
  // kind i32 · pad · payload u64; the 64-bit payload is only built for the kinds that use it.
  // Reading calls nothing in WASM, so the memory (and this view of it) cannot change meanwhile.
  const dv = h.view;
  const kind = dv.getInt32(ptr, true);
  const p = dv.getUint32(ptr + 8, true);
  switch (kind) {
    case StoreValueKind.STRING:
      return { kind: 'String', value: readString(h, p) };
    case StoreValueKind.INT:
      return { kind: 'Int', value: p | 0 };
    case StoreValueKind.BIGDECIMAL:
      return { kind: 'BigDecimal', value: readBigDecimal(h, p) };
    case StoreValueKind.BOOL:
      return { kind: 'Bool', value: p !== 0 || dv.getUint32(ptr + 12, true) !== 0 };
    case StoreValueKind.ARRAY:
      return { kind: 'Array', value: readArray(h, p).map((q) => readStoreValue(h, q)) };
    case StoreValueKind.NULL:
      return { kind: 'Null' };
    case StoreValueKind.BYTES:
      return { kind: 'Bytes', value: readKeptBytes(h, p) };
    case StoreValueKind.BIGINT:
      return { kind: 'BigInt', value: readBigInt(h, p) };
    case StoreValueKind.INT8:
      return { kind: 'Int8', value: h.i64(ptr + 8) };
    case StoreValueKind.TIMESTAMP:
      return { kind: 'Timestamp', value: h.i64(ptr + 8) };
    default:
      throw det(`Unknown store value kind ${kind}`);
  }
}

const KIND_CODE: Record<Value['kind'], number> = {
  String: StoreValueKind.STRING,
  Int: StoreValueKind.INT,
  BigDecimal: StoreValueKind.BIGDECIMAL,
  Bool: StoreValueKind.BOOL,
  Array: StoreValueKind.ARRAY,
  Null: StoreValueKind.NULL,
  Bytes: StoreValueKind.BYTES,
  BigInt: StoreValueKind.BIGINT,
  Int8: StoreValueKind.INT8,
  Timestamp: StoreValueKind.TIMESTAMP,
};

/** Whether readStoreValue(ptr) would decode a value equal to `v` (a Value the host wrote at ptr). */
function encodes(h: AscHeap, ptr: number, v: Value): boolean {
  const dv = h.view;
  if (dv.getInt32(ptr, true) !== KIND_CODE[v.kind]) return false;
  const p = dv.getUint32(ptr + 8, true);
  switch (v.kind) {
    case 'Int':
      return (p | 0) === v.value;
    case 'Bool':
      return (p !== 0 || dv.getUint32(ptr + 12, true) !== 0) === v.value;
    case 'String':
      return p !== 0 && readString(h, p) === v.value;
    case 'BigInt':
      return p !== 0 && readBigInt(h, p) === v.value;
    case 'Bytes':
      return p !== 0 && holds(h, p, v.value);
    case 'Int8':
    case 'Timestamp':
      return dv.getBigInt64(ptr + 8, true) === v.value;
    case 'Null':
      return true;
    default:
      return false; // BigDecimal, Array: decoded again
  }
}

/** `v` must not change afterwards: a reader may hand it back as the value read at the result (written.ts). */
export function writeStoreValue(h: AscHeap, v: Value): number {
  const ptr = writeStoreValueObject(h, v);
  h.written.note(ptr, v);
  return ptr;
}

function writeStoreValueObject(h: AscHeap, v: Value): number {
  const K = StoreValueKind;
  const T = TypeId.StoreValue;
  switch (v.kind) {
    case 'String':
      return writeEnum32(h, K.STRING, writeString(h, v.value), T);
    case 'Int':
      return writeEnum32(h, K.INT, v.value, T); // sign-extended, as graph-node writes it
    case 'BigDecimal':
      return writeEnum32(h, K.BIGDECIMAL, writeBigDecimal(h, v.value), T);
    case 'Bool':
      return writeEnum32(h, K.BOOL, v.value ? 1 : 0, T);
    case 'Array': {
      const items = v.value.map((x) => writeStoreValue(h, x));
      return writeEnum32(h, K.ARRAY, writeArray(h, items, TypeId.ArrayStoreValue), T);
    }
    case 'Null':
      return writeEnum32(h, K.NULL, 0, T);
    case 'Bytes':
      return writeEnum32(h, K.BYTES, writeBytes(h, v.value), T);
    case 'BigInt':
      return writeEnum32(h, K.BIGINT, writeBigInt(h, v.value), T);
    case 'Int8':
      return writeEnum(h, K.INT8, v.value, T);
    case 'Timestamp':
      return writeEnum(h, K.TIMESTAMP, v.value, T);
  }
}

// ---------------------------------------------------------------- typed maps / entities
/** TypedMap { entries: Array<TypedMapEntry{key*, value*}> } as [keyPtr, valuePtr] pairs. */
export function readTypedMapEntries(h: AscHeap, ptr: number): [number, number][] {
  if (ptr === 0) throw det("Tried to read AssemblyScript value that is 'null'.");
  return readArray(h, h.u32(ptr)).map((e) => [h.u32(e), h.u32(e + 4)] as [number, number]);
}

/** Later keys overwrite earlier ones, as graph-node collects entries into a HashMap. */
export function readEntity(h: AscHeap, ptr: number): Entity {
  if (ptr === 0) throw det("Tried to read AssemblyScript value that is 'null'.");
  const arr = h.u32(ptr);
  if (arr === 0) throw det("Tried to read AssemblyScript array that is 'null'.");
  const dv = h.view; // valid throughout: reading calls nothing in WASM
  const dataStart = dv.getUint32(arr + 4, true);
  const length = dv.getInt32(arr + 12, true);
  const note = h.written.item(ptr);
  if (note instanceof EntityNote) {
    const out = readWrittenEntity(h, note, dataStart, length);
    if (out !== null) return out;
  }
  const out: Entity = new Map();
  for (let i = 0; i < length; i++) {
    const e = dv.getUint32(dataStart + 4 * i, true);
    out.set(readString(h, dv.getUint32(e, true)), readStoreValue(h, dv.getUint32(e + 4, true)));
  }
  return out;
}

/**
 * readEntity of an entity the host wrote in this trigger (a loaded entity being
 * saved): when its zone is byte for byte as written and its first `n` entries
 * still have the keys the host put there, every entry whose value is still the
 * host's decodes to the loaded entity's value, so the result is a copy of that
 * entity with the other entries read as usual. Null when that does not hold
 * (then readEntity decodes everything).
 */
function readWrittenEntity(h: AscHeap, note: EntityNote, dataStart: number, length: number): Entity | null {
  const n = note.n;
  if (length < n || !h.written.zoneUnchanged(h.buf, note)) return null;
  const dv = h.view;
  const ptrs = h.written.ptrs;
  const at = note.ptrOff;
  if (dataStart + 4 * length > dv.byteLength) return null;
  for (let k = 0; k < n; k++) {
    const e = dv.getUint32(dataStart + 4 * k, true);
    if (e + 8 > dv.byteLength || dv.getUint32(e, true) !== ptrs[at + 2 * k]) return null;
  }
  // forEach + set: faster than the Map constructor's copy of a Map.
  const out: Entity = new Map();
  note.entity.forEach((v, k) => out.set(k, v));
  for (let k = 0; k < length; k++) {
    const e = dv.getUint32(dataStart + 4 * k, true);
    const v = dv.getUint32(e + 4, true);
    if (k < n && v === ptrs[at + 2 * k + 1]) continue;
    out.set(readString(h, dv.getUint32(e, true)), readStoreValue(h, v));
  }
  return out;
}

export function writeTypedMap(
  h: AscHeap,
  entries: [number, number][],
  entryTypeId: number,
  arrayTypeId: number,
  mapTypeId: number,
): number {
  const entryPtrs = entries.map(([k, v]) => {
    const e = h.alloc(8, entryTypeId);
    h.setU32(e, k);
    h.setU32(e + 4, v);
    return e;
  });
  const arr = writeArray(h, entryPtrs, arrayTypeId);
  const ptr = h.alloc(4, mapTypeId);
  h.setU32(ptr, arr);
  return ptr;
}

/**
 * Scratch arrays of writeEntity, reused by every call (it is never re-entered:
 * nothing it calls writes an entity): an entity per store.get, and fresh arrays
 * per call were the largest share of the runner's garbage.
 */
const scratch = {
  names: [] as string[],
  values: [] as Value[],
  /** BigInt fields: their encoding, looked up once for sizing and writing. */
  encodings: [] as (Uint8Array | undefined)[],
  /** Field indexes in name order. */
  order: [] as number[],
  /** Each field's rank (rankFields). */
  ranks: [] as number[],
  keys: [] as number[],
  vals: [] as number[],
  entries: [] as number[],
};

/**
 * Every field name writeEntity has seen, ranked in name order, so that it sorts
 * fields by comparing integers instead of strings (entities read from the store
 * come in column order: sorting their names took most of writeEntity's time).
 * A new name re-ranks them all; the set is small (the schema's field names and
 * data-source context keys).
 */
const rankOf = new Map<string, number>();
/** Beyond this many names (an unusual mapping's context keys) the ranking starts over. */
const MAX_RANKED = 4096;
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Sets `out[j]` to the rank of `names[j]` (j < n), ranking names not seen before all at once. */
function rankFields(names: string[], n: number, out: number[]): void {
  let j = 0;
  for (; j < n; j++) {
    const r = rankOf.get(names[j]!);
    if (r === undefined) break;
    out[j] = r;
  }
  if (j === n) return;
  const all = new Set<string>(rankOf.size + n > MAX_RANKED ? [] : rankOf.keys());
  for (let k = 0; k < n; k++) all.add(names[k]!);
  rankOf.clear();
  [...all].sort(byName).forEach((name, r) => rankOf.set(name, r));
  for (let k = 0; k < n; k++) out[k] = rankOf.get(names[k]!)!;
}

/**
 * Entities go back to WASM with their fields sorted by name, as graph-node writes them.
 * The hottest writer (every store.get): one pass to size the region, one to write,
 * each value's BigInt encoding looked up once. `generic` (for tests) writes through
 * the generic writers only, the layout layOutEntity must reproduce.
 */
export function writeEntity(h: AscHeap, e: Entity, generic = false): number {
  const n = e.size;
  const { names, values, encodings, order, ranks } = scratch;
  let i = 0;
  e.forEach((v, k) => {
    names[i] = k;
    values[i++] = v;
  });
  rankFields(names, n, ranks);
  // Insertion sort of the field indexes by rank (= by name): integer compares, and one
  // pass for the many entities already in name order.
  for (let j = 0; j < n; j++) {
    const r = ranks[j]!;
    let at = j;
    while (at > 0 && ranks[order[at - 1]!]! > r) {
      order[at] = order[at - 1]!;
      at--;
    }
    order[at] = j;
  }
  // entries array buffer + Array object + TypedMap + one 8-byte entry per field
  let bytes = blockSize(4 * n) + blockSize(16) + blockSize(4) + n * blockSize(8);
  for (let j = 0; j < n; j++) {
    const v = values[j]!;
    bytes += blockSize(2 * names[j]!.length);
    if (v.kind === 'BigInt') {
      const enc = bigintToSignedLE(checkBigIntSize(v.value));
      encodings[j] = enc;
      bytes += blockSize(16) + blockSize(enc.length) + blockSize(12);
    } else {
      encodings[j] = undefined;
      bytes += storeValueBytes(v);
    }
  }
  return h.inRegion(bytes, () =>
    !generic && h.regionNext >= 0 && h.regionNext + bytes <= h.regionEnd
      ? layOutEntity(h, e, n)
      : writeEntityFields(h, e, n),
  );
}

/**
 * Where layOutEntity lays objects out: module state rather than closures, which
 * would be made (and, under tsx, named with a defineProperty) on every call.
 */
const at: { next: number; u32: Uint32Array; u16: Uint16Array; u8: Uint8Array } = {
  next: 0,
  u32: new Uint32Array(0),
  u16: new Uint16Array(0),
  u8: new Uint8Array(0),
};

/** Lay objects out from the open region's next block on, in `h`'s memory (valid until WASM runs again). */
function beginLayout(h: AscHeap): void {
  at.u32 = h.u32View;
  at.u16 = h.u16View;
  at.u8 = h.u8;
  at.next = h.regionNext;
}

/** `__new`'s header at `at.next` (mmInfo, gcInfo, gcInfo2, rtId, rtSize); returns the payload address. */
function carve(size: number, cls: number): number {
  const start = at.next;
  const block = (size + 35) & ~15; // blockSize(size)
  const u32 = at.u32;
  const i = start >>> 2;
  u32[i] = block - 4;
  u32[i + 1] = 0;
  u32[i + 2] = 0;
  u32[i + 3] = cls;
  u32[i + 4] = size;
  at.next = start + block;
  return start + 20;
}

function carveString(text: string, cls: number): number {
  const p = carve(2 * text.length, cls);
  const u16 = at.u16;
  for (let c = 0, i = p >>> 1; c < text.length; c++) u16[i + c] = text.charCodeAt(c);
  return p;
}

/** writeEnum32's object: kind, pad, payload sign-extended to 64 bits. */
function carveValue(kind: number, payload: number, cls: number): number {
  const p = carve(16, cls);
  const u32 = at.u32;
  const i = p >>> 2;
  u32[i] = kind;
  u32[i + 1] = 0;
  u32[i + 2] = payload;
  u32[i + 3] = payload < 0 ? 0xffffffff : 0;
  return p;
}

/** writeNotedBytes's objects: the buffer, then the Uint8Array over it (noted by the caller). */
function carveBytes(data: Uint8Array, bufferCls: number, bytesCls: number): number {
  const len = data.length;
  const buf = carve(len, bufferCls);
  const u8 = at.u8;
  if (len <= 64) for (let k = 0; k < len; k++) u8[buf + k] = data[k]!;
  else u8.set(data, buf); // a native call costs more than a short loop
  const p = carve(12, bytesCls);
  const u32 = at.u32;
  const i = p >>> 2;
  u32[i] = buf;
  u32[i + 1] = buf;
  u32[i + 2] = len;
  return p;
}

/**
 * writeEntity's writing pass when its region holds the whole entity (always, the
 * sizes being exact): the objects writeEntityFields would make through the
 * generic writers, in the same order with the same bytes and notes (a test
 * compares them), laid out here directly. The common value kinds are written
 * inline; the rest go through writeStoreValue in the same region.
 */
function layOutEntity(h: AscHeap, e: Entity, n: number): number {
  const { names, values, encodings, order, keys, vals, entries } = scratch;
  beginLayout(h);
  const w = h.written;
  const cString = h.classId(TypeId.String);
  const cValue = h.classId(TypeId.StoreValue);
  const cBuffer = h.classId(TypeId.ArrayBuffer);
  const cBytes = h.classId(TypeId.Uint8Array);
  const K = StoreValueKind;
  const zoneStart = at.next;
  for (let k = 0; k < n; k++) {
    const j = order[k]!;
    keys[k] = carveString(names[j]!, cString);
    const v = values[j]!;
    let p: number;
    switch (v.kind) {
      case 'Int':
        p = carveValue(K.INT, v.value, cValue);
        break;
      case 'Bool':
        p = carveValue(K.BOOL, v.value ? 1 : 0, cValue);
        break;
      case 'Null':
        p = carveValue(K.NULL, 0, cValue);
        break;
      case 'String':
        p = carveValue(K.STRING, carveString(v.value, cString), cValue);
        break;
      case 'BigInt': {
        const enc = encodings[j]!;
        const big = carveBytes(enc, cBuffer, cBytes);
        w.note(big, enc, v.value);
        p = carveValue(K.BIGINT, big, cValue);
        break;
      }
      case 'Bytes': {
        const bytes = carveBytes(v.value, cBuffer, cBytes);
        w.note(bytes, v.value, null);
        p = carveValue(K.BYTES, bytes, cValue);
        break;
      }
      default:
        h.regionNext = at.next;
        p = writeStoreValue(h, v); // noted there
        at.next = h.regionNext;
        vals[k] = p;
        continue;
    }
    w.note(p, v);
    vals[k] = p;
  }
  const zoneEnd = at.next;
  const u32 = at.u32;
  const cEntry = h.classId(TypeId.TypedMapEntryStringStoreValue);
  for (let k = 0; k < n; k++) {
    const p = carve(8, cEntry);
    u32[p >>> 2] = keys[k]!;
    u32[(p >>> 2) + 1] = vals[k]!;
    entries[k] = p;
  }
  const buf = carve(4 * n, cBuffer);
  for (let k = 0; k < n; k++) u32[(buf >>> 2) + k] = entries[k]!;
  const arr = carve(16, h.classId(TypeId.ArrayTypedMapEntryStringStoreValue));
  u32[arr >>> 2] = buf;
  u32[(arr >>> 2) + 1] = buf;
  u32[(arr >>> 2) + 2] = 4 * n;
  u32[(arr >>> 2) + 3] = n;
  const map = carve(4, h.classId(TypeId.TypedMapStringStoreValue));
  u32[map >>> 2] = arr;
  h.regionNext = at.next;
  w.noteEntity(h.buf, map, e, zoneStart, zoneEnd, keys, vals, n);
  return map;
}

/**
 * The Uint8Array-shaped objects writeBytes would make for each non-null of
 * `fields[0..count)`, noted with `extras[i]` (the bigint a BigInt field encodes,
 * so that reading it back needs no decoding; null for Bytes), then an object of
 * `count` pointer fields (0 for null) of type `typeId`: a block's or a
 * transaction's ~30 objects in one region (triggers.ts). `generic` (for tests)
 * makes them through writeBytes and alloc, the layout this reproduces.
 */
export function writeBytesStruct(
  h: AscHeap,
  typeId: number,
  fields: readonly (Uint8Array | null)[],
  extras: readonly (bigint | null)[],
  count: number,
  generic = false,
): number {
  let bytes = blockSize(4 * count);
  for (let i = 0; i < count; i++) {
    const f = fields[i]!;
    if (f !== null) bytes += blockSize(f.length) + blockSize(12);
  }
  return h.inRegion(bytes, () => {
    const fast = !generic && h.regionNext >= 0 && h.regionNext + bytes <= h.regionEnd;
    const ptrs = scratch.vals;
    if (fast) beginLayout(h);
    const cBuffer = h.classId(TypeId.ArrayBuffer);
    const cBytes = h.classId(TypeId.Uint8Array);
    for (let i = 0; i < count; i++) {
      const f = fields[i]!;
      if (f === null) ptrs[i] = 0;
      else if (!fast) ptrs[i] = writeNotedBytes(h, f, extras[i]!, TypeId.Uint8Array);
      else {
        ptrs[i] = carveBytes(f, cBuffer, cBytes);
        h.written.note(ptrs[i]!, f, extras[i]!);
      }
    }
    if (!fast) {
      const struct = h.alloc(4 * count, typeId);
      for (let i = 0; i < count; i++) h.setU32(struct + 4 * i, ptrs[i]!);
      return struct;
    }
    const struct = carve(4 * count, h.classId(typeId));
    const u32 = at.u32;
    for (let i = 0; i < count; i++) u32[(struct >>> 2) + i] = ptrs[i]!;
    h.regionNext = at.next;
    return struct;
  });
}

/** writeEntity's writing pass over the fields in `scratch`, through the generic writers. */
function writeEntityFields(h: AscHeap, e: Entity, n: number): number {
  const { names, values, encodings, order, keys, vals, entries } = scratch;
  // Keys, values and payloads come first, in one span (the zone of its EntityNote).
  const misses = h.regionMisses;
  const zoneStart = h.regionNext;
  for (let k = 0; k < n; k++) {
    const j = order[k]!;
    const key = writeString(h, names[j]!);
    const v = values[j]!;
    const enc = encodings[j];
    let value: number;
    if (enc !== undefined) {
      const big = writeNotedBytes(h, enc, (v as { value: bigint }).value, TypeId.Uint8Array);
      value = writeEnum32(h, StoreValueKind.BIGINT, big, TypeId.StoreValue);
      h.written.note(value, v);
    } else value = writeStoreValue(h, v);
    keys[k] = key;
    vals[k] = value;
  }
  const zoneEnd = h.regionNext;
  for (let k = 0; k < n; k++) {
    // after every key and value, as writeTypedMap allocates
    const entry = h.alloc(8, TypeId.TypedMapEntryStringStoreValue);
    h.setU32(entry, keys[k]!);
    h.setU32(entry + 4, vals[k]!);
    entries[k] = entry;
  }
  const arr = writeArrayOf(h, entries, n, TypeId.ArrayTypedMapEntryStringStoreValue);
  const map = h.alloc(4, TypeId.TypedMapStringStoreValue);
  h.setU32(map, arr);
  // Only when every object of the zone is inside it (the region's size was not underestimated).
  if (zoneStart >= 0 && h.regionMisses === misses)
    h.written.noteEntity(h.buf, map, e, zoneStart, zoneEnd, keys, vals, n);
  return map;
}

/** Heap bytes writeStoreValue(v) allocates (AscHeap.inRegion's estimate; exact for every kind). */
function storeValueBytes(v: Value): number {
  const value = blockSize(16);
  switch (v.kind) {
    case 'String':
      return value + blockSize(2 * v.value.length);
    case 'Bytes':
      return value + blockSize(v.value.length) + blockSize(12);
    case 'BigInt':
      return value + bigIntBytes(v.value);
    case 'BigDecimal':
      return value + bigIntBytes(v.value.digits) + bigIntBytes(BigInt(v.value.exp)) + blockSize(8);
    case 'Array': {
      let n = value + blockSize(4 * v.value.length) + blockSize(16);
      for (const x of v.value) n += storeValueBytes(x);
      return n;
    }
    default:
      return value;
  }
}

const bigIntBytes = (n: bigint): number => blockSize(bigintToSignedLE(n).length) + blockSize(12);
