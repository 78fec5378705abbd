// One compiled mapping (graph-node's ValidModule + WasmInstance, runtime/wasm/src/module):
// compiled once, imports checked against the host table at load, and every
// trigger runs on an instance in the state a fresh one has after `_start`
// (graph-node semantics: globals and the bump heap start from scratch for every
// handler call).
//
// A fresh WebAssembly.Instance costs 150-300 µs (memory reservation, ~200 exports,
// GC pressure), more than most handlers. So one instance is reused, and between
// triggers its whole state is put back to the post-`_start` snapshot: every byte
// of memory, every mutable global (exported for this by wasm-binary.ts), and its
// tables are checked unchanged. That is observably identical to a fresh instance
// because that is all the state a wasm instance has, and the host side keeps
// none (imports read the per-trigger env at call time). Three cases still take a
// fresh instance: a module whose `_start` calls the host (its state could depend
// on the trigger's env), a module wasm-binary.ts cannot fully export, and an
// instance whose memory grew or whose table changed during a handler (memory
// cannot shrink, and a fresh instance would have the declared size).
import { AscHeap, StringCache, type AscExports } from './asc/heap.js';
import { CallCacheMiss, DeterministicError, NonDeterministicError, isDeterministic } from './errors.js';
import { HOST, HOST_IMPORTS } from './host/index.js';
import type { HostEnv } from './host/env.js';
import { prepareForReuse, type ReusePlan } from './wasm-binary.js';

/** Host names graph-node injects itself and graph-cli output never imports; linked as no-ops. */
const IGNORED_IMPORTS = new Set(['gas']);

export interface HandlerFailure {
  message: string;
  deterministic: boolean;
}

export interface CompileOptions {
  /** Reuse one instance, restored to its post-`_start` state between triggers (default true). */
  reuseInstances?: boolean;
}

/** The state of a fresh instance right after `_start`. */
interface Snapshot {
  memory: Uint8Array;
  globals: Array<number | bigint>;
}

/** An instance kept across triggers; `env` is the object its imports were bound to. */
interface Reusable {
  exports: AscExports;
  env: HostEnv;
  globals: WebAssembly.Global[];
  tables: WebAssembly.Table[];
  /** Table entries after `_start`, to check that no handler changed them. */
  tableEntries: unknown[][];
}

export class MappingModule {
  private readonly classIds = new Map<number, number>();
  /** Strings decoded from this module's instances, by address (asc/codec.ts readString). */
  private readonly strings = new StringCache();
  /** undefined: not probed yet; null: this module always runs on fresh instances. */
  private snapshot: Snapshot | null | undefined;
  private spare: Reusable | null = null;
  /** How triggers were run: on a newly made instance or on a restored one. */
  readonly stats = { freshInstances: 0, reusedInstances: 0 };

  private constructor(
    readonly module: WebAssembly.Module,
    readonly file: string,
    readonly apiVersion: number,
    private readonly imports: WebAssembly.ModuleImportDescriptor[],
    /** The module with its state exported (wasm-binary.ts), or null when instances are not reused. */
    private readonly reusable: { module: WebAssembly.Module; plan: ReusePlan } | null,
  ) {
    if (!reusable) this.snapshot = null;
  }

  /** Compile and validate. `file` names the module in errors; `apiVersion` is the manifest's "0.0.x". */
  static async compile(
    bytes: Uint8Array,
    file: string,
    apiVersion: string,
    opts: CompileOptions = {},
  ): Promise<MappingModule> {
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
    const plan = opts.reuseInstances === false ? null : prepareForReuse(bytes);
    const reusable = plan && { module: await WebAssembly.compile(plan.bytes as BufferSource), plan };
    return new MappingModule(module, file, patch, imports, reusable);
  }

  /** True once a snapshot was taken and triggers run on restored instances. */
  get reusesInstances(): boolean {
    if (this.snapshot === undefined) this.snapshot = this.probe();
    return this.snapshot !== null;
  }

  get exportNames(): string[] {
    return WebAssembly.Module.exports(this.module).map((e) => e.name);
  }

  /** A fresh instance bound to `env` (whose `heap` is filled in here), with `_start` already run. */
  instantiate(env: Omit<HostEnv, 'heap'>): { exports: AscExports; env: HostEnv } {
    const full = env as HostEnv;
    const instance = new WebAssembly.Instance(this.module, this.importObject(full));
    const exports = instance.exports as unknown as AscExports;
    full.heap = new AscHeap(exports, this.classIds, this.strings);
    // Must run before any allocation: it initialises the stub allocator's offset.
    exports._start!();
    this.stats.freshInstances++;
    return { exports, env: full };
  }

  private importObject(env: HostEnv, bind = (name: string) => HOST[name]?.(env)): WebAssembly.Imports {
    const importObject: Record<string, Record<string, unknown>> = {};
    for (const imp of this.imports) {
      const ns = (importObject[imp.module] ??= {});
      ns[imp.name] = bind(imp.name) ?? (() => undefined); // only IGNORED_IMPORTS reach the fallback
    }
    return importObject as WebAssembly.Imports;
  }

