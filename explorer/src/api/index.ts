export * from './graphql.ts';
export * from './client.ts';
export * from './paging.ts';
