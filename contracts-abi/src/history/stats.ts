/** Counts the protocol's logs by event name as blocks are mined. */
import { toEventSelector, type Hex } from 'viem';
import { allEventsAbi } from '../protocol.js';
import type { MinedBlock } from '../chain.js';

const NAMES = new Map<Hex, string>();
for (const e of allEventsAbi) NAMES.set(toEventSelector(e as never), e.name);

export class EventStats {
  readonly byName: Record<string, number> = {};
  total = 0;

  add(block: MinedBlock): void {
    for (const log of block.logs) {
      const name = NAMES.get(log.topics[0]);
      if (!name) continue;
      this.byName[name] = (this.byName[name] ?? 0) + 1;
      this.total++;
    }
  }

  /** Sorted by name, so printed summaries and committed files are stable. */
  sorted(): Record<string, number> {
    return Object.fromEntries(
      Object.keys(this.byName)
        .sort()
        .map((k) => [k, this.byName[k]]),
    );
  }
}
