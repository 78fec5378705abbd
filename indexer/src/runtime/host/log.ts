// log.log: level 0 (critical) fails the handler deterministically, as in graph-node.
import { readString } from '../asc/codec.js';
import { det } from '../errors.js';
import type { HostNamespace, LogLevel } from './env.js';

const LEVELS: LogLevel[] = ['critical', 'error', 'warning', 'info', 'debug'];

export const logImports: HostNamespace = {
  'log.log': (env) => (level: number, msgPtr: number) => {
    const msg = readString(env.heap, msgPtr >>> 0);
    const lvl = LEVELS[level >>> 0] ?? 'debug';
    env.log(lvl, msg);
    if (lvl === 'critical') throw det(`Critical error logged in mapping with log message: ${msg}`);
  },
};
