// Indexing status from `_meta`: head block, its time, and how far behind the
// viewer's clock it is (a devnet whose clock was moved shows a negative lag).
import { useEffect, useState } from 'react';
import { useChain } from '../app/chain.tsx';
import { formatDuration, formatTime, shortHex } from '../lib/format.ts';

export function IndexingStatus() {
  const { head, headError } = useChain();
  const [wall, setWall] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setWall(Date.now()), 5_000);
    return () => clearInterval(t);
  }, []);
  if (headError) {
    return (
      <p className="status status-error" role="status">
        API unreachable: {headError.message}
      </p>
    );
  }
  if (!head) {
    return (
      <p className="status" role="status">
        Indexing status: loading…
      </p>
    );
  }
  const ts = head.block.timestamp;
  const lag = ts == null ? undefined : Math.round(wall / 1000 - ts);
  return (
    <dl className="status" aria-label="Indexing status" data-testid="indexing-status">
      <div>
        <dt>Indexed block</dt>
        <dd data-testid="head-block">{head.block.number}</dd>
      </div>
      <div>
        <dt>Block time</dt>
        <dd>{ts == null ? '—' : formatTime(ts)}</dd>
      </div>
      <div>
        <dt>Lag</dt>
        <dd title="Viewer's clock minus the block time of the indexed head">
          {lag === undefined
            ? '—'
            : lag >= 0
              ? `${formatDuration(lag)} behind now`
              : `${formatDuration(-lag)} ahead of now`}
        </dd>
      </div>
      <div>
        <dt>Health</dt>
        <dd className={head.hasIndexingErrors ? 'bad' : 'good'}>
          {head.hasIndexingErrors ? 'indexing errors' : 'no indexing errors'}
        </dd>
      </div>
      <div className="status-deployment">
        <dt>Deployment</dt>
        <dd title={head.deployment}>{shortHex(head.deployment, 8)}</dd>
      </div>
    </dl>
  );
}
