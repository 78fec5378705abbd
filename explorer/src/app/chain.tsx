// What the API has indexed (`_meta`) and the chain time a page is read at.
//
// "Now" for lease countdowns and "ending soon" is chain time, not the viewer's
// clock: a devnet or a lagging indexer would otherwise show leases as ended
// that the chain still counts as active. Latest view: the head block's time.
// As-of view: block N's time, from `_meta(block:)` or, where the engine leaves
// that null when a block is pinned by number, the last audit event at or before N.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { buildQuery, en, type AsOf } from '../api/index.ts';
import { useQuery } from './useQuery.ts';
import { useAsOf } from './asOf.ts';

export interface Meta {
  block: { number: number; hash: string | null; timestamp: number | null };
  deployment: string;
  hasIndexingErrors: boolean;
}

export interface ChainClock {
  head: Meta | undefined;
  headError: Error | undefined;
  asOf: AsOf;
  /** Chain time (unix seconds) the page is read at; undefined while unknown. */
  now: number | undefined;
  /** When `head` was fetched, by the viewer's clock (ms). */
  fetchedAt: number;
}

const ChainContext = createContext<ChainClock>({
  head: undefined,
  headError: undefined,
  asOf: undefined,
  now: undefined,
  fetchedAt: 0,
});

export const headQuery = buildQuery(
  [{ name: '_meta', selection: 'block { number hash timestamp } deployment hasIndexingErrors' }],
  undefined,
);

export function asOfTimeQuery(block: number): string {
  return buildQuery(
    [
      { name: '_meta', selection: 'block { number timestamp }' },
      {
        alias: 'last',
        name: 'governanceEvents',
        args: {
          first: 1,
          orderBy: en('blockNumber'),
          orderDirection: en('desc'),
          where: { blockNumber_lte: String(block) },
        },
        selection: 'blockNumber timestamp',
      },
    ],
    block,
  );
}

const POLL_MS = 15_000;

export function ChainProvider({ children }: { children: ReactNode }) {
  const asOf = useAsOf();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), POLL_MS);
    return () => clearInterval(t);
  }, []);
  // The tick makes the query text differ, so the head is refreshed while the page is open.
  const head = useQuery<{ _meta: Meta }>(`${headQuery}\n# ${tick % 2}`);
  const [last, setLast] = useState<{ meta?: Meta; at: number }>({ at: 0 });
  useEffect(() => {
    if (head.data) setLast({ meta: head.data._meta, at: Date.now() });
  }, [head.data]);
  const pinned = useQuery<{ _meta: Meta; last: { timestamp: string }[] }>(
    asOf === undefined ? null : asOfTimeQuery(asOf),
  );
  const headMeta = head.data?._meta ?? last.meta;
  let now: number | undefined;
  if (asOf === undefined) now = headMeta?.block.timestamp ?? undefined;
  else if (pinned.data)
    now =
      pinned.data._meta.block.timestamp ??
      (pinned.data.last[0] ? Number(pinned.data.last[0].timestamp) : undefined);
  return (
    <ChainContext.Provider
      value={{ head: headMeta, headError: headMeta ? undefined : head.error, asOf, now, fetchedAt: last.at }}
    >
      {children}
    </ChainContext.Provider>
  );
}

export function useChain(): ChainClock {
  return useContext(ChainContext);
}
