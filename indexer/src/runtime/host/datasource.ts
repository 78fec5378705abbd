// dataSource.*: the running data source's identity and template instantiation.
import { readArray, readEntity, readString, writeBytes, writeEntity, writeString } from '../asc/codec.js';
import { det } from '../errors.js';
import type { Entity } from '../../schema/values.js';
import type { HostEnv, HostNamespace } from './env.js';

function create(env: HostEnv, name: string, params: string[], context: Entity | null): void {
  const ds = env.dataSource;
  if (!ds.templates.includes(name))
    throw det(
      `Failed to create data source from name \`${name}\`: No template with this name in parent data source \`${ds.name}\`. Available names: ${ds.templates.join(', ')}.`,
    );
  env.createDataSource(name, params, context);
}

export const dataSourceImports: HostNamespace = {
  'dataSource.create': (env) => (name: number, params: number) =>
    create(
      env,
      readString(env.heap, name >>> 0),
      readArray(env.heap, params >>> 0).map((p) => readString(env.heap, p)),
      null,
    ),
  'dataSource.createWithContext': (env) => (name: number, params: number, ctx: number) =>
    create(
      env,
      readString(env.heap, name >>> 0),
      readArray(env.heap, params >>> 0).map((p) => readString(env.heap, p)),
      readEntity(env.heap, ctx >>> 0),
    ),
  'dataSource.address': (env) => () => writeBytes(env.heap, env.dataSource.address),
  'dataSource.network': (env) => () => writeString(env.heap, env.dataSource.network),
  'dataSource.context': (env) => () => writeEntity(env.heap, env.dataSource.context ?? new Map()),
};
