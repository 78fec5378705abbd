// The subgraph's schema.graphql as a typed model: what the store lays out as
// tables, what the host validates `store.set` against, and what the query layer
// generates the API from. Parsed once with graphql-js.
import {
  parse,
  Kind,
  type TypeNode,
  type ObjectTypeDefinitionNode,
  type InterfaceTypeDefinitionNode,
} from 'graphql';

/** graph-node's built-in scalars (graph/src/schema/ast.rs) plus the GraphQL ones it maps. */
export const SCALARS = [
  'ID',
  'String',
  'Bytes',
  'BigInt',
  'BigDecimal',
  'Int',
  'Int8',
  'Boolean',
  'Timestamp',
] as const;
export type ScalarName = (typeof SCALARS)[number];

export type FieldBase =
  | { kind: 'scalar'; scalar: ScalarName }
  | { kind: 'enum'; enum: string }
  | { kind: 'entity'; entity: string }; // object @entity or interface

export interface FieldModel {
  name: string;
  base: FieldBase;
  list: boolean;
  /** The field itself is non-null (`T!` or `[T]!`). */
  nonNull: boolean;
  /** For lists: the elements are non-null (`[T!]`). */
  itemNonNull: boolean;
  /** `@derivedFrom(field:)`: not stored, resolved by reverse lookup. */
  derivedFrom?: string;
  description?: string;
}

export interface EntityModel {
  name: string;
  kind: 'entity' | 'interface';
  immutable: boolean;
  /** Type of the `id` field: graph-node allows ID/String, Bytes or Int8. */
  idType: 'String' | 'Bytes' | 'Int8';
  fields: FieldModel[];
  fieldsByName: Map<string, FieldModel>;
  /** Interfaces this entity implements / entities implementing this interface. */
  interfaces: string[];
  implementers: string[];
  description?: string;
}

export interface SchemaModel {
  source: string;
  entities: Map<string, EntityModel>; // @entity object types and interfaces
  enums: Map<string, string[]>;
  entity(name: string): EntityModel;
}

function unwrap(t: TypeNode): { name: string; list: boolean; nonNull: boolean; itemNonNull: boolean } {
  let nonNull = false;
  let list = false;
  let itemNonNull = false;
  let cur = t;
  if (cur.kind === Kind.NON_NULL_TYPE) {
    nonNull = true;
    cur = cur.type;
  }
  if (cur.kind === Kind.LIST_TYPE) {
    list = true;
    cur = cur.type;
    if (cur.kind === Kind.NON_NULL_TYPE) {
      itemNonNull = true;
      cur = cur.type;
    }
  }
  if (cur.kind !== Kind.NAMED_TYPE) throw new Error('nested lists are not supported by graph-node');
  return { name: cur.name.value, list, nonNull, itemNonNull };
}

export function parseSchema(source: string): SchemaModel {
  const doc = parse(source);
  const enums = new Map<string, string[]>();
  const objectDefs: (ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode)[] = [];
  for (const def of doc.definitions) {
    if (def.kind === Kind.ENUM_TYPE_DEFINITION)
      enums.set(
        def.name.value,
        (def.values ?? []).map((v) => v.name.value),
      );
    if (def.kind === Kind.INTERFACE_TYPE_DEFINITION) objectDefs.push(def);
    if (def.kind === Kind.OBJECT_TYPE_DEFINITION && def.directives?.some((d) => d.name.value === 'entity'))
      objectDefs.push(def);
  }
  const entityNames = new Set(objectDefs.map((d) => d.name.value));
  const entities = new Map<string, EntityModel>();
  for (const def of objectDefs) {
    const entityDir = def.directives?.find((d) => d.name.value === 'entity');
    const immutableArg = entityDir?.arguments?.find((a) => a.name.value === 'immutable');
    const immutable = immutableArg?.value.kind === Kind.BOOLEAN ? immutableArg.value.value : false;
    const fields: FieldModel[] = (def.fields ?? []).map((f) => {
      const t = unwrap(f.type);
      let base: FieldBase;
      if ((SCALARS as readonly string[]).includes(t.name))
        base = { kind: 'scalar', scalar: t.name as ScalarName };
      else if (enums.has(t.name)) base = { kind: 'enum', enum: t.name };
      else if (entityNames.has(t.name)) base = { kind: 'entity', entity: t.name };
      else throw new Error(`${def.name.value}.${f.name.value}: unknown type ${t.name}`);
      const derived = f.directives?.find((d) => d.name.value === 'derivedFrom');
      const derivedArg = derived?.arguments?.find((a) => a.name.value === 'field');
      return {
        name: f.name.value,
        base,
        list: t.list,
        nonNull: t.nonNull,
        itemNonNull: t.itemNonNull,
        derivedFrom: derivedArg?.value.kind === Kind.STRING ? derivedArg.value.value : undefined,
        description: f.description?.value,
      };
    });
    const idField = fields.find((f) => f.name === 'id');
    if (!idField) throw new Error(`${def.name.value} has no id field`);
    const idScalar = idField.base.kind === 'scalar' ? idField.base.scalar : undefined;
    const idType = idScalar === 'Bytes' ? 'Bytes' : idScalar === 'Int8' ? 'Int8' : 'String';
    entities.set(def.name.value, {
      name: def.name.value,
      kind: def.kind === Kind.INTERFACE_TYPE_DEFINITION ? 'interface' : 'entity',
      immutable,
      idType,
      fields,
      fieldsByName: new Map(fields.map((f) => [f.name, f])),
      interfaces:
        def.kind === Kind.OBJECT_TYPE_DEFINITION ? (def.interfaces ?? []).map((i) => i.name.value) : [],
      implementers: [],
      description: def.description?.value,
    });
  }
  for (const e of entities.values()) for (const i of e.interfaces) entities.get(i)?.implementers.push(e.name);
  return {
    source,
    entities,
    enums,
    entity(name: string) {
      const e = entities.get(name);
      if (!e) throw new Error(`Entity type \`${name}\` is not defined in the schema`);
      return e;
    },
  };
}

/** Fields that have a column: everything but derived fields. */
export const storedFields = (e: EntityModel): FieldModel[] => e.fields.filter((f) => !f.derivedFrom);
