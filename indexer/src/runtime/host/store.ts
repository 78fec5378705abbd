// store.*: graph-node's host_exports.rs store_set/get/remove/load_related and
// the EntityCache's merge and validation rules (graph-host-abi.md §5.3).
// Deliberate difference: graph-node surfaces schema validation failures and
// unknown entity types as `anyhow` (non-deterministic, retried forever); here
// they fail the handler deterministically, since retrying cannot fix a mapping bug.
// Not supported: `auto` ids, timeseries, the manifest's `entities:` list (graph-node
// enforces it only for offchain data sources).
import { readEntity, readString, writeArray, writeEntity } from '../asc/codec.js';
import { TypeId } from '../asc/type-ids.js';
import { det } from '../errors.js';
import type { EntityModel, FieldModel, SchemaModel } from '../../schema/model.js';
import type { Entity, Value } from '../../schema/values.js';
import { valuesEqual } from '../../schema/values.js';
import type { HostEnv, HostNamespace } from './env.js';

function objectType(schema: SchemaModel, type: string, op: string): EntityModel {
  const model = schema.entities.get(type);
  if (!model) throw det(`Entity type \`${type}\` is not defined in the schema`);
  if (model.kind !== 'entity')
    throw det(`Cannot ${op} entity of type \`${type}\`. The type must be an @entity type`);
  return model;
}

/** The key string the cache uses and the id Value graph-node stores, from the id passed to the host. */
export function parseId(model: EntityModel, id: string): { key: string; value: Value } {
  if (model.idType === 'Bytes') {
    const body = id.startsWith('0x') ? id.slice(2) : id;
    if (!/^([0-9a-fA-F]{2})*$/.test(body))
      throw det(`Failed to parse \`${id}\` as Bytes id for entity type \`${model.name}\``);
    return {
      key: '0x' + body.toLowerCase(),
      value: { kind: 'Bytes', value: new Uint8Array(Buffer.from(body, 'hex')) },
    };
  }
  if (model.idType === 'Int8') {
    if (!/^-?\d+$/.test(id))
      throw det(`Failed to parse \`${id}\` as Int8 id for entity type \`${model.name}\``);
    const n = BigInt(id);
    return { key: n.toString(), value: { kind: 'Int8', value: n } };
  }
  return { key: id, value: { kind: 'String', value: id } };
}

const typeName = (v: Value): string => (v.kind === 'Bool' ? 'Boolean' : v.kind === 'Array' ? 'List' : v.kind);

function displayValue(v: Value): string {
  switch (v.kind) {
    case 'Null':
      return 'null';
    case 'Bytes':
      return '0x' + Buffer.from(v.value).toString('hex');
    case 'Array':
      return '[' + v.value.map(displayValue).join(', ') + ']';
    case 'BigDecimal':
      return `${v.value.digits}e${v.value.exp}`;
    default:
      return String(v.value);
  }
}

/** The stored scalar a field accepts: enums are strings, references take the referenced id type. */
function fieldValueKind(schema: SchemaModel, f: FieldModel): Value['kind'] {
  const b = f.base;
  if (b.kind === 'enum') return 'String';
  if (b.kind === 'entity') {
    const t = schema.entities.get(b.entity)!;
    return t.idType === 'Bytes' ? 'Bytes' : t.idType === 'Int8' ? 'Int8' : 'String';
  }
  switch (b.scalar) {
    case 'ID':
    case 'String':
      return 'String';
    case 'Boolean':
      return 'Bool';
    default:
      return b.scalar;
  }
}

const fieldTypeText = (f: FieldModel, base: string): string =>
  f.list ? `[${base}${f.itemNonNull ? '!' : ''}]${f.nonNull ? '!' : ''}` : `${base}${f.nonNull ? '!' : ''}`;

/** The value kind each field of a type accepts, worked out once (validateEntity runs on every store.set). */
const fieldKinds = new WeakMap<EntityModel, Value['kind'][]>();

function kindsOf(schema: SchemaModel, model: EntityModel): Value['kind'][] {
  let k = fieldKinds.get(model);
  if (k === undefined) fieldKinds.set(model, (k = model.fields.map((f) => fieldValueKind(schema, f))));
  return k;
}

