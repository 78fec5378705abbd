// A data table with real table semantics and a complete CSV export.
//
// The export does not reuse the rows on screen (those may be one page of a
// keyset-paged list): it re-reads the table's source with `id_gt` keyset paging,
// 1000 rows per request, at the same "as of" block, so the file has every row.
import { useState, type ReactNode } from 'react';
import { fetchAllById, type Args } from '../api/index.ts';
import { useApi } from '../app/api.tsx';
import { useAsOf } from '../app/asOf.ts';
import { downloadText, toCsv, type Cell } from '../lib/csv.ts';

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  /** The value written to CSV (full precision: base units, full hashes). */
  csv: (row: T) => Cell;
  numeric?: boolean;
  /** Long text (descriptions, reasons) that may wrap; other cells stay on one line. */
  wrap?: boolean;
  /** Row header cell (th scope=row) for screen readers. */
  rowHeader?: boolean;
}

export interface CsvSource {
  filename: string;
  plural: string;
  where: Args;
  selection: string;
  /** Order of the file's rows (the scan itself is in id order), e.g. chain order for events. */
  sortRows?: (rows: any[]) => any[];
}

export function DataTable<T extends { id: string }>({
  caption,
  columns,
  rows,
  exportFrom,
  empty,
  footer,
}: {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  exportFrom?: CsvSource;
  empty?: string;
  footer?: ReactNode;
}) {
  return (
    <div className="table-block">
      <div className="table-tools">
        {exportFrom && <CsvButton source={exportFrom} columns={columns} label={caption} />}
      </div>
      <div className="table-scroll" role="region" aria-label={caption} tabIndex={0}>
        <table>
          <caption>{caption}</caption>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.header} scope="col" className={c.numeric ? 'num' : undefined}>
                  {c.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={columns.length} className="empty-cell">
                  {empty ?? 'No rows.'}
                </td>
              </tr>
            ) : (
              rows.map((r) => (
                <tr key={r.id}>
                  {columns.map((c) =>
                    c.rowHeader ? (
                      <th key={c.header} scope="row" className={c.numeric ? 'num' : undefined}>
                        {c.cell(r)}
                      </th>
                    ) : (
                      <td key={c.header} className={c.numeric ? 'num' : c.wrap ? 'wrap' : undefined}>
                        {c.cell(r)}
                      </td>
                    ),
                  )}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      {footer}
    </div>
  );
}

export function CsvButton<T extends { id: string }>({
  source,
  columns,
  label,
}: {
  source: CsvSource;
  columns: Column<T>[];
  label: string;
}) {
  const { fetcher } = useApi();
  const block = useAsOf();
  const [status, setStatus] = useState<{ busy: boolean; text: string }>({ busy: false, text: '' });
  const run = async () => {
    setStatus({ busy: true, text: 'Exporting…' });
    try {
      const rows = await fetchAllById<T>(fetcher, source.plural, source.where, source.selection, block, (n) =>
        setStatus({ busy: true, text: `Exporting… ${n} rows` }),
      );
      const ordered: T[] = source.sortRows ? source.sortRows(rows) : rows;
      const csv = toCsv(
        ['id', ...columns.map((c) => c.header)],
        ordered.map((r) => [r.id, ...columns.map((c) => c.csv(r))]),
      );
      downloadText(`${source.filename}${block !== undefined ? `-block-${block}` : ''}.csv`, csv);
      setStatus({ busy: false, text: `Exported ${rows.length} rows.` });
    } catch (e) {
      setStatus({ busy: false, text: `Export failed: ${(e as Error).message}` });
    }
  };
  return (
    <span className="csv-export">
      <button type="button" onClick={run} disabled={status.busy} aria-label={`Export ${label} as CSV`}>
        Export CSV
      </button>
      <span className="csv-status" role="status" aria-live="polite">
        {status.text}
      </span>
    </span>
  );
}
