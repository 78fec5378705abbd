/** Tiny flag parser shared by the CLIs: --name value, --flag, --no-flag. */
import type { HistoryOptions, HistoryProgress, HistorySummary } from '../history/types.js';

export function parseArgs(argv: string[]): Map<string, string | true> {
  const out = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument: ${a}`);
    const [key, inline] = a.slice(2).split('=', 2);
    if (inline !== undefined) out.set(key, inline);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out.set(key, argv[++i]);
    else out.set(key, true);
  }
  return out;
}

export function intArg(args: Map<string, string | true>, key: string): number | undefined {
  const v = args.get(key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v === true || !Number.isInteger(n) || n < 0) throw new Error(`--${key} needs a non-negative integer`);
  return n;
}

export function historyArgs(args: Map<string, string | true>): HistoryOptions {
  const h: HistoryOptions = {};
  const set = (key: keyof HistoryOptions, flag: string) => {
    const v = intArg(args, flag);
    if (v !== undefined) h[key] = v;
  };
  set('seed', 'seed');
  set('areas', 'areas');
  set('months', 'months');
  set('groups', 'groups');
  set('consumers', 'consumers');
  set('motionsPerMonth', 'motions-per-month');
  set('startTime', 'start-time');
  set('tickHours', 'tick-hours');
  return h;
}

/** Prints progress at most once a second. */
export function progressPrinter(): (p: HistoryProgress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < 1000) return;
    last = now;
    const date = new Date(p.timestamp * 1000).toISOString().slice(0, 10);
    process.stderr.write(
      `  ${p.events.toLocaleString('en')} events, ${p.blocks} blocks, ${p.transactions} txs, ${p.eventsPerSecond} events/s, chain at ${date}\n`,
    );
  };
}

export function printSummary(s: HistorySummary): void {
  console.log(
    `history (seed ${s.seed}): blocks ${s.fromBlock}..${s.toBlock}, ${s.transactions} transactions, ` +
      `${s.totalEvents} events in ${(s.elapsedMs / 1000).toFixed(1)} s (${s.eventsPerSecond} events/s)`,
  );
  console.log(
    `  events:  ${Object.entries(s.events)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  console.log(
    `  motions: ${s.motions.total} (${Object.entries(s.motions.byOutcome)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')})`,
  );
  console.log(
    `  leases:  granted ${s.leases.granted}, renewed ${s.leases.renewed}, expired ${s.leases.expired} ` +
      `(${s.leases.expiredByAcceptance} by a later acceptance), ended unexpired ${s.leases.endedUnexpired}`,
  );
  console.log(`  areas:   ${s.areas.map((a) => `${a.areaId} ${a.code} dao ${a.dao}`).join('; ')}`);
}
