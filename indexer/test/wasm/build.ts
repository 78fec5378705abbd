// Compiles AssemblyScript test modules the way graph-cli 0.98.1 does
// (packages/cli/src/compiler/asc.ts): AssemblyScript 0.19.23 with
// `--explicitStart --exportRuntime --runtime stub --optimize --debug` and
// graph-ts's global/global.ts as a second entry. Output goes to a temp
// directory keyed by the source hash, so nothing binary is committed and
// unchanged modules are not rebuilt.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const graphTsDir = dirname(require.resolve('@graphprotocol/graph-ts/package.json'));
const nodeModules = dirname(dirname(graphTsDir));
const cacheDir = join(tmpdir(), 'ggn-indexer-wasm');

/** Build test/wasm/<name>.ts; returns the .wasm path. */
export async function buildTestModule(name: string): Promise<string> {
  const entry = resolve(here, `${name}.ts`);
  const version = JSON.parse(readFileSync(join(graphTsDir, 'package.json'), 'utf8')).version as string;
  const digest = createHash('sha256').update(readFileSync(entry)).update(version).digest('hex').slice(0, 16);
  mkdirSync(cacheDir, { recursive: true });
  const out = join(cacheDir, `${name}-${digest}.wasm`);
  if (existsSync(out)) return out;
  const tmp = `${out}.${process.pid}.tmp`;
  const asc = (await import('assemblyscript/cli/asc' as string)) as {
    ready: Promise<void>;
    main(argv: string[], opts: object, cb: (err: Error | null) => number): void;
  };
  await asc.ready;
  let output = '';
  const sink = { write: (s: string | Uint8Array) => ((output += String(s)), true) };
  let failure: Error | null = null;
  asc.main(
    [
      '--explicitStart',
      '--exportRuntime',
      '--runtime',
      'stub',
      entry,
      join(graphTsDir, 'global/global.ts'),
      '--baseDir',
      dirname(nodeModules),
      '--lib',
      nodeModules,
      '--outFile',
      tmp,
      '--optimize',
      '--debug',
    ],
    { stdout: sink, stderr: sink },
    (err) => {
      failure = err;
      return 0;
    },
  );
  if (failure || !existsSync(tmp)) throw new Error(`asc failed for ${name}: ${failure ?? ''}\n${output}`);
  renameSync(tmp, out);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const name of process.argv.slice(2)) console.log(await buildTestModule(name));
}
