// The API endpoint and its fetcher, given to every page through context.
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { httpFetcher, type Fetcher } from '../api/index.ts';

interface Api {
  endpoint: string;
  fetcher: Fetcher;
}

const ApiContext = createContext<Api | null>(null);

export function ApiProvider({ endpoint, children }: { endpoint: string; children: ReactNode }) {
  const value = useMemo(() => ({ endpoint, fetcher: httpFetcher(endpoint) }), [endpoint]);
  return <ApiContext.Provider value={value}>{children}</ApiContext.Provider>;
}

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
}
