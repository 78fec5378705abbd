// A transaction hash: shortened on screen, full in the title and for copying.
import { shortHex } from '../lib/format.ts';

export function TxLink({ hash }: { hash: string | null | undefined }) {
  if (!hash) return <span className="muted">—</span>;
  return (
    <code className="hash" title={hash} aria-label={`transaction ${hash}`} data-hash={hash}>
      {shortHex(hash)}
    </code>
  );
}
