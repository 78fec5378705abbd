// The writer thread of a ThreadedStore (writer-thread.ts): owns the file's
// writing connection, a SqliteStore with group commit, and runs what the main
// thread hands it, in order: blocks (already encoded and checked there) and
// calls, each answered on the reply port with the control word REPLY bumped
// (the main thread waits on it). Committed groups are acknowledged through
// COMMITTED: the main thread may then read those blocks from the file.
//
// A block that fails here (an SQLite error: disk full, I/O) is undone alone as
// in the main thread (redo-log.ts); the blocks after it are skipped, FAILED is
// raised, and the next call is answered with the error after committing what
// survived, so the main thread can start again from the file.
import { setPriority } from 'node:os';
import { workerData, parentPort, type MessagePort } from 'node:worker_threads';
import { parseSchema } from '../schema/model.js';
import type { SqlValue } from './layout.js';
import { SqliteStore } from './sqlite-store.js';
import { StoreWriteError } from './versions.js';
import { RowUnpacker } from './row-pack.js';
import {
  CTL,
  type BatchMessage,
  type BlockMessage,
  type CallMessage,
  type DataSourceRow,
  type RowWrite,
  type WireError,
  type WriterData,
} from './writer-protocol.js';

const data = workerData as WriterData;

// Writing is background work: when the cores are busy, the main thread (handlers)
// goes first; the writer keeps up in the gaps (and commitBlock waits for it if it
// falls far behind). On Linux a nice value is per thread, so this is this thread's
// alone; elsewhere it would be the whole process's, so it is left alone.
if (process.platform === 'linux' && data.nice)
  try {
    setPriority(0, data.nice);
  } catch {
    // Not allowed (some sandboxes): the same priority as the main thread, as before.
  }
const ctl = new Int32Array(data.ctl);
const replies: MessagePort = data.replies;

const toWire = (e: unknown): WireError =>
  e instanceof Error
    ? {
        message: e.message,
        stack: e.stack,
        code: (e as { code?: unknown }).code as string | undefined,
        storeWrite: e instanceof StoreWriteError,
      }
    : { message: String(e), storeWrite: false };

let store: SqliteStore | null = null;
/** Sequence number of the last block handed over (counted as the main thread counts them). */
let seq = 0;
/** The last block whose writes are in the open group (or committed). */
let written = 0;
/** A block's or a timer's failure not yet reported, and the blocks skipped since. */
let failure: unknown = null;
/** The block being written, while commitRows runs (a group may commit at its end). */
let inBlock: number | null = null;

function reply(
  id: number,
  msg: { ok: true; value?: unknown } | { ok: false; error: WireError; recovered?: boolean },
) {
  replies.postMessage({ id, ...msg });
  Atomics.store(ctl, CTL.REPLY, id);
  Atomics.notify(ctl, CTL.REPLY);
}

function fail(e: unknown) {
  failure ??= e;
  Atomics.store(ctl, CTL.FAILED, 1);
}

/** A block's writes out of the batch's packed rows (the unpacker moves past them). */
function unpackWrites(rows: RowUnpacker, count: number): RowWrite[] {
  const writes: RowWrite[] = new Array<RowWrite>(count);
  for (let i = 0; i < count; i++) {
    const table = rows.u32();
    const key: SqlValue = rows.value();
    const n = rows.u32();
    let row: SqlValue[] | null = null;
    if (n > 0) {
      row = new Array<SqlValue>(n - 1);
      for (let j = 0; j < n - 1; j++) row[j] = rows.value();
    }
    writes[i] = [table, key, row];
  }
  return writes;
}

function runBlock(s: SqliteStore, m: BlockMessage, writes: RowWrite[]) {
  const [number, hash, parentHash, timestamp, changed, , dataSources, error] = m;
  s.commitRows(
    { number, hash: hash as `0x${string}`, parentHash: parentHash as `0x${string}`, timestamp },
    changed,
    writes,
    dataSources as DataSourceRow[],
    error ?? undefined,
  );
}

function call(s: SqliteStore, op: string, args: unknown[]): unknown {
  switch (op) {
    case 'flush':
      return s.flush();
    case 'revertTo':
      return s.revertTo(args[0] as number);
    case 'fail':
      return s.fail(args[0] as Parameters<SqliteStore['fail']>[0]);
    case 'ensureIndexes':
      return s.ensureIndexes();
    case 'hasAllIndexes':
      return s.hasAllIndexes();
    case 'close':
      s.close();
      store = null;
      return undefined;
    case 'read': {
      // Reads the main thread cannot answer from the file alone: the writer sees its open group.
      const [method, ...rest] = args as [string, ...unknown[]];
      return (s as unknown as Record<string, (...a: unknown[]) => unknown>)[method](...rest);
    }
    default:
      throw new Error(`writer thread: unknown call ${op}`);
  }
}

function onCall(m: CallMessage) {
  const s = store;
  if (s === null)
    return reply(m.id, { ok: false, error: { message: 'the store is closed', storeWrite: false } });
  if (failure !== null) {
    // Report it once, with the file holding exactly what survived.
    const e = failure;
    failure = null;
    try {
      s.flush();
    } catch {
      // The group is lost: the store is back at its last commit, which the file holds.
    }
    if (m.op === 'close') {
      s.close();
      store = null;
    }
    Atomics.store(ctl, CTL.FAILED, 0);
    return reply(m.id, { ok: false, error: toWire(e), recovered: true });
  }
  try {
    const value = call(s, m.op, m.args);
    reply(m.id, { ok: true, value });
  } catch (e) {
    reply(m.id, { ok: false, error: toWire(e) });
  }
}

try {
  const schema = parseSchema(data.schema);
  const s = SqliteStore.open(data.path, schema, {
    deployment: data.deployment,
    groupCommitMs: data.groupCommitMs,
    deferIndexes: data.deferIndexes,
  });
  // A group commits at the end of a block's commitRows (its time is up), that block
  // included, or on its timer.
  s.onCommitted = () => Atomics.store(ctl, CTL.COMMITTED, inBlock ?? written);
  s.onTimerError = fail;
  s.keepVersionsOnly();
  store = s;
  reply(0, { ok: true, value: null });
} catch (e) {
  reply(0, { ok: false, error: toWire(e) });
}

parentPort!.on('message', (m: Partial<BatchMessage> & { call?: CallMessage }) => {
  if (m.blocks) {
    const s = store;
    const rows = new RowUnpacker(m.rows!, m.rowsLength!);
    for (const b of m.blocks) {
      seq++;
      const writes = unpackWrites(rows, b[5]); // read even when skipped: the next block's follow
      if (s !== null && failure === null) {
        inBlock = seq;
        try {
          runBlock(s, b, writes);
          written = seq;
        } catch (e) {
          fail(e);
        } finally {
          inBlock = null;
        }
      }
      Atomics.add(ctl, CTL.PROCESSED_ROWS, b[5]);
      Atomics.store(ctl, CTL.PROCESSED, seq);
    }
    Atomics.notify(ctl, CTL.PROCESSED);
  } else if (m.call) onCall(m.call);
});
