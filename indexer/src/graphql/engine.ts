// The query engine: the generated schema with resolvers bound to a store, plus
// graph-node's response post-processing (indexing errors and `subgraphError`).
// Used by the HTTP server (through Apollo) and directly by tests and the bench.
//
// graphql is imported as 'graphql/index.js' throughout src/graphql and src/server: that
// is the module Node resolves 'graphql' to for Apollo and graphql-armor (CJS main), while
// Vite/Vitest would resolve a bare 'graphql' to the ESM build, a second instance that
// graphql-js refuses to mix ("Cannot use GraphQLSchema from another module or realm").
import {
  execute,
  GraphQLError,
  GraphQLInterfaceType,
  GraphQLObjectType,
  parse,
  validate,
  type ExecutionResult,
  type FieldNode,
  type FormattedExecutionResult,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql/index.js';
import type { SchemaModel } from '../schema/model.js';
import type { StoreReader } from '../store/reader.js';
import { INDEXING_ERROR, QueryExecutionError } from './errors.js';
import { Executor } from './execute.js';
import { buildApiSchema, rootFields } from './schema.js';
import { collectFields, type Selection } from './fields.js';

/** Per-request state: which root fields ran at a block with indexing errors, and their policy. */
export interface QueryContext {
  roots: { key: string; hasErrors: boolean; deny: boolean }[];
}

export const newQueryContext = (): QueryContext => ({ roots: [] });

export interface QueryEngine {
  schema: GraphQLSchema;
  executor: Executor;
  /** Parse, validate, execute and post-process like graph-node; the JSON body it would answer. */
  run(query: string, variables?: Record<string, unknown>, operationName?: string): FormattedExecutionResult;
}

/** Fields below the root read their value from the object the root resolver built, by response key. */
const byResponseKey: GraphQLFieldResolver<Record<string, unknown>, unknown> = (source, _args, _ctx, info) =>
  source[info.path.key as string];

const selectionOf = (info: Parameters<GraphQLFieldResolver<unknown, unknown>>[3]): Selection => ({
  fragments: info.fragments,
  variables: info.variableValues,
});

export function createQueryEngine(store: StoreReader, model: SchemaModel): QueryEngine {
  const schema = buildApiSchema(model);
  const executor = new Executor(store, model, schema);

  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (type instanceof GraphQLInterfaceType)
      type.resolveType = (v) => (v as { __typename: string }).__typename;
    if (type instanceof GraphQLObjectType && type.name !== 'Query')
      for (const f of Object.values(type.getFields())) f.resolve = byResponseKey;
  }

  const query = schema.getQueryType()!.getFields();
  const record = (ctx: QueryContext | undefined, key: string, block: number, deny: boolean) =>
    ctx?.roots.push({ key, hasErrors: executor.hasIndexingErrors(block), deny });

  for (const [name, root] of rootFields(model)) {
    const entity = model.entity(root.entity);
    query[name]!.resolve = (_src, args: Record<string, unknown>, ctx: QueryContext | undefined, info) => {
      const block = executor.resolveBlock(args['block']);
      record(ctx, info.path.key as string, block.number, args['subgraphError'] !== 'allow');
      return root.kind === 'single'
        ? executor.single(entity, String(args['id']), block, info.fieldNodes, selectionOf(info))
        : executor.plural(entity, args, block, info.fieldNodes, selectionOf(info));
    };
  }
  query['_meta']!.resolve = (_src, args: Record<string, unknown>, ctx: QueryContext | undefined, info) => {
    const block = executor.resolveBlock(args['block']);
    record(ctx, info.path.key as string, block.number, true);
    return project(model, executor.meta(block), info.fieldNodes, selectionOf(info), '_Meta_');
  };

  return {
    schema,
    executor,
    run(text, variables, operationName) {
      let document;
      try {
        document = parse(text);
      } catch (e) {
        return { errors: [formatError(e as GraphQLError)] };
      }
      const validationErrors = validate(schema, document);
      if (validationErrors.length > 0) return { errors: validationErrors.map(formatError) };
      const ctx = newQueryContext();
      const result = execute({
        schema,
        document,
        variableValues: variables,
        operationName,
        contextValue: ctx,
      });
      if ('then' in result) throw new Error('the query engine is synchronous');
      return postProcess(toFormatted(result), ctx);
    },
  };
}

