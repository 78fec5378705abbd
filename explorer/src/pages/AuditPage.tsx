// `/areas/:areaId/audit`: every protocol event of the area in chain order.
import { useState, type FormEvent } from 'react';
import { useParams } from 'wouter';
import {
  auditPageQuery,
  auditWhere,
  chainOrder,
  EVENT_FIELDS,
  EVENT_KINDS,
  type AuditCursor,
  type AuditFilter,
  type GovernanceEvent,
} from '../api/queries.ts';
import { buildQuery } from '../api/graphql.ts';
import { useAsOf } from '../app/asOf.ts';
import { useQuery } from '../app/useQuery.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { KeysetPager } from '../components/KeysetPager.tsx';
import { Breadcrumbs, PageTitle } from '../components/Layout.tsx';
import { areaHref, GroupLink, Link, motionHref } from '../components/Link.tsx';
import { QueryView } from '../components/States.tsx';
import { TxLink } from '../components/TxLink.tsx';
import { formatTime, humanize, shortHex } from '../lib/format.ts';

const PAGE = 50;

export default function AuditPage() {
  const { areaId = '' } = useParams<{ areaId: string }>();
  const block = useAsOf();
  const [filter, setFilter] = useState<AuditFilter>({});
  const [draft, setDraft] = useState({ kind: '', from: '', to: '' });
  const [cursors, setCursors] = useState<(AuditCursor | undefined)[]>([undefined]);
  const after = cursors[cursors.length - 1];
  const area = useQuery<{ area: { id: string; name: string; eventCount: number } | null }>(
    buildQuery([{ name: 'area', args: { id: areaId }, selection: 'id name eventCount' }], block),
  );
  const q = useQuery<{ governanceEvents: GovernanceEvent[] }>(
    auditPageQuery(areaId, filter, after, PAGE + 1, block),
  );

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const num = (s: string) => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : undefined);
    setFilter({ kind: draft.kind || undefined, fromBlock: num(draft.from), toBlock: num(draft.to) });
    setCursors([undefined]);
  };

  const columns: Column<GovernanceEvent>[] = [
    {
      header: 'Block',
      numeric: true,
      rowHeader: true,
      cell: (e) => e.blockNumber,
      csv: (e) => e.blockNumber,
    },
    { header: 'Log', numeric: true, cell: (e) => e.logIndex, csv: (e) => e.logIndex },
    { header: 'Time', cell: (e) => formatTime(e.timestamp), csv: (e) => e.timestamp },
    { header: 'Event', cell: (e) => <span className="event-kind">{e.kind}</span>, csv: (e) => e.kind },
    {
      header: 'Motion',
      cell: (e) =>
        e.motion ? <Link href={motionHref(areaId, e.motion.motionId)}>#{e.motion.motionId}</Link> : '—',
      csv: (e) => e.motion?.motionId,
    },
    {
      header: 'Group',
      cell: (e) => (e.group ? <GroupLink areaId={areaId} group={e.group} /> : '—'),
      csv: (e) => e.group?.name,
    },
    { header: 'Seat', cell: (e) => humanize(e.seatRole), csv: (e) => e.seatRole },
    {
      header: 'Account',
      cell: (e) => (e.account ? <code title={e.account}>{shortHex(e.account)}</code> : '—'),
      csv: (e) => e.account,
    },
    {
      header: 'Transaction',
      cell: (e) => <TxLink hash={e.transactionHash} />,
      csv: (e) => e.transactionHash,
    },
  ];

  const name = area.data?.area?.name ?? `Area ${areaId}`;
  return (
    <>
      <Breadcrumbs
        items={[
          { href: '/', label: 'Areas' },
          { href: areaHref(areaId), label: name },
          { label: 'Audit trail' },
        ]}
      />
      <PageTitle
        title={`Audit trail: ${name}`}
        sub={`Every protocol event of the area in chain order (block, then log index)${area.data?.area ? `: ${area.data.area.eventCount} events` : ''}. Each row names the transaction that carries it.`}
      />
      <form className="filters" onSubmit={apply} aria-label="Filter events">
        <label>
          Event{' '}
          <select
            name="kind"
            value={draft.kind}
            onChange={(e) => setDraft({ ...draft, kind: e.target.value })}
          >
            <option value="">All events</option>
            {EVENT_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <label>
          From block{' '}
          <input
            name="from"
            inputMode="numeric"
            pattern="[0-9]*"
            size={8}
            value={draft.from}
            onChange={(e) => setDraft({ ...draft, from: e.target.value })}
          />
        </label>
        <label>
          To block{' '}
          <input
            name="to"
            inputMode="numeric"
            pattern="[0-9]*"
            size={8}
            value={draft.to}
            onChange={(e) => setDraft({ ...draft, to: e.target.value })}
          />
        </label>
        <button type="submit">Apply</button>
      </form>
      <QueryView state={q} what="events" source>
        {({ governanceEvents }) => {
          const page = governanceEvents.slice(0, PAGE);
          const hasMore = governanceEvents.length > PAGE;
          const last = page[page.length - 1];
          return (
            <DataTable
              caption={`Events${filter.kind ? ` of kind ${filter.kind}` : ''}${filter.fromBlock !== undefined ? ` from block ${filter.fromBlock}` : ''}${filter.toBlock !== undefined ? ` to block ${filter.toBlock}` : ''}`}
              columns={columns}
              rows={chainOrder(page)}
              empty="No events match."
              exportFrom={{
                filename: `area-${areaId}-audit`,
                plural: 'governanceEvents',
                where: auditWhere(areaId, filter),
                selection: EVENT_FIELDS,
                sortRows: chainOrder,
              }}
              footer={
                <KeysetPager
                  label="Event pages"
                  cursors={cursors}
                  setCursors={setCursors}
                  next={hasMore ? { blockNumber: last.blockNumber, id: last.id } : null}
                  backText="Earlier"
                  nextText="Later"
                />
              }
            />
          );
        }}
      </QueryView>
    </>
  );
}