function expectedType(f: FieldModel): string {
  const baseName =
    f.base.kind === 'scalar' ? f.base.scalar : f.base.kind === 'enum' ? f.base.enum : f.base.entity;
  return fieldTypeText(f, baseName);
}

/** graph-node `Entity::validate`: first failure as its EntityValidationError text. */
export function validateEntity(
  schema: SchemaModel,
  model: EntityModel,
  id: string,
  e: Entity,
): string | null {
  const where = `Entity ${model.name}[${id}]`;
  const kinds = kindsOf(schema, model);
  for (let i = 0; i < model.fields.length; i++) {
    const f = model.fields[i]!;
    const v = e.get(f.name);
    if (f.derivedFrom) {
      if (v !== undefined) return `${where}: field \`${f.name}\` is derived and cannot be set`;
      continue;
    }
    if (v === undefined) {
      if (f.nonNull) return `${where}: missing value for non-nullable field \`${f.name}\``;
      continue;
    }
    const want = kinds[i]!;
    if (f.list && v.kind === 'Array') {
      const bad = v.value.findIndex((x) => x.kind !== 'Null' && x.kind !== want);
      if (bad >= 0)
        return `${where}: field \`${f.name}\` is of type ${expectedType(f)}, but the value \`${displayValue(v)}\` contains a ${typeName(v.value[bad]!)} at index ${bad}`;
      continue;
    }
    if (v.kind !== 'Null' && v.kind !== want)
      return `${where}: the value \`${displayValue(v)}\` for field \`${f.name}\` must have type ${expectedType(f)} but has type ${typeName(v)}`;
  }
  return null;
}

/** What storeSet's single pass over an update needs of a type, worked out once. */
interface SetShape {
  /** Field index by name. */
  index: Map<string, number>;
  kinds: Value['kind'][];
  /** Fields an entity can have (not derived); an update naming all of them replaces the entity. */
  settable: number;
  nonNull: number;
}

const setShapes = new WeakMap<EntityModel, SetShape>();

function setShapeOf(schema: SchemaModel, model: EntityModel): SetShape {
  let s = setShapes.get(model);
  if (s === undefined) {
    const stored = model.fields.filter((f) => !f.derivedFrom);
    s = {
      index: new Map(model.fields.map((f, i) => [f.name, i])),
      kinds: kindsOf(schema, model),
      settable: stored.length,
      nonNull: stored.filter((f) => f.nonNull).length,
    };
    setShapes.set(model, s);
  }
  return s;
}

/**
 * store.set: an update merged into the current state; nulls remove fields.
 * One pass over the update finds unknown fields, whether validateEntity could
 * fail (only then is it run, for graph-node's exact message) and whether the
 * update names every field: then it is the new state itself and the current one
 * is not needed (`save()` of a generated entity class always names every field).
 */
export function storeSet(env: HostEnv, type: string, rawId: string, data: Entity): void {
  const model = objectType(env.schema, type, 'set');
  if (rawId === 'auto') throw det('Autogenerated IDs are not supported by this indexer');
  const { key, value: idValue } = parseId(model, rawId);
  const given = data.get('id');
  if (given !== undefined) {
    if (!valuesEqual(given, idValue)) {
      if (typeName(given) !== typeName(idValue))
        throw det(
          `Attribute \`${type}.id\` has wrong type: expected ${model.idType} but got ${typeName(given)}`,
        );
      throw det(
        `Value of ${type} attribute 'id' conflicts with ID passed to \`store.set()\`: ${displayValue(given)} != ${displayValue(idValue)}`,
      );
    }
  } else data.set('id', idValue);

  const shape = setShapeOf(env.schema, model);
  let unknown = null as string[] | null; // (assigned in the forEach below)
  let named = 0;
  let nonNull = 0;
  let nulls = false;
  let suspect = false; // validateEntity may find something
  // forEach, not for-of: no [key, value] array per field (this runs for every field saved).
  data.forEach((v, k) => {
    const i = shape.index.get(k);
    if (i === undefined) {
      (unknown ??= []).push(k);
      return;
    }
    const f = model.fields[i]!;
    if (f.derivedFrom) {
      suspect = true;
      return;
    }
    named++;
    if (f.nonNull) nonNull++;
    if (v.kind === 'Null') nulls = true;
    else if (f.list && v.kind === 'Array') {
      const want = shape.kinds[i];
      if (v.value.some((x) => x.kind !== 'Null' && x.kind !== want)) suspect = true;
    } else if (v.kind !== shape.kinds[i]) suspect = true;
  });
  if (unknown !== null) {
    unknown.sort();
    if (env.apiVersion >= 8)
      throw det(
        `Attempted to set undefined fields [${unknown.join(', ')}] for the entity type \`${type}\`. Make sure those fields are defined in the schema.`,
      );
    for (const k of unknown) data.delete(k); // older mappings: silently filtered
  }

  // graph-node validates the update alone and, only if that fails, the merged entity.
  const invalid =
    (suspect || nonNull < shape.nonNull) && validateEntity(env.schema, model, key, data) !== null;
  let merged: Entity;
  if (named === shape.settable && !invalid) {
    merged = data;
    if (nulls) data.forEach((v, k) => v.kind === 'Null' && data.delete(k));
  } else {
    merged = merge(env.store.get(type, key), data);
    if (invalid) {
      const err = validateEntity(env.schema, model, key, merged);
      if (err !== null) throw det(err);
    }
  }
  env.store.put(type, key, merged);
}

