// The built WASM modules may import only what the embedded host provides, and
// must export what graph-node calls. `npm test` builds first (npm run build).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { HOST_IMPORTS as HOST_IMPORT_NAMES } from '@ggn/indexer/runtime/host/index.ts';

const BUILD_DIR = fileURLToPath(new URL('../build/', import.meta.url));

// The embedded host's own import table: graph-node links imports by name and
// ignores the module name, so names are what must match.
const HOST_IMPORTS = new Set(HOST_IMPORT_NAMES);

// What graph-node looks up on every instance (graph-host-abi.md §2).
const RUNTIME_EXPORTS = ['memory', '_start', 'allocate', 'id_of_type'];

interface ManifestMapping {
  file: string;
  eventHandlers?: { event: string; handler: string }[];
}
interface ManifestSource {
  name: string;
  mapping: ManifestMapping;
}

function builtModules(): { name: string; wasm: string; handlers: string[] }[] {
  const manifestFile = join(BUILD_DIR, 'subgraph.yaml');
  if (!existsSync(manifestFile)) throw new Error(`${manifestFile} missing: run \`npm run build\` first`);
  const manifest = parse(readFileSync(manifestFile, 'utf8')) as {
    dataSources: ManifestSource[];
    templates?: ManifestSource[];
  };
  return [...manifest.dataSources, ...(manifest.templates ?? [])].map((ds) => ({
    name: ds.name,
    wasm: join(dirname(manifestFile), ds.mapping.file),
    handlers: (ds.mapping.eventHandlers ?? []).map((h) => h.handler),
  }));
}

describe('built WASM modules', () => {
  const modules = builtModules();

  it('exist for the factory and both templates', () => {
    expect(modules.map((m) => m.name)).toEqual(['GGNFactory', 'AreaDAO', 'AreaGovernanceToken']);
    expect(modules.map((m) => m.handlers.length)).toEqual([1, 16, 1]);
  });

  for (const m of modules) {
    describe(m.name, () => {
      const module = new WebAssembly.Module(readFileSync(m.wasm));
      const imports = WebAssembly.Module.imports(module);
      const exports = WebAssembly.Module.exports(module).map((e) => e.name);

      it('imports only functions the host provides', () => {
        expect(imports.length).toBeGreaterThan(0);
        expect(imports.filter((i) => i.kind !== 'function' || !HOST_IMPORTS.has(i.name))).toEqual([]);
      });

      it('reads chain data from events only (no ethereum.call)', () => {
        expect(imports.map((i) => i.name).filter((n) => n.startsWith('ethereum.'))).toEqual([]);
      });

      it('exports its handlers and the runtime entry points', () => {
        expect(m.handlers.length).toBeGreaterThan(0);
        for (const name of [...m.handlers, ...RUNTIME_EXPORTS]) expect(exports, name).toContain(name);
      });
    });
  }
});
