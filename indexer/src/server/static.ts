// Files the API server serves besides GraphQL: our GraphiQL bundle (indexer/dist/graphiql,
// built by graphiql/vite.config.ts) and the explorer's static build with SPA fallback.
import type { ServerResponse } from 'node:http';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const GRAPHIQL_DIR = fileURLToPath(new URL('../../dist/graphiql/', import.meta.url));

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** A file under `root` for a URL path, or undefined (no traversal outside root). */
export function fileUnder(root: string, urlPath: string): string | undefined {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const p = normalize(join(root, rel));
  if (p !== root && !p.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
  try {
    return statSync(p).isFile() ? p : undefined;
  } catch {
    return undefined;
  }
}

function sendFile(res: ServerResponse, path: string, cache: boolean): void {
  res.writeHead(200, {
    'content-type': MIME[extname(path)] ?? 'application/octet-stream',
    'cache-control': cache ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  createReadStream(path).pipe(res);
}

/** GraphiQL at /graphiql (index) and /graphiql/assets/*. */
export function serveGraphiQL(res: ServerResponse, path: string): void {
  const rel = path.replace(/^\/graphiql\/?/, '');
  const file = rel === '' ? join(GRAPHIQL_DIR, 'index.html') : fileUnder(GRAPHIQL_DIR, rel);
  if (!file || !existsSync(file)) {
    if (rel === '') {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('GraphiQL is not built: run `npx vite build --config graphiql/vite.config.ts` in indexer/\n');
    } else {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found\n');
    }
    return;
  }
  sendFile(res, file, rel !== '');
}

/** The explorer's build at `/`, with index.html for client-side routes. */
export function serveStatic(res: ServerResponse, staticRoot: string | undefined, path: string): void {
  if (!staticRoot) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('not found\n');
    return;
  }
  const file = path === '/' ? undefined : fileUnder(staticRoot, path);
  if (file) return sendFile(res, file, path.includes('/assets/'));
  // SPA fallback: client-side routes get index.html; missing assets stay 404.
  const index = join(staticRoot, 'index.html');
  if (extname(path) === '' && existsSync(index)) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
    res.end(readFileSync(index));
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('not found\n');
}
