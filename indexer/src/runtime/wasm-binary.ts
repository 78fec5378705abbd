// Just enough of the WebAssembly binary format (core spec §5) to reuse an
// instance across triggers without the handler being able to tell.
//
// A wasm instance's mutable state is: its memories (bytes and size), its mutable
// globals, its tables (entries and size) and the dropped flags of passive
// segments. Everything else (code, types, immutable globals) is fixed at compile
// time. To snapshot and restore that state from JS, every mutable global and
// every table must be reachable from JS, so `prepareForReuse` rewrites the export
// section to export them under reserved `__ggn_*` names; exports are invisible to
// the module's own code, so this changes nothing the handler can observe. It
// also drops exports of immutable globals (graph-ts exports ~180 `TypeId.*`
// constants the host never reads; V8 builds a WebAssembly.Global object for each
// on every instantiation). Modules whose state cannot be captured this way
// (passive data or element segments, imported tables, memories or globals,
// mutable v128/reference globals, init expressions we do not know) get `null`:
// they always run on fresh instances.

export const GLOBAL_EXPORT_PREFIX = '__ggn_global_';
export const TABLE_EXPORT_PREFIX = '__ggn_table_';

export interface ReusePlan {
  /** The rewritten module bytes. */
  bytes: Uint8Array;
  /** Export names of the mutable globals, in global index order. */
  globals: string[];
  /** Export names of the tables. */
  tables: string[];
}

class Reader {
  p = 0;
  constructor(readonly b: Uint8Array) {}
  byte(): number {
    if (this.p >= this.b.length) throw new Unsupported('unexpected end of module');
    return this.b[this.p++]!;
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const x = this.byte();
      result += (x & 0x7f) * 2 ** shift;
      if ((x & 0x80) === 0) return result;
      shift += 7;
    }
  }
  /** Skip a signed LEB128 (i32/i64 immediates). */
  skipLeb(): void {
    while (this.byte() & 0x80);
  }
  skip(n: number): void {
    this.p += n;
  }
  name(): string {
    const n = this.u32();
    const s = Buffer.from(this.b.subarray(this.p, this.p + n)).toString('utf8');
    this.p += n;
    return s;
  }
  limits(): void {
    const flag = this.byte();
    this.u32();
    if (flag & 1) this.u32();
  }
  /** A constant expression up to its `end`; only the instructions MVP and reference types allow. */
  constExpr(): void {
    for (;;) {
      const op = this.byte();
      if (op === 0x0b) return;
      if (op === 0x41 || op === 0x42) this.skipLeb();
      else if (op === 0x43) this.skip(4);
      else if (op === 0x44) this.skip(8);
      else if (op === 0x23 || op === 0xd2) this.u32();
      else if (op === 0xd0) this.byte();
      else throw new Unsupported(`init expression opcode 0x${op.toString(16)}`);
    }
  }
}

class Unsupported extends Error {}

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let x = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) x |= 0x80;
    out.push(x);
  } while (n > 0);
  return out;
}

const nameBytes = (s: string): number[] => {
  const b = [...Buffer.from(s, 'utf8')];
  return [...leb(b.length), ...b];
};

const NUMERIC = new Set([0x7f, 0x7e, 0x7d, 0x7c]); // i32 i64 f32 f64

/** The module rewritten so its whole mutable state is exported, or null when that cannot capture it. */
export function prepareForReuse(bytes: Uint8Array): ReusePlan | null {
  try {
    return rewrite(bytes);
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
}

function rewrite(bytes: Uint8Array): ReusePlan {
  const r = new Reader(bytes);
  r.skip(8); // magic and version; WebAssembly.compile checks them
  const sections: { id: number; start: number; end: number }[] = [];
  let tableCount = 0;
  const mutableGlobals: number[] = [];
  const immutableGlobals = new Set<number>();
  while (r.p < bytes.length) {
    const id = r.byte();
    const size = r.u32();
    const start = r.p;
    const end = start + size;
    sections.push({ id, start, end });
    if (id === 2) {
      for (let n = r.u32(); n > 0; n--) {
        r.name();
        r.name();
        const kind = r.byte();
        if (kind !== 0) throw new Unsupported('imports something other than functions');
        r.u32();
      }
    } else if (id === 4) {
      tableCount = r.u32();
    } else if (id === 6) {
      const n = r.u32();
      for (let i = 0; i < n; i++) {
        const type = r.byte();
        const mutable = r.byte() === 1;
        r.constExpr();
        if (!mutable) immutableGlobals.add(i);
        else if (NUMERIC.has(type)) mutableGlobals.push(i);
        else throw new Unsupported('a mutable global JS cannot restore');
      }
    } else if (id === 9) {
      for (let n = r.u32(); n > 0; n--) {
        // Active segments are applied at instantiation and dropped: nothing left to restore.
        const flag = r.u32();
        if (flag !== 0) throw new Unsupported(`element segment kind ${flag}`);
        r.constExpr();
        for (let k = r.u32(); k > 0; k--) r.u32();
      }
    } else if (id === 11) {
      for (let n = r.u32(); n > 0; n--) {
        const flag = r.u32();
        if (flag === 1) throw new Unsupported('passive data segment');
        if (flag === 2) r.u32();
        else if (flag !== 0) throw new Unsupported(`data segment kind ${flag}`);
        r.constExpr();
        r.skip(r.u32());
      }
    }
    r.p = end;
  }

  const globals = mutableGlobals.map((i) => `${GLOBAL_EXPORT_PREFIX}${i}`);
  const tables = Array.from({ length: tableCount }, (_, i) => `${TABLE_EXPORT_PREFIX}${i}`);
  const entries: number[][] = [];
  const exportSection = sections.find((s) => s.id === 7);
  if (exportSection) {
    r.p = exportSection.start;
    for (let n = r.u32(); n > 0; n--) {
      const from = r.p;
      const name = r.name();
      const kind = r.byte();
      const index = r.u32();
      if (name.startsWith('__ggn_')) throw new Unsupported(`export name ${name} is reserved`);
      if (kind === 3 && immutableGlobals.has(index)) continue; // never read by the host
      entries.push([...bytes.subarray(from, r.p)]);
    }
  }
  mutableGlobals.forEach((i, k) => entries.push([...nameBytes(globals[k]!), 3, ...leb(i)]));
  tables.forEach((name, i) => entries.push([...nameBytes(name), 1, ...leb(i)]));
  const body = [...leb(entries.length), ...entries.flat()];
  const newExports = [7, ...leb(body.length), ...body];

  // Sections keep their order; the export section goes where it was, or before the first later one.
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  let placed = false;
  const order = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11]; // spec order of the known sections
  const rank = (id: number) => order.indexOf(id);
  for (const s of sections) {
    if (s.id === 7 || (!placed && !exportSection && s.id !== 0 && rank(s.id) > rank(7))) {
      parts.push(Uint8Array.from(newExports));
      placed = true;
      if (s.id === 7) continue;
    }
    parts.push(Uint8Array.from([s.id, ...leb(s.end - s.start)]), bytes.subarray(s.start, s.end));
  }
  if (!placed) parts.push(Uint8Array.from(newExports));
  return { bytes: new Uint8Array(Buffer.concat(parts)), globals, tables };
}
