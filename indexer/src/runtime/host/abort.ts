// env.abort: AssemblyScript's assert/throw land here (graph-node host_exports.rs `abort`).
import { readNullableString } from '../asc/codec.js';
import { det } from '../errors.js';
import type { HostNamespace } from './env.js';

/** graph-node's text: "Mapping aborted at <file>, line <l>, column <c>, with message: <msg>". */
export function abortMessage(message: string | null, file: string | null, line: number, col: number): string {
  const msg = message !== null ? `message: ${message}` : 'no message';
  let location: string;
  if (file === null) location = 'an unknown location';
  else if (line === 0) location = file;
  else if (col === 0) location = `${file}, line ${line}`;
  else location = `${file}, line ${line}, column ${col}`;
  return `Mapping aborted at ${location}, with ${msg}`;
}

export const abortImports: HostNamespace = {
  abort: (env) => (msgPtr: number, filePtr: number, line: number, col: number) => {
    const h = env.heap;
    throw det(
      abortMessage(
        readNullableString(h, msgPtr >>> 0),
        readNullableString(h, filePtr >>> 0),
        line >>> 0,
        col >>> 0,
      ),
    );
  },
};
