// An in-memory EntityReader for tests: the committed state the runner reads,
// updated by applying each block's EntityOps.
import type { Entity, Value } from '../schema/values.js';
import type { EntityOp, EntityReader } from '../store/types.js';
import { idKey } from '../indexing/entity-cache.js';

const matches = (v: Value | undefined, id: string): boolean =>
  v !== undefined && (v.kind === 'Array' ? v.value.some((x) => idKey(x) === id) : idKey(v) === id);

export class MemoryStore implements EntityReader {
  private readonly tables = new Map<string, Map<string, Entity>>();

  get(type: string, id: string): Entity | null {
    const e = this.tables.get(type)?.get(id);
    return e ? new Map(e) : null;
  }

  getRelated(type: string, field: string, id: string): Entity[] {
    return [...(this.tables.get(type)?.values() ?? [])]
      .filter((e) => matches(e.get(field), id))
      .map((e) => new Map(e));
  }

  apply(ops: EntityOp[]): void {
    for (const op of ops) {
      let t = this.tables.get(op.type);
      if (!t) this.tables.set(op.type, (t = new Map()));
      if (op.entity === null) t.delete(op.id);
      else t.set(op.id, new Map(op.entity));
    }
  }

  /** Every entity of `type`, sorted by id. */
  all(type: string): Entity[] {
    return [...(this.tables.get(type)?.entries() ?? [])]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, e]) => e);
  }

  count(type: string): number {
    return this.tables.get(type)?.size ?? 0;
  }

  /** Directly seed an entity (for tests that start from an existing state). */
  put(type: string, id: string, e: Entity): void {
    this.apply([{ type, id, entity: e }]);
  }
}
