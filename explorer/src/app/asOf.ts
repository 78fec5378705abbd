// "As of" a block: the `?block=N` URL parameter, read by every page and kept by
// every internal link so a shared URL shows the chain as it stood at N.
import { useSearch } from 'wouter';
import type { AsOf } from '../api/index.ts';

export function parseBlockParam(search: string): AsOf {
  const raw = new URLSearchParams(search).get('block');
  if (raw === null || !/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : undefined;
}

export function useAsOf(): AsOf {
  return parseBlockParam(useSearch());
}

/** Add (or keep) `block=N` on an internal href. */
export function withAsOf(href: string, block: AsOf): string {
  if (block === undefined) return href;
  const [path, query = ''] = href.split('?');
  const params = new URLSearchParams(query);
  params.set('block', String(block));
  return `${path}?${params.toString()}`;
}
