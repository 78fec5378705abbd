// Query errors with graph-node's exact texts (graph/src/data/query/error.rs,
// graph/src/data/subgraph/mod.rs `block_queryable`, graphql/src/store/resolver.rs).
// Thrown while planning or running a root field; graph-node reports these with
// no `locations` and without any data for the query (its prefetch fails as a whole).

export class QueryExecutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryExecutionError';
  }
}

const err = (m: string): QueryExecutionError => new QueryExecutionError(m);

export const rangeArgumentsError = (arg: 'first' | 'skip', max: number, actual: number) =>
  err(`The \`${arg}\` argument must be between 0 and ${max}, but is ${actual}`);

/** `ValueParseError(field, msg)`: "Failed to decode `field` value: `msg`". */
export const valueParseError = (what: string, msg: string) =>
  err(`Failed to decode \`${what}\` value: \`${msg}\``);

export const notYetIndexed = (deployment: string, latest: number, wanted: number) =>
  `subgraph ${deployment} has only indexed up to block number ${latest} and data for block number ${wanted} is therefore not yet available`;

export const prunedAway = (deployment: string, earliest: number, wanted: number) =>
  `subgraph ${deployment} only has data starting at block number ${earliest} and data for block number ${wanted} is therefore not available`;

export const invalidFilterError = () => err('Filter must by an object'); // sic, graph-node's text

export const entityFieldError = (entity: string, attr: string) =>
  err(`Entity \`${entity}\` has no attribute \`${attr}\``);

export const orderByNotSupported = (entity: string, field: string) =>
  err(`Ordering by \`${field}\` is not supported for type \`${entity}\``);

export const childFilterNesting = (attr: string, filter: string) =>
  err(`Child filter nesting not supported by value \`${attr}\`: \`${filter}\``);

export const unsupportedFilter = (filter: string, value: string) =>
  err(`Filter not supported by value \`${value}\`: \`${filter}\``);

export function invalidOrFilterStructure(columns: string[]): QueryExecutionError {
  const list = columns.map((c) => `'${c}'`).join(', ');
  return err(
    `Cannot mix column filters with 'or' operator at the same level. Found column filter(s) ${list} alongside 'or' operator.\n\n` +
      `Instead of:\nwhere: { ${list}, or: [...] }\n\nUse:\nwhere: { or: [{ ${list}, ... }, { ${list}, ... }] }`,
  );
}

/**
 * An error of one field while completing values: graph-node reports it with the
 * field's location and keeps the rest of the data (the field becomes null).
 */
export class FieldError extends Error {}

export const ambiguousDerivedFromResult = (field: string, targetType: string, targetField: string) =>
  new FieldError(
    `Ambiguous result for derived field \`${field}\`: Multiple \`${targetType}\` entities refer back via \`${targetField}\``,
  );

/** The error graph-node adds to any response over a deployment with non-fatal indexing errors. */
export const INDEXING_ERROR = 'indexing_error';
