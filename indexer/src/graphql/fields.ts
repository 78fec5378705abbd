// Walking the query's selection sets ourselves (fragments, inline fragments with
// type conditions, @skip/@include, aliases), because each root field resolves its
// whole tree with one SQL statement per field and level instead of a resolver call
// per object.
import {
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql/index.js';
import type { SchemaModel } from '../schema/model.js';

export interface Selection {
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

function included(node: { directives?: readonly unknown[] }, sel: Selection): boolean {
  if (!node.directives || node.directives.length === 0) return true;
  const skip = getDirectiveValues(GraphQLSkipDirective, node as FieldNode, sel.variables);
  if (skip?.['if'] === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node as FieldNode, sel.variables);
  return include?.['if'] !== false;
}

/** Does a fragment with this type condition apply to objects of `typeName`? */
function applies(model: SchemaModel, condition: string | undefined, typeName: string): boolean {
  if (!condition || condition === typeName) return true;
  const e = model.entities.get(typeName);
  return !!e && e.interfaces.includes(condition);
}

/** Response key → the field nodes merged under it, for objects of `typeName`. */
export function collectFields(
  model: SchemaModel,
  sel: Selection,
  sets: readonly (SelectionSetNode | undefined)[],
  typeName: string,
): Map<string, FieldNode[]> {
  const out = new Map<string, FieldNode[]>();
  const visited = new Set<string>();
  const walk = (set: SelectionSetNode | undefined) => {
    if (!set) return;
    for (const s of set.selections) {
      if (!included(s, sel)) continue;
      if (s.kind === Kind.FIELD) {
        const key = s.alias?.value ?? s.name.value;
        const list = out.get(key);
        if (list) list.push(s);
        else out.set(key, [s]);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        if (applies(model, s.typeCondition?.name.value, typeName)) walk(s.selectionSet);
      } else {
        const name = s.name.value;
        if (visited.has(name)) continue;
        visited.add(name);
        const frag = sel.fragments[name];
        if (frag && applies(model, frag.typeCondition.name.value, typeName)) walk(frag.selectionSet);
      }
    }
  };
  for (const s of sets) walk(s);
  return out;
}
