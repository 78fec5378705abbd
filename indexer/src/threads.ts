// Worker threads running this package's TypeScript modules as they are (there is
// no build step): the thread first registers tsx's hooks, as the `ggn` command
// does, then imports its module. Shared by the store's writer thread and the
// chain source's thread.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * The script a thread starts from. Dynamic imports only: an eval'd worker is
 * CommonJS, or an ES module when this process was started with
 * --input-type=module (workers inherit it). `prelude` runs first, with the
 * thread's data as `data`; `onFailure` runs, with the error as `e`, when the
 * module cannot be loaded.
 */
const boot = (prelude: string, onFailure: string) => `
import('node:worker_threads').then(async ({ workerData: data }) => {
  ${prelude}
  try {
    if (data.tsx) (await import(data.tsx)).register();
    await import(data.url);
  } catch (e) {
    ${onFailure || 'throw e;'}
  }
});
`;

export interface ModuleWorkerOptions extends Omit<WorkerOptions, 'eval' | 'workerData'> {
  /** Code run before the module loads, with the worker data as `data`. */
  prelude?: string;
  /** Code run if the module fails to load, with the error as `e` (default: rethrow, an 'error' event). */
  onFailure?: string;
}

/**
 * A thread running `module` (a path relative to `from`, without extension: the
 * caller's own extension is used, `.ts` under tsx, `.js` once built).
 */
export function moduleWorker(
  from: string,
  module: string,
  workerData: object,
  opts: ModuleWorkerOptions = {},
): Worker {
  const { prelude = '', onFailure = '', ...options } = opts;
  const ts = from.endsWith('.ts');
  const data = {
    ...workerData,
    url: new URL(`${module}.${ts ? 'ts' : 'js'}`, from).href,
    // tsx's ESM entry (its CommonJS one cannot register from an eval'd worker).
    tsx: ts
      ? pathToFileURL(
          createRequire(from)
            .resolve('tsx/esm/api')
            .replace(/\.cjs$/, '.mjs'),
        ).href
      : null,
  };
  return new Worker(boot(prelude, onFailure), { ...options, eval: true, workerData: data });
}
