// Where the GraphQL API lives, decided once at startup without rebuilding:
//   1. `?endpoint=<url>` in the page URL (remembered in localStorage; `?endpoint=` clears it),
//   2. the remembered value,
//   3. `config.json` next to index.html: {"graphqlUrl": "..."},
//   4. same-origin `/graphql` (the embedded server).

export const ENDPOINT_STORAGE_KEY = 'ggn-explorer.endpoint';
export const DEFAULT_ENDPOINT = '/graphql';

export interface EndpointSources {
  search: string;
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  loadConfig: () => Promise<unknown>;
}

export async function resolveEndpoint(src: EndpointSources): Promise<string> {
  const param = new URLSearchParams(src.search).get('endpoint');
  if (param !== null) {
    if (param.trim() === '') src.storage?.removeItem(ENDPOINT_STORAGE_KEY);
    else {
      src.storage?.setItem(ENDPOINT_STORAGE_KEY, param.trim());
      return param.trim();
    }
  }
  const stored = src.storage?.getItem(ENDPOINT_STORAGE_KEY);
  if (stored) return stored;
  try {
    const config = (await src.loadConfig()) as { graphqlUrl?: unknown } | null;
    if (config && typeof config.graphqlUrl === 'string' && config.graphqlUrl) return config.graphqlUrl;
  } catch {
    // No config.json (the SPA fallback answers with HTML): use the default.
  }
  return DEFAULT_ENDPOINT;
}

export function browserEndpointSources(): EndpointSources {
  let storage: Storage | null = null;
  try {
    storage = window.localStorage;
  } catch {
    storage = null; // storage disabled (privacy mode): the query parameter still works per page load
  }
  return {
    search: window.location.search,
    storage,
    loadConfig: async () => {
      const res = await fetch(`${import.meta.env.BASE_URL}config.json`, { cache: 'no-store' });
      if (!res.ok) return null;
      return res.json();
    },
  };
}
