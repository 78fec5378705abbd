// The deployment id: a content hash of the built subgraph (the manifest and every
// file it references: schema, WASM, ABIs). A store file belongs to exactly one
// deployment, so rebuilding the subgraph with any change starts a fresh index
// instead of mixing two versions' entities. graph-node uses the IPFS hash of the
// manifest; ours is a SHA-256 of the same inputs (not an IPFS CID).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export const MANIFEST = 'subgraph.yaml';

function referencedFiles(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) for (const n of node) referencedFiles(n, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'file' && typeof v === 'string') out.add(v);
      else referencedFiles(v, out);
    }
  }
}

export function deploymentId(buildDir: string): string {
  const manifestText = readFileSync(path.join(buildDir, MANIFEST));
  const files = new Set<string>();
  referencedFiles(parse(manifestText.toString('utf8')), files);
  const h = createHash('sha256');
  h.update(MANIFEST).update('\0').update(manifestText).update('\0');
  for (const f of [...files].sort()) {
    h.update(f)
      .update('\0')
      .update(readFileSync(path.resolve(buildDir, f)))
      .update('\0');
  }
  return h.digest('hex');
}

/** The schema file the manifest names (graph build copies it next to the manifest). */
export function schemaPath(buildDir: string): string {
  const manifest = parse(readFileSync(path.join(buildDir, MANIFEST), 'utf8')) as {
    schema?: { file?: string };
  };
  const file = manifest.schema?.file;
  if (!file) throw new Error(`${path.join(buildDir, MANIFEST)} names no schema file`);
  return path.resolve(buildDir, file);
}
