// The "as of" control: view every page as the chain stood at a block or date.
// A date is turned into the last block at or before it that the audit trail
// records (state only changes through events, so that block's state is the
// state at the date); see blockAtOrBefore.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useLocation, useSearch } from 'wouter';
import { buildQuery, en, type Fetcher } from '../api/index.ts';
import { useApi } from '../app/api.tsx';
import { useChain } from '../app/chain.tsx';
import { formatTime } from '../lib/format.ts';

export function blockAtOrBeforeQuery(timestamp: number): string {
  // The index does the binary search: the greatest blockNumber among events
  // with timestamp <= T (block times are monotonic, so this is the block at T).
  return buildQuery(
    [
      {
        name: 'governanceEvents',
        args: {
          first: 1,
          orderBy: en('blockNumber'),
          orderDirection: en('desc'),
          where: { timestamp_lte: String(timestamp) },
        },
        selection: 'blockNumber timestamp',
      },
    ],
    undefined,
  );
}

export async function blockAtOrBefore(
  fetcher: Fetcher,
  timestamp: number,
): Promise<{ block: number; timestamp: number } | null> {
  const data = await fetcher(blockAtOrBeforeQuery(timestamp));
  const e = data.governanceEvents[0];
  return e ? { block: Number(e.blockNumber), timestamp: Number(e.timestamp) } : null;
}

function toUtcInput(sec: number | undefined): string {
  return sec === undefined ? '' : new Date(sec * 1000).toISOString().slice(0, 16);
}

export function AsOfControl() {
  const { fetcher } = useApi();
  const { asOf, head, now } = useChain();
  const [location, navigate] = useLocation();
  const search = useSearch();
  const id = useId();
  const [mode, setMode] = useState<'block' | 'date'>('block');
  const [blockText, setBlockText] = useState(asOf === undefined ? '' : String(asOf));
  // follow the URL when a link or the back button changes the block
  useEffect(() => setBlockText(asOf === undefined ? '' : String(asOf)), [asOf]);
  const [dateText, setDateText] = useState('');
  const [message, setMessage] = useState('');

  const go = (block: number | undefined) => {
    const params = new URLSearchParams(search);
    if (block === undefined) params.delete('block');
    else params.set('block', String(block));
    const q = params.toString();
    navigate(`${location}${q ? `?${q}` : ''}`);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMessage('');
    if (mode === 'block') {
      if (!/^\d+$/.test(blockText.trim())) return setMessage('Enter a block number.');
      const n = Number(blockText.trim());
      if (head && n >= head.block.number) return go(undefined);
      return go(n);
    }
    const t = Date.parse(`${dateText || toUtcInput(now)}:00Z`);
    if (Number.isNaN(t)) return setMessage('Enter a date and time (UTC).');
    const sec = Math.floor(t / 1000);
    if (head?.block.timestamp != null && sec >= head.block.timestamp) return go(undefined);
    try {
      const found = await blockAtOrBefore(fetcher, sec);
      if (!found) return setMessage('Nothing was indexed before that date.');
      setBlockText(String(found.block));
      go(found.block);
    } catch (err) {
      setMessage((err as Error).message);
    }
  };

  return (
    <form className="asof" onSubmit={submit} aria-label="View as of a block or date">
      <fieldset>
        <legend>As of</legend>
        <div className="asof-mode" role="radiogroup" aria-label="Choose by">
          <label>
            <input
              type="radio"
              name={`${id}-mode`}
              checked={mode === 'block'}
              onChange={() => setMode('block')}
            />{' '}
            Block
          </label>
          <label>
            <input
              type="radio"
              name={`${id}-mode`}
              checked={mode === 'date'}
              onChange={() => setMode('date')}
            />{' '}
            Date
          </label>
        </div>
        {mode === 'block' ? (
          <label className="asof-input">
            <span className="sr-only">Block number</span>
            <input
              name="block"
              inputMode="numeric"
              pattern="[0-9]*"
              placeholder={head ? `latest (${head.block.number})` : 'latest'}
              value={blockText}
              onChange={(e) => setBlockText(e.target.value)}
            />
          </label>
        ) : (
          <label className="asof-input">
            <span className="sr-only">Date and time, UTC</span>
            <input
              name="date"
              type="datetime-local"
              value={dateText || toUtcInput(now)}
              onChange={(e) => setDateText(e.target.value)}
            />
            <span className="hint">UTC</span>
          </label>
        )}
        <button type="submit">Show</button>
        {asOf !== undefined && (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setBlockText('');
              go(undefined);
            }}
          >
            Latest
          </button>
        )}
      </fieldset>
      {message && (
        <p className="asof-message" role="alert">
          {message}
        </p>
      )}
      {asOf !== undefined && (
        <p className="asof-banner" role="status">
          Showing the chain as of block <strong>{asOf}</strong>
          {now !== undefined ? <> ({formatTime(now)})</> : null}.
        </p>
      )}
    </form>
  );
}
