// subgraph/schema.graphql as plain data, via graphql-js's parser.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Kind, parse, type TypeNode } from 'graphql';

export const SCHEMA_FILE = fileURLToPath(new URL('../schema.graphql', import.meta.url));

export interface FieldInfo {
  name: string;
  /** Innermost named type. */
  type: string;
  list: boolean;
  nonNull: boolean;
  derivedFrom: string | null;
  description: string | null;
}

export interface EntityInfo {
  name: string;
  immutable: boolean;
  description: string | null;
  fields: Map<string, FieldInfo>;
}

function unwrap(node: TypeNode): { type: string; list: boolean; nonNull: boolean } {
  let nonNull = false;
  let list = false;
  let n = node;
  if (n.kind === Kind.NON_NULL_TYPE) {
    nonNull = true;
    n = n.type;
  }
  if (n.kind === Kind.LIST_TYPE) {
    list = true;
    n = n.type;
    if (n.kind === Kind.NON_NULL_TYPE) n = n.type;
  }
  if (n.kind !== Kind.NAMED_TYPE) throw new Error('nested lists are not supported by graph-node');
  return { type: n.name.value, list, nonNull };
}

export function readSchema(file = SCHEMA_FILE): {
  entities: Map<string, EntityInfo>;
  enums: Map<string, { values: string[]; description: string | null }>;
} {
  const doc = parse(readFileSync(file, 'utf8'));
  const entities = new Map<string, EntityInfo>();
  const enums = new Map<string, { values: string[]; description: string | null }>();
  for (const def of doc.definitions) {
    if (def.kind === Kind.ENUM_TYPE_DEFINITION) {
      enums.set(def.name.value, {
        values: (def.values ?? []).map((v) => v.name.value),
        description: def.description?.value ?? null,
      });
    }
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    const entity = def.directives?.find((d) => d.name.value === 'entity');
    if (!entity) continue;
    const immutableArg = entity.arguments?.find((a) => a.name.value === 'immutable');
    const fields = new Map<string, FieldInfo>();
    for (const f of def.fields ?? []) {
      const derived = f.directives?.find((d) => d.name.value === 'derivedFrom');
      const fieldArg = derived?.arguments?.find((a) => a.name.value === 'field')?.value;
      fields.set(f.name.value, {
        name: f.name.value,
        ...unwrap(f.type),
        derivedFrom: fieldArg && fieldArg.kind === Kind.STRING ? fieldArg.value : null,
        description: f.description?.value ?? null,
      });
    }
    entities.set(def.name.value, {
      name: def.name.value,
      immutable: immutableArg?.value.kind === Kind.BOOLEAN && immutableArg.value.value === true,
      description: def.description?.value ?? null,
      fields,
    });
  }
  return { entities, enums };
}
