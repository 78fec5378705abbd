// The host import table: every import name graph-node links, by name (graph-node
// ignores the module name, graph-host-abi.md §2.1).
import { abortImports } from './abort.js';
import { bigDecimalImports } from './bigdecimal.js';
import { bigIntImports } from './bigint.js';
import { conversionImports } from './conversion.js';
import { cryptoImports } from './crypto.js';
import { dataSourceImports } from './datasource.js';
import type { HostNamespace } from './env.js';
import { ethereumImports } from './ethereum.js';
import { jsonImports } from './json.js';
import { logImports } from './log.js';
import { storeImports } from './store.js';
import { unsupportedImports } from './unsupported.js';
import { yamlImports } from './yaml.js';

export const HOST: HostNamespace = {
  ...abortImports,
  ...storeImports,
  ...logImports,
  ...cryptoImports,
  ...conversionImports,
  ...bigIntImports,
  ...bigDecimalImports,
  ...jsonImports,
  ...yamlImports,
  ...dataSourceImports,
  ...ethereumImports,
  ...unsupportedImports,
};

/** Every import name a mapping may use. Built graph-cli WASM must import a subset of these. */
export const HOST_IMPORTS: readonly string[] = Object.freeze(Object.keys(HOST).sort());

export type { HostEnv, HostStore, HostCalls, HostDataSource, LogLevel } from './env.js';
