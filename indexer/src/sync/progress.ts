// Indexing progress: counters plus rates over a sliding window, so the figures
// shown follow the current speed rather than the average since start.
export interface Progress {
  /** The last committed block (null before the first). */
  block: number | null;
  /** The chain head as last polled (or untilBlock when that is lower). */
  head: number;
  /** Blocks indexed by this run. */
  blocksDone: number;
  /** Blocks still to go to reach `head`. */
  blocksLeft: number;
  /** Logs given to the runner (events), handler calls made, entity changes written. */
  events: number;
  handlerCalls: number;
  entitiesWritten: number;
  eventsPerSecond: number;
  blocksPerSecond: number;
  /** Seconds to reach `head` at the current speed; null when unknown. */
  etaSeconds: number | null;
  /** Reorgs handled and blocks reverted by them. */
  reorgs: number;
  revertedBlocks: number;
  caughtUp: boolean;
  elapsedMs: number;
}

interface Sample {
  t: number;
  blocks: number;
  events: number;
}

export class ProgressMeter {
  readonly startedAt = Date.now();
  private samples: Sample[] = [];

  constructor(private readonly windowMs = 10_000) {}

  /** Records the running totals now; returns rates over the window. */
  sample(blocks: number, events: number): { blocksPerSecond: number; eventsPerSecond: number } {
    const now = Date.now();
    this.samples.push({ t: now, blocks, events });
    while (this.samples.length > 2 && now - this.samples[1]!.t > this.windowMs) this.samples.shift();
    const first = this.samples[0]!;
    const dt = (now - first.t) / 1000;
    if (dt <= 0) {
      const total = (now - this.startedAt) / 1000 || 1e-3;
      return { blocksPerSecond: blocks / total, eventsPerSecond: events / total };
    }
    return { blocksPerSecond: (blocks - first.blocks) / dt, eventsPerSecond: (events - first.events) / dt };
  }
}