  /**
   * Runs `_start` on an instance whose imports only record that they were called.
   * If none was, `_start` depends on nothing but the module, and its resulting
   * state is what every fresh instance has when the handler starts.
   */
  private probe(): Snapshot | null {
    if (!this.reusable) return null;
    let called = false;
    const trip = () => {
      called = true;
      throw new Error('host call during _start');
    };
    let exports: AscExports & Record<string, WebAssembly.Global>;
    try {
      // A wasm start section that calls the host fails here already.
      const instance = new WebAssembly.Instance(
        this.reusable.module,
        this.importObject({} as HostEnv, () => trip),
      );
      exports = instance.exports as unknown as AscExports & Record<string, WebAssembly.Global>;
      exports._start!();
    } catch {
      return null;
    }
    if (called) return null;
    return {
      memory: new Uint8Array(exports.memory.buffer.slice(0)),
      globals: this.reusable.plan.globals.map((g) => exports[g]!.value as number | bigint),
    };
  }

  /**
   * For tests: the post-`_start` snapshot and the state of the instance waiting
   * for the next trigger (null when there is none, e.g. after its memory grew).
   */
  reuseState(): { snapshot: Snapshot; spare: Snapshot | null } | null {
    if (!this.reusesInstances) return null;
    const spare = this.spare;
    return {
      snapshot: this.snapshot!,
      spare: spare && {
        memory: new Uint8Array(spare.exports.memory.buffer.slice(0)),
        globals: spare.globals.map((g) => g.value as number | bigint),
      },
    };
  }

  /** A new instance for reuse, in the post-`_start` state, its imports bound to its own env object. */
  private makeReusable(): Reusable {
    const { module, plan } = this.reusable!;
    const env = {} as HostEnv;
    const instance = new WebAssembly.Instance(module, this.importObject(env));
    const all = instance.exports as unknown as Record<string, unknown>;
    const exports = all as unknown as AscExports;
    env.heap = new AscHeap(exports, this.classIds, this.strings);
    exports._start!(); // calls no import (probe), so the env's contents do not matter
    this.stats.freshInstances++;
    const tables = plan.tables.map((t) => all[t] as WebAssembly.Table);
    return {
      exports,
      env,
      globals: plan.globals.map((g) => all[g] as WebAssembly.Global),
      tables,
      tableEntries: tables.map(entries),
    };
  }

  /** Puts `inst` back in the post-`_start` state and keeps it, or drops it if that is impossible. */
  private release(inst: Reusable): void {
    const snap = this.snapshot!;
    const buf = inst.exports.memory.buffer;
    if (buf.byteLength !== snap.memory.length) return; // grew: a fresh instance would be smaller
    for (let t = 0; t < inst.tables.length; t++) {
      const now = entries(inst.tables[t]!);
      const then = inst.tableEntries[t]!;
      if (now.length !== then.length || now.some((f, i) => f !== then[i])) return;
    }
    new Uint8Array(buf).set(snap.memory);
    for (let g = 0; g < inst.globals.length; g++) inst.globals[g]!.value = snap.globals[g];
    this.spare = inst;
  }

  /**
   * Run `handler` on an instance in a fresh instance's state (a restored one when the module
   * allows it, see the top of this file). `writeArg` serialises the trigger into its heap.
   * Returns null on success, or the failure; CallCacheMiss and non-deterministic errors are rethrown.
   */
  run(
    env: Omit<HostEnv, 'heap'>,
    handler: string,
    writeArg: (env: HostEnv) => number,
  ): HandlerFailure | null {
    if (this.snapshot === undefined) this.snapshot = this.probe();
    if (this.snapshot === null) return this.runOn(this.instantiate(env), handler, writeArg);
    // A nested run (none today) would find no spare and get its own instance.
    const inst = this.spare ?? this.makeReusable();
    if (inst === this.spare) this.stats.reusedInstances++;
    this.spare = null;
    Object.assign(inst.env, env);
    try {
      return this.runOn(inst, handler, writeArg);
    } finally {
      this.release(inst);
    }
  }

  private runOn(
    { exports, env: full }: { exports: AscExports; env: HostEnv },
    handler: string,
    writeArg: (env: HostEnv) => number,
  ): HandlerFailure | null {
    const fn = exports[handler];
    if (typeof fn !== 'function') throw new Error(`${this.file}: handler \`${handler}\` is not exported`);
    try {
      full.heap.written.nextTrigger(); // a restored instance reuses the last trigger's addresses
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

function entries(t: WebAssembly.Table): unknown[] {
  const out: unknown[] = new Array(t.length);
  for (let i = 0; i < t.length; i++) out[i] = t.get(i);
  return out;
}

function describe(e: unknown): string {
  if (e instanceof DeterministicError) return e.message;
  if (e instanceof WebAssembly.RuntimeError) return `wasm trap: ${e.message}`;
  return String(e);
}
