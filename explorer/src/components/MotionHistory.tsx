// An area's motions, newest first, filterable by kind and status, paged by
// keyset (`motionId_lt`), never by `skip`.
import { useState } from 'react';
import {
  motionsPageQuery,
  motionWhere,
  MOTION_KINDS,
  MOTION_ROW_FIELDS,
  MOTION_STATUSES,
  type MotionFilter,
  type MotionRow,
} from '../api/queries.ts';
import { useAsOf } from '../app/asOf.ts';
import { useQuery } from '../app/useQuery.ts';
import { formatParam, formatTime, formatTokens, humanize } from '../lib/format.ts';
import { DataTable, type Column } from './DataTable.tsx';
import { KeysetPager } from './KeysetPager.tsx';
import { GroupLink, Link, motionHref } from './Link.tsx';
import { QueryView } from './States.tsx';
import { StatusBadge } from './StatusBadge.tsx';

const PAGE = 20;

export function MotionHistory({ areaId }: { areaId: string }) {
  const block = useAsOf();
  const [filter, setFilter] = useState<MotionFilter>({});
  // Cursors of the pages before the current one; the current page starts below cursors[last].
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const before = cursors[cursors.length - 1];
  // One extra row tells whether an older page exists.
  const q = useQuery<{ motions: MotionRow[] }>(motionsPageQuery(areaId, filter, before, PAGE + 1, block));
  const setF = (f: MotionFilter) => {
    setFilter(f);
    setCursors([undefined]);
  };
  const columns: Column<MotionRow>[] = [
    {
      header: 'Motion',
      rowHeader: true,
      cell: (m) => <Link href={motionHref(areaId, m.motionId)}>#{m.motionId}</Link>,
      csv: (m) => m.motionId,
    },
    { header: 'Kind', cell: (m) => humanize(m.kind), csv: (m) => m.kind },
    {
      header: 'Subject',
      wrap: true,
      cell: (m) =>
        m.kind === 'PARAMETER_CHANGE' ? (
          `${m.param} → ${formatParam(m.param, m.value)}`
        ) : m.seatRole ? (
          <>
            {humanize(m.seatRole)} seat for <GroupLink areaId={areaId} group={m.applicant} />
          </>
        ) : (
          <span className="clamp">{m.description || '—'}</span>
        ),
      csv: (m) =>
        m.kind === 'PARAMETER_CHANGE'
          ? `${m.param}=${m.value}`
          : m.seatRole
            ? `${m.seatRole} ${m.applicant?.name ?? ''}`
            : m.description,
    },
    {
      header: 'Proposed by',
      cell: (m) => <GroupLink areaId={areaId} group={m.proposer} />,
      csv: (m) => m.proposer.name,
    },
    {
      header: 'Status',
      cell: (m) => <StatusBadge status={m.status} vetoed={m.vetoed} />,
      csv: (m) => m.status,
    },
    {
      header: 'For / against / abstain',
      numeric: true,
      cell: (m) =>
        `${formatTokens(m.forVotes, 1)} / ${formatTokens(m.againstVotes, 1)} / ${formatTokens(m.abstainVotes, 1)}`,
      csv: (m) => `${m.forVotes}/${m.againstVotes}/${m.abstainVotes}`,
    },
    { header: 'Voting ends', cell: (m) => formatTime(m.votingEnd), csv: (m) => m.votingEnd },
  ];
  return (
    <section aria-labelledby="motions-h" className="section">
      <h2 id="motions-h">Motion history</h2>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter motions">
        <label>
          Kind{' '}
          <select
            value={filter.kind ?? ''}
            onChange={(e) => setF({ ...filter, kind: e.target.value || undefined })}
            name="kind"
          >
            <option value="">All kinds</option>
            {MOTION_KINDS.map((k) => (
              <option key={k} value={k}>
                {humanize(k)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status{' '}
          <select
            value={filter.status ?? ''}
            onChange={(e) => setF({ ...filter, status: e.target.value || undefined })}
            name="status"
          >
            <option value="">All statuses</option>
            {MOTION_STATUSES.map((k) => (
              <option key={k} value={k}>
                {humanize(k)}
              </option>
            ))}
          </select>
        </label>
      </form>
      <QueryView state={q} what="motions">
        {({ motions }) => {
          const rows = motions.slice(0, PAGE);
          const hasOlder = motions.length > PAGE;
          return (
            <DataTable
              caption={`Motions, newest first${filter.kind ? `, ${humanize(filter.kind)}` : ''}${filter.status ? `, ${humanize(filter.status)}` : ''}`}
              columns={columns}
              rows={rows}
              empty="No motions match."
              exportFrom={{
                filename: `area-${areaId}-motions`,
                plural: 'motions',
                where: motionWhere(areaId, filter),
                selection: MOTION_ROW_FIELDS,
              }}
              footer={
                <KeysetPager
                  label="Motion pages"
                  cursors={cursors}
                  setCursors={setCursors}
                  next={hasOlder ? rows[rows.length - 1].motionId : null}
                  backText="Newer"
                  nextText="Older"
                />
              }
            />
          );
        }}
      </QueryView>
    </section>
  );
}