/** `_meta` values keyed by response key (aliases, fragments, @skip/@include) like every other object we return. */
function project(
  model: SchemaModel,
  value: Record<string, unknown>,
  nodes: readonly FieldNode[],
  sel: Selection,
  typeName: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, fieldNodes] of collectFields(
    model,
    sel,
    nodes.map((n) => n.selectionSet),
    typeName,
  )) {
    const name = fieldNodes[0]!.name.value;
    const v = value[name];
    out[key] =
      name === 'block' && v && typeof v === 'object'
        ? project(model, v as Record<string, unknown>, fieldNodes, sel, '_Block_')
        : v;
  }
  return out;
}

export interface FormattedQueryError {
  message: string;
  locations?: readonly { line: number; column: number }[];
  /** Internal: an error planning a root field, which drops the data (removed by postProcess). */
  __drop?: boolean;
}

/**
 * graph-node's error shape: a message and, for errors tied to the query text, locations
 * (no `path`, no `extensions`). Planning errors (QueryExecutionError) carry no location and
 * fail the whole query; graphql-js's null-for-non-null error gets graph-node's wording.
 */
export function formatError(e: {
  message: string;
  locations?: readonly { line: number; column: number }[];
  originalError?: unknown;
}): FormattedQueryError {
  if (e.originalError instanceof QueryExecutionError)
    return { message: e.originalError.message, __drop: true };
  const nonNull = /^Cannot return null for non-nullable field [^.]+\.([^.]+)\.$/.exec(e.message);
  const message = nonNull
    ? `Null value resolved for non-null field \`${nonNull[1]}\``
    : // graphql-armor reports its limits as "Syntax Error: ..."; the query's syntax is fine.
      e.message.replace(/^Syntax Error: (?=(Query depth|Aliases|Query Cost|Directives) limit)/, '');
  return e.locations && e.locations.length > 0 ? { message, locations: [...e.locations] } : { message };
}

function toFormatted(result: ExecutionResult): FormattedExecutionResult {
  const errors = result.errors?.map(formatError);
  return errors ? { data: result.data, errors } : { data: result.data };
}

/**
 * What graph-node does after executing (graphql/src/store/resolver.rs `post_process`
 * and prefetch error handling):
 *  - an error while planning a root field (bad block, `first`, filter, ordering)
 *    fails the whole query: the response has errors and no data;
 *  - over a block with non-fatal indexing errors, a successful response gets the single
 *    error `indexing_error`, unless only `_meta` was queried; with `subgraphError: deny`
 *    (the default) the data is dropped except `_meta`, `__schema` and `__type`.
 */
export function postProcess(result: FormattedExecutionResult, ctx: QueryContext): FormattedExecutionResult {
  const errors = (result.errors ?? []) as (FormattedExecutionResult['errors'] & object)[number][];
  if (errors.length > 0) {
    const drop = errors.some((e) => (e as { __drop?: boolean }).__drop);
    const clean = errors.map(({ message, locations }) => (locations ? { message, locations } : { message }));
    return drop || result.data === null || result.data === undefined
      ? { errors: clean }
      : { data: result.data, errors: clean };
  }
  const data = result.data as Record<string, unknown> | null | undefined;
  if (!data) return result;
  const withErrors = ctx.roots.filter((r) => r.hasErrors);
  if (withErrors.length === 0) return { data };
  if (Object.keys(data).every((k) => k === '_meta')) return { data };
  const deny = withErrors.some((r) => r.deny); // `_meta` takes no subgraphError: it counts as deny, as in graph-node
  if (!deny) return { data, errors: [{ message: INDEXING_ERROR }] };
  const kept: Record<string, unknown> = {};
  for (const k of ['_meta', '__schema', '__type']) if (k in data) kept[k] = data[k];
  return Object.keys(kept).length > 0
    ? { data: kept, errors: [{ message: INDEXING_ERROR }] }
    : { errors: [{ message: INDEXING_ERROR }] };
}
