// Query text builder for the graph-node-generated API.
//
// Queries are built as text (not variables) so that the one cross-cutting
// argument, `block: {number: N}` for "as of" time travel, can be added to every
// root field uniformly, and so that every query a page runs is a string an
// auditor can copy and paste into any graph-node GraphiQL.

/** An enum value: serialised bare (`status: ACTIVE`), not quoted. */
export class Enum {
  constructor(readonly name: string) {}
}
export const en = (name: string): Enum => new Enum(name);

export type ArgValue =
  string | number | boolean | null | Enum | ArgValue[] | { [key: string]: ArgValue | undefined };
export type Args = Record<string, ArgValue | undefined>;

/** Serialise a value as a GraphQL literal. Strings use JSON escaping, which GraphQL string literals accept. */
export function literal(value: ArgValue): string {
  if (value === null) return 'null';
  if (value instanceof Enum) {
    if (!/^[_A-Za-z][_0-9A-Za-z]*$/.test(value.name)) throw new Error(`invalid enum value ${value.name}`);
    return value.name;
  }
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (typeof value === 'object') return `{${argList(value)}}`;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`invalid number ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** `a: 1, b: "x"`, skipping undefined entries (an absent filter is no filter). */
export function argList(args: Args): string {
  return Object.entries(args)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${literal(v as ArgValue)}`)
    .join(', ');
}

/** A root field of a query: `alias: name(args) { selection }`. */
export interface Field {
  alias?: string;
  name: string;
  args?: Args;
  selection?: string;
}

/** The block every root field is read at; undefined = the latest indexed block. */
export type AsOf = number | undefined;

/**
 * Build a query document from root fields, adding `block: {number: N}` to each
 * when a block is pinned. `_meta` takes the block argument too.
 */
export function buildQuery(fields: Field[], block: AsOf): string {
  const body = fields.map((f) => {
    const args: Args = { ...f.args };
    if (block !== undefined) args.block = { number: block };
    const a = argList(args);
    const head = `${f.alias ? `${f.alias}: ` : ''}${f.name}${a ? `(${a})` : ''}`;
    return f.selection ? `  ${head} { ${f.selection.trim().replace(/\s+/g, ' ')} }` : `  ${head}`;
  });
  return `{\n${body.join('\n')}\n}`;
}

/** graph-node's hard limit on `first`. */
export const MAX_FIRST = 1000;
