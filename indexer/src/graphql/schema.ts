// The public GraphQL schema, generated from schema.graphql the way graph-node does it
// (graph/src/schema/api.rs + meta.graphql): the subgraph's own types with collection
// arguments on entity-list fields, `<T>_orderBy` and `<T>_filter` for every entity and
// interface, the built-in scalars and meta types, and a root `Query` with a singular and
// a plural field per type plus `_meta`. Not generated (not used by this subgraph):
// aggregations, fulltext fields and the optional `_logs` field.
import {
  buildSchema,
  GraphQLError,
  GraphQLScalarType,
  Kind,
  parse,
  print,
  visit,
  type ASTNode,
  type DefinitionNode,
  type FieldDefinitionNode,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql/index.js';
import type { EntityModel, FieldModel, SchemaModel } from '../schema/model.js';
import { rootFieldNames } from './naming.js';

/** Name of the schema.graphql type carrying fulltext directives; graph-node drops it from the API. */
const SCHEMA_TYPE_NAME = '_Schema_';

// meta.graphql: directives and types every subgraph API carries. `Int`'s description
// ("4 bytes signed integer") cannot be attached to graphql-js's built-in Int.
const META_SDL = `
"Marks the GraphQL type as indexable entity.  Each type that should be an entity is required to be annotated with this directive."
directive @entity on OBJECT

"Defined a Subgraph ID for an object type"
directive @subgraphId(id: String!) on OBJECT

"creates a virtual field on the entity that may be queried but cannot be set manually through the mappings API."
directive @derivedFrom(field: String!) on FIELD_DEFINITION

scalar BigDecimal
scalar Bytes
scalar BigInt
"""
8 bytes signed integer
"""
scalar Int8
"""
A string representation of microseconds UNIX timestamp (16 digits)
"""
scalar Timestamp

"The type for the top-level _meta field"
type _Meta_ {
  """
  Information about a specific subgraph block. The hash of the block
  will be null if the _meta field has a block constraint that asks for
  a block number. It will be filled if the _meta field has no block constraint
  and therefore asks for the latest  block
  """
  block: _Block_!
  "The deployment ID"
  deployment: String!
  "If \`true\`, the subgraph encountered indexing errors at some past block"
  hasIndexingErrors: Boolean!
}

input BlockChangedFilter {
  number_gte: Int!
}

type _Block_ {
  "The hash of the block"
  hash: Bytes
  "The block number"
  number: Int!
  "Integer representation of the timestamp stored in blocks for the chain"
  timestamp: Int
  "The hash of the parent block"
  parentHash: Bytes
}

enum _SubgraphErrorPolicy_ {
  "Data will be returned even if the subgraph has indexing errors"
  allow

  "If the subgraph has indexing errors, data will be omitted. The default."
  deny
}

"The block at which the query should be executed."
input Block_height {
  "Value containing a block hash"
  hash: Bytes
  "Value containing a block number"
  number: Int
  """
  Value containing the minimum block number.
  In the case of \`number_gte\`, the query will be executed on the latest block only if
  the subgraph has progressed to or past the minimum block number.
  Defaults to the latest block when omitted.
  """
  number_gte: Int
}

"Defines the order direction, either ascending or descending"
enum OrderDirection {
  asc
  desc
}
`;

const BLOCK_ARG_DESCRIPTION =
  'The block at which the query should be executed. Can either be a `{ hash: Bytes }` value containing a block hash, ' +
  'a `{ number: Int }` containing the block number, or a `{ number_gte: Int }` containing the minimum block number. ' +
  'In the case of `number_gte`, the query will be executed on the latest block only if the subgraph has progressed to ' +
  'or past the minimum block number. Defaults to the latest block when omitted.';
const ERROR_ARG_DESCRIPTION =
  'Set to `allow` to receive data even if the subgraph has skipped over errors while syncing.';

const str = (s: string): string => JSON.stringify(s);
const BLOCK_ARG = `${str(BLOCK_ARG_DESCRIPTION)} block: Block_height`;
const ERROR_ARG = `${str(ERROR_ARG_DESCRIPTION)} subgraphError: _SubgraphErrorPolicy_! = deny`;

/** graph-node's `field_filter_ops` for object/interface types, keyed by scalar name. */
export function scalarFilterOps(scalar: string): string[] {
  switch (scalar) {
    case 'Boolean':
      return ['', 'not', 'in', 'not_in'];
    case 'Bytes':
      return ['', 'not', 'gt', 'lt', 'gte', 'lte', 'in', 'not_in', 'contains', 'not_contains'];
    case 'ID':
    case 'BigInt':
    case 'BigDecimal':
    case 'Int':
    case 'Int8':
    case 'Timestamp':
      return ['', 'not', 'gt', 'lt', 'gte', 'lte', 'in', 'not_in'];
    case 'String':
      return [
        '', 'not', 'gt', 'lt', 'gte', 'lte', 'in', 'not_in',
        'contains', 'contains_nocase', 'not_contains', 'not_contains_nocase',
        'starts_with', 'starts_with_nocase', 'not_starts_with', 'not_starts_with_nocase',
        'ends_with', 'ends_with_nocase', 'not_ends_with', 'not_ends_with_nocase',
      ]; // prettier-ignore
    default:
      return ['', 'not'];
  }
}

const key = (name: string, op: string): string => (op === '' ? name : `${name}_${op}`);

/** The id type of an object or interface (an interface takes its first implementer's). */
export function entityIdType(model: SchemaModel, e: EntityModel): 'String' | 'Bytes' | 'Int8' {
  if (e.kind === 'interface') {
    const first = e.implementers[0];
    return first ? model.entity(first).idType : 'String';
  }
  return e.idType;
}

/** graph-node `id_type_as_scalar`: String for String and Bytes ids, Int for Int8 ids. */
const idFilterScalar = (model: SchemaModel, e: EntityModel): string =>
  entityIdType(model, e) === 'Int8' ? 'Int' : 'String';

function baseTypeName(f: FieldModel): string {
  return f.base.kind === 'scalar' ? f.base.scalar : f.base.kind === 'enum' ? f.base.enum : f.base.entity;
}

function filterFields(model: SchemaModel, e: EntityModel): string[] {
  const out: string[] = [];
  for (const f of e.fields) {
    const base = baseTypeName(f);
    if (f.list) {
      let itemType: string | undefined;
      let nocase = false;
      let child: string | undefined;
      if (f.base.kind === 'entity') {
        const target = model.entity(f.base.entity);
        child = target.name;
        if (!f.derivedFrom) {
          itemType = idFilterScalar(model, target);
          nocase = entityIdType(model, target) === 'String';
        }
      } else {
        itemType = base;
        nocase = base === 'String'; // ID lists and enums have no _nocase
      }
      if (itemType) {
        const ops = nocase
          ? ['', 'not', 'contains', 'contains_nocase', 'not_contains', 'not_contains_nocase']
          : ['', 'not', 'contains', 'not_contains'];
        for (const op of ops) out.push(`${key(f.name, op)}: [${itemType}!]`);
      }
      if (child) out.push(`${f.name}_: ${child}_filter`);
      continue;
    }
    if (f.base.kind === 'entity') {
      const target = model.entity(f.base.entity);
      if (!f.derivedFrom) {
        const scalar = idFilterScalar(model, target);
        for (const op of scalarFilterOps(scalar))
          out.push(`${key(f.name, op)}: ${op === 'in' || op === 'not_in' ? `[${scalar}!]` : scalar}`);
      }
      out.push(`${f.name}_: ${target.name}_filter`);
    } else if (f.base.kind === 'enum') {
      for (const op of ['', 'not', 'in', 'not_in'])
        out.push(`${key(f.name, op)}: ${op === 'in' || op === 'not_in' ? `[${base}!]` : base}`);
    } else {
      for (const op of scalarFilterOps(base))
        out.push(`${key(f.name, op)}: ${op === 'in' || op === 'not_in' ? `[${base}!]` : base}`);
    }
  }
  out.push(`${str('Filter for the block changed event.')} _change_block: BlockChangedFilter`);
  out.push(`and: [${e.name}_filter]`);
  out.push(`or: [${e.name}_filter]`);
  return out;
}

/** `<T>_orderBy` values: every field, then `field__child` for single references. */
export function orderByValues(model: SchemaModel, e: EntityModel): string[] {
  const out: string[] = [];
  for (const f of e.fields) {
    out.push(f.name);
    if (!f.list && f.base.kind === 'entity') {
      for (const c of model.entity(f.base.entity).fields)
        if (!c.list && c.base.kind !== 'entity') out.push(`${f.name}__${c.name}`);
    }
  }
  return out;
}

const collectionArgs = (t: string): string =>
  `skip: Int = 0, first: Int = 100, orderBy: ${t}_orderBy, orderDirection: OrderDirection, where: ${t}_filter`;

function stripDirectives<T extends ASTNode>(node: T): T {
  return visit(node, {
    Directive: () => null,
  }) as T;
}

/** The subgraph's own definitions, as graph-node copies them into the API schema. */
function copiedDefinitions(model: SchemaModel): string[] {
  const doc = parse(model.source);
  const out: string[] = [];
  const withArgs = (fields: readonly FieldDefinitionNode[] | undefined): FieldDefinitionNode[] =>
    (fields ?? []).map((f) => {
      let t = f.type;
      if (t.kind === Kind.NON_NULL_TYPE) t = t.type;
      if (t.kind !== Kind.LIST_TYPE) return f;
      let inner = t.type;
      if (inner.kind === Kind.NON_NULL_TYPE) inner = inner.type;
      if (inner.kind !== Kind.NAMED_TYPE || !model.entities.has(inner.name.value)) return f;
      const argsDoc = parse(`type X { f(${collectionArgs(inner.name.value)}): Int }`);
      const def = argsDoc.definitions[0] as unknown as { fields: FieldDefinitionNode[] };
      return { ...f, arguments: def.fields[0]!.arguments };
    });
  for (const def of doc.definitions as DefinitionNode[]) {
    switch (def.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
        if (def.name.value === SCHEMA_TYPE_NAME) break;
        out.push(print(stripDirectives({ ...def, fields: withArgs(def.fields) })));
        break;
      case Kind.INTERFACE_TYPE_DEFINITION:
        out.push(print(stripDirectives({ ...def, fields: withArgs(def.fields) })));
        break;
      case Kind.ENUM_TYPE_DEFINITION:
      case Kind.INPUT_OBJECT_TYPE_DEFINITION:
        out.push(print(stripDirectives(def)));
        break;
      default:
        break; // scalars, unions, schema definitions, extensions: ignored like graph-node
    }
  }
  return out;
}

/** The names of the root query fields of an entity or interface. */
export interface RootField {
  kind: 'single' | 'plural';
  entity: string;
}

export function rootFields(model: SchemaModel): Map<string, RootField> {
  const map = new Map<string, RootField>();
  for (const e of orderedTypes(model)) {
    const { singular, plural } = rootFieldNames(e.name);
    map.set(singular, { kind: 'single', entity: e.name });
    map.set(plural, { kind: 'plural', entity: e.name });
  }
  return map;
}

/** Object types first, then interfaces, each in declaration order (graph-node's Query order). */
function orderedTypes(model: SchemaModel): EntityModel[] {
  const all = [...model.entities.values()];
  return [...all.filter((e) => e.kind === 'entity'), ...all.filter((e) => e.kind === 'interface')];
}

/** The API schema as SDL (handy for diffing against graph-node's introspection). */
export function apiSchemaSDL(model: SchemaModel): string {
  const parts: string[] = [...copiedDefinitions(model), META_SDL];
  for (const e of orderedTypes(model)) {
    parts.push(
      `enum ${e.name}_orderBy {\n${orderByValues(model, e)
        .map((v) => `  ${v}`)
        .join('\n')}\n}`,
    );
    parts.push(
      `input ${e.name}_filter {\n${filterFields(model, e)
        .map((v) => `  ${v}`)
        .join('\n')}\n}`,
    );
  }
  const query: string[] = [];
  for (const e of orderedTypes(model)) {
    const { singular, plural } = rootFieldNames(e.name);
    query.push(`  ${singular}(id: ID!, ${BLOCK_ARG}, ${ERROR_ARG}): ${e.name}`);
    query.push(`  ${plural}(${collectionArgs(e.name)}, ${BLOCK_ARG}, ${ERROR_ARG}): [${e.name}!]!`);
  }
  query.push(`  ${str('Access to subgraph metadata')} _meta(block: Block_height): _Meta_`);
  parts.push(`type Query {\n${query.join('\n')}\n}`);
  return parts.join('\n\n');
}

// ---------------------------------------------------------------------------
// Scalars. Resolvers hand over values already formatted the graph-node way
// (strings for BigInt/BigDecimal/Int8/Timestamp/Bytes), so serialisation is the
// identity; input coercion follows graphql/src/values/coercion.rs.
function literalScalar(
  name: string,
  accept: (v: ValueNode) => string | undefined,
  acceptValue: (v: unknown) => string | undefined,
): GraphQLScalarType {
  return new GraphQLScalarType({
    name,
    serialize: (v) => v,
    parseValue: (v) => {
      const r = acceptValue(v);
      if (r === undefined) throw new GraphQLError(`Invalid value for ${name}: ${JSON.stringify(v)}`);
      return r;
    },
    parseLiteral: (node) => {
      const r = accept(node);
      if (r === undefined) throw new GraphQLError(`Invalid literal for ${name}: ${print(node)}`);
      return r;
    },
  });
}

const stringLit = (n: ValueNode): string | undefined => (n.kind === Kind.STRING ? n.value : undefined);
const intLit = (n: ValueNode): string | undefined => (n.kind === Kind.INT ? n.value : undefined);
const isIntText = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

export const SCALAR_IMPLS: Record<string, GraphQLScalarType> = {
  BigInt: literalScalar(
    'BigInt',
    (n) => stringLit(n) ?? intLit(n),
    (v) => (typeof v === 'string' ? v : isIntText(v) ? String(v) : undefined),
  ),
  BigDecimal: literalScalar(
    'BigDecimal',
    (n) => stringLit(n) ?? intLit(n) ?? (n.kind === Kind.FLOAT ? n.value : undefined),
    (v) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined),
  ),
  Bytes: literalScalar('Bytes', stringLit, (v) => (typeof v === 'string' ? v : undefined)),
  Int8: literalScalar('Int8', intLit, (v) => (isIntText(v) ? String(v) : undefined)),
  Timestamp: literalScalar('Timestamp', stringLit, (v) => (typeof v === 'string' ? v : undefined)),
};

/** Build the executable graphql-js schema (resolvers are attached by the executor). */
export function buildApiSchema(model: SchemaModel): GraphQLSchema {
  const schema = buildSchema(apiSchemaSDL(model));
  for (const [name, impl] of Object.entries(SCALAR_IMPLS)) {
    const t = schema.getType(name) as GraphQLScalarType;
    t.serialize = impl.serialize;
    t.parseValue = impl.parseValue;
    t.parseLiteral = impl.parseLiteral;
  }
  return schema;
}
