// The GraphQL layer: graph-node's generated API over the embedded store.
export { createQueryEngine, postProcess, type QueryEngine, type QueryContext } from './engine.js';
export { apiSchemaSDL, buildApiSchema, rootFields } from './schema.js';
export { rootFieldNames, toCamelCase, toPlural } from './naming.js';
export { MAX_FIRST, MAX_SKIP } from './execute.js';
