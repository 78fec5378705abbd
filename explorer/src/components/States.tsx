// Loading, error and empty states, announced to screen readers.
import type { ReactNode } from 'react';

export function Loading({ what = 'data' }: { what?: string }) {
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}

export function ErrorBox({ error, retry }: { error: Error; retry?: () => void }) {
  return (
    <div className="state state-error" role="alert">
      <p>
        <strong>The API returned an error.</strong>
      </p>
      <pre className="error-message">{error.message}</pre>
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state state-empty">{children}</p>;
}

/** Renders loading / error / children(data) for one query state. */
export function QueryView<T>({
  state,
  what,
  children,
  source,
}: {
  state: { data?: T; error?: Error; loading: boolean; reload: () => void; docs?: string[] };
  what?: string;
  children: (data: T) => ReactNode;
  /** Also show the GraphQL documents behind the view, for auditors to re-run. */
  source?: boolean;
}) {
  if (state.error) return <ErrorBox error={state.error} retry={state.reload} />;
  if (state.data === undefined) return <Loading what={what} />;
  return (
    <>
      {children(state.data)}
      {source && state.docs && <QuerySource docs={state.docs} />}
    </>
  );
}

export function QuerySource({ docs }: { docs: string[] }) {
  return (
    <details className="query-source">
      <summary>GraphQL behind this page</summary>
      <p className="muted">
        Paste into any GraphiQL of this API (or of a graph-node serving the subgraph) to check the figures.
      </p>
      {docs.map((d, i) => (
        <pre key={i}>{d}</pre>
      ))}
    </details>
  );
}