/**
 * The current state with the update's fields set and its nulls removed, for an
 * update that does not name every field of the type (storeSet handles that case
 * without the current state). When it still names every field the current state
 * has, it is the result itself (a fresh Map from the heap; field order does not
 * matter anywhere), without copying the current one.
 */
function merge(current: Entity | null, data: Entity): Entity {
  let covers = current === null || data.size >= current.size;
  if (covers && current !== null)
    for (const k of current.keys())
      if (!data.has(k)) {
        covers = false;
        break;
      }
  const merged: Entity = covers ? data : new Map(current);
  data.forEach((v, k) => {
    if (v.kind === 'Null') merged.delete(k);
    else if (!covers) merged.set(k, v);
  });
  return merged;
}

export const storeImports: HostNamespace = {
  'store.set': (env) => (typePtr: number, idPtr: number, dataPtr: number) => {
    const h = env.heap;
    storeSet(env, readString(h, typePtr >>> 0), readString(h, idPtr >>> 0), readEntity(h, dataPtr >>> 0));
  },
  'store.get': (env) => (typePtr: number, idPtr: number) => {
    const h = env.heap;
    const type = readString(h, typePtr >>> 0);
    const model = objectType(env.schema, type, 'get');
    const e = env.store.get(type, parseId(model, readString(h, idPtr >>> 0)).key);
    return e ? writeEntity(h, e) : 0;
  },
  'store.get_in_block': (env) => (typePtr: number, idPtr: number) => {
    const h = env.heap;
    const type = readString(h, typePtr >>> 0);
    const model = objectType(env.schema, type, 'get');
    const e = env.store.getInBlock(type, parseId(model, readString(h, idPtr >>> 0)).key);
    return e ? writeEntity(h, e) : 0;
  },
  'store.loadRelated': (env) => (typePtr: number, idPtr: number, fieldPtr: number) => {
    const h = env.heap;
    const type = readString(h, typePtr >>> 0);
    const id = readString(h, idPtr >>> 0);
    const fieldName = readString(h, fieldPtr >>> 0);
    const model = env.schema.entities.get(type);
    if (!model) throw det(`Entity type \`${type}\` is not defined in the schema`);
    const field = model.fieldsByName.get(fieldName);
    if (!field || field.base.kind !== 'entity' || !field.derivedFrom)
      throw det(`Entity ${type}[${id}]: unknown derived field \`${fieldName}\``);
    const key = parseId(model, id).key;
    const target = env.schema.entity(field.base.entity);
    const targets = target.kind === 'interface' ? target.implementers : [target.name];
    const found = targets.flatMap((t) => env.store.related(t, field.derivedFrom!, key));
    const ptrs = found.map((e) => writeEntity(h, e));
    return writeArray(h, ptrs, TypeId.ArrayTypedMapStringStoreValue);
  },
  'store.remove': (env) => (typePtr: number, idPtr: number) => {
    const h = env.heap;
    const type = readString(h, typePtr >>> 0);
    const model = objectType(env.schema, type, 'remove');
    env.store.remove(type, parseId(model, readString(h, idPtr >>> 0)).key);
  },
};
