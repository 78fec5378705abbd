// How progress and the final summary look. On a terminal one status line is
// redrawn in place; otherwise (logs, CI, pipes) a plain line is printed every
// few seconds so the output stays readable.
import type { Progress } from '../sync/progress.js';
import type { IndexingSummary } from '../indexer.js';

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(r).padStart(2, '0')}s`;
  return `${r}s`;
}

const num = (n: number) => Math.round(n).toLocaleString('en-US');

export function progressLine(p: Progress): string {
  const block = p.block ?? '-';
  const pct = p.head > 0 && p.block !== null ? ` ${((100 * p.block) / p.head).toFixed(1)}%` : '';
  const state = p.caughtUp ? 'synced' : `eta ${formatDuration(p.etaSeconds)}`;
  const reorgs = p.reorgs > 0 ? ` | reorgs ${p.reorgs}` : '';
  return `block ${block} / ${p.head}${pct} | ${num(p.events)} events | ${num(p.eventsPerSecond)} ev/s | ${state}${reorgs}`;
}

export class ProgressDisplay {
  private lastPrint = 0;
  private drawn = false;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly intervalMs = out.isTTY ? 200 : 5_000,
  ) {}

  private wasCaughtUp = false;

  update(p: Progress): void {
    const now = Date.now();
    // Print when the interval has passed, and whenever the synced state flips.
    const flipped = p.caughtUp !== this.wasCaughtUp;
    this.wasCaughtUp = p.caughtUp;
    if (now - this.lastPrint < this.intervalMs && !flipped) return;
    this.lastPrint = now;
    const line = progressLine(p);
    if (this.out.isTTY) {
      this.out.write(`\r\x1b[2K${line.slice(0, (this.out.columns ?? 200) - 1)}`);
      this.drawn = true;
    } else {
      this.out.write(`${line}\n`);
    }
  }

  /** A message on its own line, without breaking the status line. */
  notice(message: string): void {
    this.clear();
    this.out.write(`${message}\n`);
  }

  clear(): void {
    if (this.drawn) this.out.write('\r\x1b[2K');
    this.drawn = false;
  }
}

export function summaryText(s: IndexingSummary): string {
  const secs = s.elapsedMs / 1000;
  const rows: Array<[string, string]> = [
    ['head', s.head ? `${s.head.number} (${s.head.hash})` : 'none'],
    ['blocks', num(s.blocks)],
    ['events', `${num(s.events)} (${num(s.events / Math.max(secs, 1e-3))}/s)`],
    ['handler calls', num(s.handlerCalls)],
    ['entities written', num(s.entitiesWritten)],
    ['reorgs', s.reorgs > 0 ? `${s.reorgs} (${s.revertedBlocks} blocks reverted)` : '0'],
    ['rpc', `${num(s.rpcRequests)} requests, ${num(s.rpcRetries)} retries`],
    ['time', formatDuration(secs) + ` (${secs.toFixed(2)}s)`],
    ['deployment', s.deployment],
    ['digest', s.digest],
  ];
  if (s.error)
    rows.push([
      'ERROR',
      `${s.error.handler ?? 'handler'} at block ${s.error.blockNumber}: ${s.error.message}`,
    ]);
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n');
}
