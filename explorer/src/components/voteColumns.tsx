// Table columns every vote list shares (motion page, group page), so a vote reads
// the same wherever it is listed.
import { formatTokens, humanize } from '../lib/format.ts';
import type { Column } from './DataTable.tsx';

interface VoteRow {
  id: string;
  support: string;
  weight: string;
}

export function supportColumn<T extends VoteRow>(): Column<T> {
  return {
    header: 'Support',
    cell: (v) => <span className={`support support-${v.support.toLowerCase()}`}>{humanize(v.support)}</span>,
    csv: (v) => v.support,
  };
}

export function weightColumn<T extends VoteRow>(): Column<T> {
  return { header: 'Weight', numeric: true, cell: (v) => formatTokens(v.weight), csv: (v) => v.weight };
}
