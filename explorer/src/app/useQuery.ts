// Run a page's GraphQL read for a component; re-run when the query text changes.
// A read may be several documents (see api/cost.ts); their data are merged.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Fetcher } from '../api/index.ts';
import { useApi } from './api.tsx';

export interface QueryState<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
  /** The documents sent (or the first of each paged scan), for "show the query". */
  docs: string[];
}

/**
 * Run `load` whenever `key` changes (null: nothing to load). `key` must change
 * whenever what `load` reads changes; results of an older key are dropped.
 */
export function useLoader<T>(
  key: string | null,
  load: (fetcher: Fetcher) => Promise<T>,
  docs: string[],
): QueryState<T> {
  const { fetcher } = useApi();
  const [state, setState] = useState<{ key: string | null; data?: T; error?: Error }>({ key: null });
  const [nonce, setNonce] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    if (key === null) return;
    let live = true;
    loadRef.current(fetcher).then(
      (data) => live && setState({ key, data }),
      (error: Error) => live && setState({ key, error }),
    );
    return () => {
      live = false;
    };
  }, [key, fetcher, nonce]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  // Data of a previous key is never shown under a new one.
  const current = state.key === key;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: key !== null && (!current || (state.data === undefined && state.error === undefined)),
    reload,
    docs,
  };
}

export function useQuery<T = any>(queries: string | string[] | null): QueryState<T> {
  const docs = queries === null ? [] : Array.isArray(queries) ? queries : [queries];
  const key = queries === null ? null : docs.join('\n');
  return useLoader<T>(
    key,
    async (fetcher) => Object.assign({}, ...(await Promise.all(docs.map((d) => fetcher(d))))) as T,
    docs,
  );
}
