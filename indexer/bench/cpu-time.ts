// CPU time by thread (benchmarks only): where the cores went during a measured phase.
// On these 2-core machines wall time is bounded by total CPU work, not by any one
// thread, so the benchmark prints who used the CPU: this process's main thread, the
// threads it started (store writer, chain source), its other threads (V8's GC
// helpers, libuv) and the node serving the RPC port. Reads Linux /proc; elsewhere
// every figure is null and nothing is printed.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** utime + stime of /proc/<path>/stat, in ms (the clock ticks are 10 ms on Linux). */
function statCpuMs(path: string): number {
  const stat = readFileSync(`/proc/${path}/stat`, 'utf8');
  // Fields after the command name, which may contain spaces: state is field 3, utime 14, stime 15.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

/** CPU ms by thread id of this process, or null off Linux. */
export function threadCpu(): Map<number, number> | null {
  try {
    const out = new Map<number, number>();
    for (const tid of readdirSync(`/proc/${process.pid}/task`)) {
      try {
        out.set(Number(tid), statCpuMs(`${process.pid}/task/${tid}`));
      } catch {
        // the thread ended between listing and reading
      }
    }
    return out;
  } catch {
    return null;
  }
}

/** The pid of the local process listening on TCP `port` (e.g. anvil), or null. */
export function listenerPid(port: number): number | null {
  try {
    const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
    const inodes = new Set<string>();
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
        const cols = line.trim().split(/\s+/);
        // local_address is "IP:PORT"; state 0A is LISTEN; column 9 is the socket inode.
        if (cols[1]?.endsWith(`:${hexPort}`) && cols[3] === '0A') inodes.add(cols[9]!);
      }
    }
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        for (const fd of readdirSync(`/proc/${pid}/fd`)) {
          const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
          if (m && inodes.has(m[1]!)) return Number(pid);
        }
      } catch {
        // not ours to read, or gone
      }
    }
  } catch {
    // not Linux
  }
  return null;
}

export function processCpuMs(pid: number): number | null {
  try {
    return statCpuMs(String(pid));
  } catch {
    return null;
  }
}

export interface CpuSplit {
  mainMs: number;
  /** Threads that did not exist when the meter started (the indexer's workers). */
  startedMs: number;
  /** The process's other threads: V8 platform workers (GC, compiler), libuv's pool. */
  otherMs: number;
  /** The RPC node's process, when it is local. */
  nodeMs: number | null;
}

/** Starts measuring; the returned function gives the CPU used since, by kind of thread. */
export function cpuMeter(rpcUrl: string): (() => CpuSplit) | null {
  const before = threadCpu();
  if (!before) return null;
  const port = Number(new URL(rpcUrl).port);
  const nodePid = port ? listenerPid(port) : null;
  const node0 = nodePid === null ? null : processCpuMs(nodePid);
  return () => {
    const after = threadCpu() ?? new Map<number, number>();
    const split: CpuSplit = { mainMs: 0, startedMs: 0, otherMs: 0, nodeMs: null };
    // Threads that ended before now are missing from `after`: their time is lost to this
    // split (the indexer's workers are still running when it is read).
    for (const [tid, ms] of after) {
      const used = ms - (before.get(tid) ?? 0);
      if (tid === process.pid) split.mainMs += used;
      else if (before.has(tid)) split.otherMs += used;
      else split.startedMs += used;
    }
    const node1 = nodePid === null ? null : processCpuMs(nodePid);
    if (node0 !== null && node1 !== null) split.nodeMs = node1 - node0;
    return split;
  };
}

export function describeCpu(s: CpuSplit, wallMs: number): string {
  const sec = (ms: number) => `${(ms / 1000).toFixed(2)}s`;
  const total = s.mainMs + s.startedMs + s.otherMs + (s.nodeMs ?? 0);
  return (
    `main thread ${sec(s.mainMs)}, threads it started ${sec(s.startedMs)}, ` +
    `other threads (GC, libuv) ${sec(s.otherMs)}, ` +
    `RPC node ${s.nodeMs === null ? 'n/a (not local)' : sec(s.nodeMs)}; ` +
    `total ${sec(total)} = ${(total / wallMs).toFixed(2)} cores busy on average`
  );
}
