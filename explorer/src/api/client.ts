// Minimal GraphQL-over-HTTP client: POST {query}, JSON response.
// graph-node and the embedded server both accept this; nothing else is used.

export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly messages: string[],
  ) {
    super(message);
    this.name = 'GraphQLRequestError';
  }
}

export type Fetcher = (query: string) => Promise<any>;

export function httpFetcher(endpoint: string, fetchImpl: typeof fetch = fetch): Fetcher {
  return async (query: string) => {
    let res: Response;
    try {
      res = await fetchImpl(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query }),
      });
    } catch (e) {
      throw new GraphQLRequestError(`Could not reach the API at ${endpoint}: ${(e as Error).message}`, []);
    }
    const text = await res.text();
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      throw new GraphQLRequestError(`The API at ${endpoint} answered HTTP ${res.status} without JSON`, []);
    }
    // GraphQL errors are shown verbatim: they carry graph-node's explanations
    // (e.g. "has only indexed up to block number …" for a future `block`).
    if (Array.isArray(body.errors) && body.errors.length > 0) {
      // several root fields failing for one reason (e.g. a future `block`) give one message
      const messages = [...new Set<string>(body.errors.map((e: any) => String(e?.message ?? e)))];
      throw new GraphQLRequestError(messages.join('\n'), messages);
    }
    if (!res.ok || body.data == null)
      throw new GraphQLRequestError(`The API answered HTTP ${res.status}`, []);
    return body.data;
  };
}
