// Complete reads of a collection, independent of the server's `first` cap.
import { buildQuery, en, MAX_FIRST, type Args, type AsOf } from './graphql.ts';
import type { Fetcher } from './client.ts';
import { fitFirst } from './cost.ts';

/** Ensure the selection contains `id`, which the keyset cursor needs. */
function withId(selection: string): string {
  return /(^|[\s{])id([\s}]|$)/.test(selection) ? selection : `id ${selection}`;
}

/** The query for one page of an `id_gt` keyset scan (exported for tests and for display). */
export function idPageQuery(
  plural: string,
  where: Args,
  selection: string,
  block: AsOf,
  cursor: string | undefined,
  pageSize = MAX_FIRST,
): string {
  return buildQuery(
    [
      {
        name: plural,
        args: {
          first: pageSize,
          orderBy: en('id'),
          orderDirection: en('asc'),
          where: cursor === undefined ? where : { ...where, id_gt: cursor },
        },
        selection: withId(selection),
      },
    ],
    block,
  );
}

/**
 * Every row of `plural` matching `where`, in id order, fetched 1000 at a time
 * with `id_gt` keyset paging (never `skip`, whose cost grows with depth and which
 * hosted gateways cap). graph-node compares ids byte-wise for both `orderBy: id`
 * and `id_gt`, so the cursor and the order agree. Stops at the first short page.
 * Pages hold 1000 rows unless the selection is too costly for the embedded
 * server's limit at that size (api/cost.ts); then as many as fit.
 */
export async function fetchAllById<T extends { id: string }>(
  fetcher: Fetcher,
  plural: string,
  where: Args,
  selection: string,
  block: AsOf,
  onPage?: (rowsSoFar: number) => void,
  pageSize?: number,
): Promise<T[]> {
  const size = pageSize ?? fitFirst({ name: plural, selection: withId(selection) }, MAX_FIRST);
  const rows: T[] = [];
  let cursor: string | undefined;
  for (;;) {
    const data = await fetcher(idPageQuery(plural, where, selection, block, cursor, size));
    const page = (data[plural] ?? []) as T[];
    rows.push(...page);
    onPage?.(rows.length);
    if (page.length < size) return rows;
    cursor = page[page.length - 1].id;
  }
}
