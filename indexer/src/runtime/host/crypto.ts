import { keccak256 } from 'viem';
import { readBytes, writeBytes } from '../asc/codec.js';
import type { HostNamespace } from './env.js';

export const cryptoImports: HostNamespace = {
  'crypto.keccak256': (env) => (ptr: number) =>
    writeBytes(env.heap, keccak256(readBytes(env.heap, ptr >>> 0), 'bytes')),
};
