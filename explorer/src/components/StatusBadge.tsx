import { humanize } from '../lib/format.ts';

/** Motion status; a vetoed motion not yet finalized is ACTIVE with vetoed = true. */
export function StatusBadge({ status, vetoed }: { status: string; vetoed?: boolean }) {
  const label = status === 'ACTIVE' && vetoed ? 'Vetoed (not finalized)' : humanize(status);
  return (
    <span className={`badge status-${status.toLowerCase()}${vetoed ? ' status-vetoed' : ''}`}>{label}</span>
  );
}
