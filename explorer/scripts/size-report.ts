// Gzip bytes each route loads, from the Vite manifest of `vite build`.
//
// A route loads the entry chunk (shell: React, router, API client, header) and
// its static imports, then its lazy page chunk and that chunk's static imports
// not already loaded. Prints a table and writes dist/size-report.json.
// Usage: npm run size -w explorer   (runs after `vite build`)
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

interface Chunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
type Manifest = Record<string, Chunk>;

/** Route → its lazy page module (mirrors src/app/App.tsx). */
export const ROUTES: Record<string, string> = {
  '/': 'src/pages/OverviewPage.tsx',
  '/areas/:areaId': 'src/pages/AreaPage.tsx',
  '/areas/:areaId/motions/:motionId': 'src/pages/MotionPage.tsx',
  '/areas/:areaId/groups/:groupId': 'src/pages/GroupPage.tsx',
  '/areas/:areaId/audit': 'src/pages/AuditPage.tsx',
  '/embed/areas/:areaId/:chart': 'src/pages/EmbedPage.tsx',
};

/** The chunk and every chunk it statically imports, transitively. */
export function staticClosure(manifest: Manifest, key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const imp of manifest[key]?.imports ?? []) staticClosure(manifest, imp, seen);
  return seen;
}

export interface RouteSize {
  route: string;
  files: { file: string; gzip: number; shared: boolean }[];
  entryGzip: number;
  routeGzip: number;
  totalGzip: number;
}

export function routeSizes(manifest: Manifest, gzipOf: (file: string) => number): RouteSize[] {
  const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
  if (!entryKey) throw new Error('no entry chunk in the manifest');
  const entry = staticClosure(manifest, entryKey);
  const entryFiles = [...entry].flatMap((k) => [manifest[k].file, ...(manifest[k].css ?? [])]);
  const entryGzip = entryFiles.reduce((t, f) => t + gzipOf(f), 0);
  return Object.entries(ROUTES).map(([route, src]) => {
    if (!manifest[src]) throw new Error(`route ${route}: ${src} is not in the manifest (is it lazy-loaded?)`);
    const own = [...staticClosure(manifest, src)].filter((k) => !entry.has(k));
    const files = own.flatMap((k) => [manifest[k].file, ...(manifest[k].css ?? [])]);
    const users = (k: string) =>
      Object.values(ROUTES).filter((s) => staticClosure(manifest, s).has(k)).length;
    const routeGzip = files.reduce((t, f) => t + gzipOf(f), 0);
    return {
      route,
      files: own.map((k) => ({
        file: manifest[k].file,
        gzip: gzipOf(manifest[k].file),
        shared: users(k) > 1,
      })),
      entryGzip,
      routeGzip,
      totalGzip: entryGzip + routeGzip,
    };
  });
}

function main() {
  const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
  const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8')) as Manifest;
  const cache = new Map<string, number>();
  const gzipOf = (file: string) => {
    if (!cache.has(file)) cache.set(file, gzipSync(readFileSync(join(dist, file))).length);
    return cache.get(file)!;
  };
  const sizes = routeSizes(manifest, gzipOf);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`.padStart(9);
  console.log(
    `gzip bytes per route (shell loaded by every route: ${sizes[0].entryGzip} B = ${kb(sizes[0].entryGzip).trim()})\n`,
  );
  console.log(`${'route'.padEnd(36)} ${'route chunks'.padStart(12)} ${'total'.padStart(9)}  chunks`);
  for (const s of sizes) {
    console.log(
      `${s.route.padEnd(36)} ${String(s.routeGzip).padStart(12)} ${kb(s.totalGzip)}  ${s.files.map((f) => `${f.file.replace('assets/', '')} ${f.gzip}${f.shared ? '*' : ''}`).join(', ')}`,
    );
  }
  console.log('\n* shared with another route (cached after the first)');
  writeFileSync(
    join(dist, 'size-report.json'),
    JSON.stringify({ generatedAt: new Date().toISOString(), routes: sizes }, null, 2),
  );
  console.log(`written ${join(dist, 'size-report.json')}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
