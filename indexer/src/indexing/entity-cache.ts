// Per-block entity cache (graph-node's EntityCache): the committed store below,
// this block's completed handlers above it, the running handler on top. A
// handler's layer is folded into the block only when the handler completes, so a
// failed handler leaves no trace. At the end of the block the final state of every
// touched entity becomes one EntityOp.
//
// Entities handed out by get/getInBlock are the cache's own: callers read them
// (the host writes them into WASM memory, store.set merges them into a new Map)
// and must not mutate them; put takes ownership of the Map it is given. The
// committed state first read from the store is remembered, so ops() does not read
// every touched entity a second time (the store does not change during a block).
import type { Entity, Value } from '../schema/values.js';
import { valuesEqual } from '../schema/values.js';
import type { EntityOp, EntityReader } from '../store/types.js';
import type { HostStore } from '../runtime/host/env.js';

type Layer = Map<string, Map<string, Entity | null>>;

/** The cache key of an id value: String ids as is, Bytes ids lowercase 0x-hex, Int8 ids in decimal. */
export function idKey(v: Value | undefined): string | null {
  if (!v) return null;
  if (v.kind === 'String') return v.value;
  if (v.kind === 'Bytes') return '0x' + Buffer.from(v.value).toString('hex');
  if (v.kind === 'Int8') return v.value.toString();
  return null;
}

function refMatches(v: Value | undefined, id: string): boolean {
  if (!v) return false;
  if (v.kind === 'Array') return v.value.some((x) => idKey(x) === id);
  return idKey(v) === id;
}

function entityEquals(a: Entity, b: Entity): boolean {
  if (a.size !== b.size) return false;
  // keys() and get(): no [key, value] array per field (ops() compares every touched entity).
  for (const k of a.keys()) {
    const w = b.get(k);
    if (w === undefined || !valuesEqual(a.get(k)!, w)) return false;
  }
  return true;
}

export class BlockEntityCache implements HostStore {
  private readonly block: Layer = new Map();
  private handler: Layer = new Map();
  /** What the store held when first read in this block. */
  private readonly committed: Layer = new Map();

  constructor(private readonly reader: EntityReader) {}

  /** The store's state, remembering the first answer for ops(). */
  private read(type: string, id: string): Entity | null {
    const e = this.reader.get(type, id);
    let m = this.committed.get(type);
    if (!m) this.committed.set(type, (m = new Map()));
    if (!m.has(id)) m.set(id, e);
    return e;
  }

  private committedState(type: string, id: string): Entity | null {
    const e = this.committed.get(type)?.get(id);
    return e !== undefined ? e : this.reader.get(type, id);
  }

  private lookup(layer: Layer, type: string, id: string): Entity | null | undefined {
    return layer.get(type)?.get(id);
  }

  private write(type: string, id: string, e: Entity | null): void {
    let m = this.handler.get(type);
    if (!m) this.handler.set(type, (m = new Map()));
    m.set(id, e);
  }

  get(type: string, id: string): Entity | null {
    const h = this.lookup(this.handler, type, id);
    if (h !== undefined) return h;
    const b = this.lookup(this.block, type, id);
    if (b !== undefined) return b;
    return this.read(type, id);
  }

  getInBlock(type: string, id: string): Entity | null {
    const h = this.lookup(this.handler, type, id);
    if (h !== undefined) return h;
    return this.lookup(this.block, type, id) ?? null;
  }

  related(type: string, field: string, id: string): Entity[] {
    const found = new Map<string, Entity>();
    for (const e of this.reader.getRelated(type, field, id)) {
      const k = idKey(e.get('id'));
      if (k !== null) found.set(k, e);
    }
    for (const layer of [this.block, this.handler])
      for (const [k, e] of layer.get(type) ?? []) {
        if (e && refMatches(e.get(field), id)) found.set(k, e);
        else found.delete(k);
      }
    return [...found.values()].map((e) => new Map(e));
  }

  put(type: string, id: string, entity: Entity): void {
    this.write(type, id, entity);
  }

  remove(type: string, id: string): void {
    this.write(type, id, null);
  }

  commitHandler(): void {
    this.handler.forEach((m, type) => {
      let b = this.block.get(type);
      if (!b) this.block.set(type, (b = new Map()));
      m.forEach((e, id) => b.set(id, e));
    });
    this.handler = new Map();
  }

  rollbackHandler(): void {
    this.handler = new Map();
  }

  /** Final state per (type, id), leaving out changes that end where the store already is. */
  ops(): EntityOp[] {
    const out: EntityOp[] = [];
    this.block.forEach((m, type) =>
      m.forEach((e, id) => {
        const before = this.committedState(type, id);
        if (e === null ? before === null : before !== null && entityEquals(before, e)) return;
        out.push({ type, id, entity: e });
      }),
    );
    return out;
  }
}
