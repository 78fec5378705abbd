// One compiled mapping (graph-node's ValidModule + WasmInstance, runtime/wasm/src/module):
// compiled once, imports checked against the host table at load, and a fresh
// instance per trigger (graph-node semantics: globals and the bump heap start
// from scratch for every handler call).
import { AscHeap, type AscExports } from './asc/heap.js';
import { CallCacheMiss, DeterministicError, NonDeterministicError, isDeterministic } from './errors.js';
import { HOST, HOST_IMPORTS } from './host/index.js';
import type { HostEnv } from './host/env.js';

/** Host names graph-node injects itself and graph-cli output never imports; linked as no-ops. */
const IGNORED_IMPORTS = new Set(['gas']);

export interface HandlerFailure {
  message: string;
  deterministic: boolean;
}

export class MappingModule {
  private readonly classIds = new Map<number, number>();

  private constructor(
    readonly module: WebAssembly.Module,
    readonly file: string,
    readonly apiVersion: number,
    private readonly imports: WebAssembly.ModuleImportDescriptor[],
  ) {}

  /** Compile and validate. `file` names the module in errors; `apiVersion` is the manifest's "0.0.x". */
  static async compile(bytes: Uint8Array, file: string, apiVersion: string): Promise<MappingModule> {
    const m = /^0\.0\.(\d+)$/.exec(apiVersion);
    const patch = m ? Number(m[1]) : NaN;
    if (!(patch >= 5 && patch <= 9))
      throw new Error(`${file}: apiVersion ${apiVersion} is not supported (this host runs 0.0.5 to 0.0.9)`);
    const module = await WebAssembly.compile(bytes as BufferSource);
    const imports = WebAssembly.Module.imports(module);
    const known = new Set(HOST_IMPORTS);
    const unknown = imports.filter(
      (i) => i.kind === 'function' && !known.has(i.name) && !IGNORED_IMPORTS.has(i.name),
    );
    if (unknown.length > 0)
      throw new Error(
        `${file}: unknown host import${unknown.length > 1 ? 's' : ''} ${unknown.map((i) => `${i.module}.${i.name}`).join(', ')}; graph-node would refuse to link this module`,
      );
    const other = imports.filter((i) => i.kind !== 'function');
    if (other.length > 0)
      throw new Error(
        `${file}: imports ${other.map((i) => `${i.kind} ${i.module}.${i.name}`).join(', ')}, which the host does not provide`,
      );
    const exportNames = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
    for (const need of ['memory', '__new', 'id_of_type', '_start'])
      if (!exportNames.has(need))
        throw new Error(`${file}: missing export \`${need}\` (not built by graph-cli?)`);
    return new MappingModule(module, file, patch, imports);
  }

  get exportNames(): string[] {
    return WebAssembly.Module.exports(this.module).map((e) => e.name);
  }

  /** A fresh instance bound to `env` (whose `heap` is filled in here), with `_start` already run. */
  instantiate(env: Omit<HostEnv, 'heap'>): { exports: AscExports; env: HostEnv } {
    const full = env as HostEnv;
    const importObject: Record<string, Record<string, unknown>> = {};
    for (const imp of this.imports) {
      const ns = (importObject[imp.module] ??= {});
      const make = HOST[imp.name];
      ns[imp.name] = make ? make(full) : () => undefined; // only IGNORED_IMPORTS reach the fallback
    }
    const instance = new WebAssembly.Instance(this.module, importObject as WebAssembly.Imports);
    const exports = instance.exports as unknown as AscExports;
    full.heap = new AscHeap(exports, this.classIds);
    // Must run before any allocation: it initialises the stub allocator's offset.
    exports._start!();
    return { exports, env: full };
  }

  /**
   * Run `handler` on a fresh instance. `writeArg` serialises the trigger into the new heap.
   * Returns null on success, or the failure; CallCacheMiss and non-deterministic errors are rethrown.
   */
  run(
    env: Omit<HostEnv, 'heap'>,
    handler: string,
    writeArg: (env: HostEnv) => number,
  ): HandlerFailure | null {
    const { exports, env: full } = this.instantiate(env);
    const fn = exports[handler];
    if (typeof fn !== 'function') throw new Error(`${this.file}: handler \`${handler}\` is not exported`);
    try {
      const arg = writeArg(full);
      (fn as (p: number) => void)(arg);
      return null;
    } catch (e) {
      if (e instanceof CallCacheMiss || e instanceof NonDeterministicError) throw e;
      if (isDeterministic(e)) return { message: describe(e), deterministic: true };
      if (e instanceof RangeError) return { message: `${e.message} (stack overflow)`, deterministic: false };
      throw e;
    }
  }
}

function describe(e: unknown): string {
  if (e instanceof DeterministicError) return e.message;
  if (e instanceof WebAssembly.RuntimeError) return `wasm trap: ${e.message}`;
  return String(e);
}
