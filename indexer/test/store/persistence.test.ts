import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parseSchema } from '../../src/schema/model.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { runAndKill as killWriter } from './kill-run.js';
import {
  area,
  BD,
  BI,
  entity,
  I,
  KILL_BLOCK_SIZE,
  killOps,
  plain,
  ptr,
  S,
  schema,
  SCHEMA_SOURCE,
  tempDir,
  X,
} from './fixture.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let fileNo = 0;
const newPath = () => join(tmp.dir, `store-${++fileNo}.db`);

describe('a store file', () => {
  it('reopens where it stopped: head, entities, data sources, errors, metadata', () => {
    const path = newPath();
    const s = SqliteStore.open(path, schema, { deployment: 'QmA' });
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.metadata()).toEqual({
      deployment: 'QmA',
      head: null,
      earliestBlock: null,
      hasIndexingErrors: false,
      fatalError: null,
    });
    const context = entity({
      area: S('1'),
      n: I(3),
      amount: BI(-(10n ** 40n)),
      x: X('0xab'),
      d: BD(-15n, -3),
    });
    s.commitBlock(
      ptr(5),
      [{ type: 'Area', id: '1', entity: area('1') }],
      [
        {
          template: 'AreaDAO',
          address: '0x00000000000000000000000000000000000000aa',
          context,
          creationBlock: 5,
        },
      ],
    );
    s.commitBlock(
      ptr(6),
      [],
      [
        {
          template: 'AreaToken',
          address: '0x00000000000000000000000000000000000000bb',
          context: null,
          creationBlock: 6,
        },
      ],
      {
        message: 'non-fatal',
        handler: 'handleThing',
        blockNumber: 6,
        blockHash: ptr(6).hash,
        deterministic: true,
      },
    );
    s.commitBlock(ptr(7), [], []);
    const fatal = {
      message: 'stopped',
      handler: null,
      blockNumber: 8,
      blockHash: ptr(8).hash,
      deterministic: true,
    };
    s.fail(fatal);
    const before = {
      meta: s.metadata(),
      ds: s.dataSources(),
      digest: s.digest(),
      errors: s.indexingErrors(),
    };
    s.close();

    const r = SqliteStore.open(path, schema, { deployment: 'QmA' });
    expect(r.head()).toEqual(ptr(7));
    expect(r.metadata()).toEqual({
      deployment: 'QmA',
      head: ptr(7),
      earliestBlock: 5,
      hasIndexingErrors: true,
      fatalError: fatal,
    });
    expect(r.metadata()).toEqual(before.meta);
    expect(r.hasIndexingErrors(5)).toBe(false);
    expect(r.indexingErrors()).toEqual(before.errors);
    expect(r.indexingErrors()).toHaveLength(1);
    expect(r.dataSources()).toEqual(before.ds);
    expect(r.dataSources().map((d) => d.template)).toEqual(['AreaDAO', 'AreaToken']);
    expect(plain(r.dataSources()[0].context)).toEqual(plain(context));
    expect(r.digest()).toBe(before.digest);
    expect(plain(r.get('Area', '1'))).toEqual(plain(area('1')));
    r.commitBlock(ptr(8), [{ type: 'Area', id: '1', entity: area('1', { seatCount: I(8) }) }], []);
    expect(r.getAt('Area', '1', 7)?.get('seatCount')).toEqual(I(5));
    expect(r.fatalError()).toBeNull();
    r.close();
  });

  it('refuses a file made for another deployment, another schema, or by something else', () => {
    const path = newPath();
    SqliteStore.open(path, schema, { deployment: 'QmA' }).close();
    expect(() => SqliteStore.open(path, schema, { deployment: 'QmB' })).toThrow(
      /holds deployment QmA, not QmB/,
    );
    const changed = parseSchema(SCHEMA_SOURCE.replace('seatCount: Int!', 'seatCount: BigInt!'));
    expect(() => SqliteStore.open(path, changed, { deployment: 'QmA' })).toThrow(/different schema/);
    expect(() => SqliteStore.openReadonly(path, changed)).toThrow(/different schema/);
    // Formatting and comments are not a schema change.
    const reformatted = parseSchema('# comment\n' + SCHEMA_SOURCE.replace(/\n\s+/g, '\n'));
    SqliteStore.open(path, reformatted, { deployment: 'QmA' }).close();

    const other = newPath();
    const db = new Database(other);
    db.exec('CREATE TABLE t (x)');
    db.close();
    expect(() => SqliteStore.open(other, schema, { deployment: 'QmA' })).toThrow(/not an indexer store/);
    const garbage = newPath();
    writeFileSync(garbage, 'not a database at all, certainly not SQLite');
    expect(() => SqliteStore.open(garbage, schema, { deployment: 'QmA' })).toThrow();
    expect(() => SqliteStore.openReadonly(newPath(), schema)).toThrow();
  });

  it('serves a read-only connection that sees each commit and cannot write', () => {
    const path = newPath();
    const w = SqliteStore.open(path, schema, { deployment: 'QmR' });
    const r = SqliteStore.openReadonly(path, schema);
    expect(r.deployment).toBe('QmR');
    expect(r.head()).toBeNull();
    w.commitBlock(ptr(1), [{ type: 'Area', id: '1', entity: area('1') }], []);
    expect(r.head()).toEqual(ptr(1));
    expect(r.get('Area', '1')?.get('name')).toEqual(S('Area 1'));
    // A reader inside a long read transaction neither blocks the writer nor sees its commits.
    r.db.exec('BEGIN');
    expect(r.head()?.number).toBe(1);
    w.commitBlock(ptr(2), [{ type: 'Area', id: '1', entity: area('1', { name: S('two') }) }], []);
    expect(r.get('Area', '1')?.get('name')).toEqual(S('Area 1'));
    r.db.exec('COMMIT');
    expect(r.get('Area', '1')?.get('name')).toEqual(S('two'));
    expect(r.blockByHash(ptr(2).hash.toUpperCase().replace('0X', '0x'))).toEqual(ptr(2));
    expect(r.metadata()).toEqual(w.metadata());
    expect(r.digest()).toBe(w.digest());
    expect(() => r.db.exec(`DELETE FROM "Area"`)).toThrow(/readonly/);
    r.close();
    w.close();
    // With the writer gone (and its WAL checkpointed away) the file still opens read-only.
    const r2 = SqliteStore.openReadonly(path, schema);
    expect(r2.head()).toEqual(ptr(2));
    r2.close();
  });

  it('the in-memory store is its own reader', () => {
    const s = SqliteStore.open(':memory:', schema, { deployment: 'QmM' });
    expect(() => SqliteStore.openReadonly(':memory:', schema)).toThrow(/use the SqliteStore itself/);
    s.commitBlock(ptr(3), [{ type: 'Area', id: '1', entity: area('1') }], []);
    expect(s.db.prepare('SELECT count(*) FROM "Area" WHERE block_to IS NULL').pluck().get()).toBe(1);
    expect(s.metadata().head).toEqual(ptr(3));
    s.close();
  });
});

describe('kill -9 while writing', () => {
  /** kill-writer.ts until it has acknowledged `minAcks` more blocks, SIGKILLed after a random pause. */
  const runAndKill = (path: string, minAcks: number, groupCommitMs = 0, defer = false) =>
    killWriter([path, String(groupCommitMs), ...(defer ? ['defer'] : [])], minAcks);

  /** Reopen after a kill: the head is a block boundary and the state is exactly that of an uninterrupted run. */
  function checkReopened(path: string, deferIndexes = false): number {
    const s = SqliteStore.open(path, schema, { deployment: 'QmKill', deferIndexes });
    const head = s.head();
    expect(head).not.toBeNull();
    const h = head!.number;
    expect(head).toEqual(ptr(h));
    expect(s.get('Area', 'a')?.get('seatCount')).toEqual(I(h));
    const q = (sql: string) => s.db.prepare(sql).pluck().get();
    expect(q('SELECT count(*) FROM "Seat" WHERE block_to IS NULL')).toBe(h * (KILL_BLOCK_SIZE - 1) - (h - 1));
    expect(q('SELECT max(block_from) FROM "Seat"')).toBe(h);
    expect(q('SELECT max(block_to) FROM "Seat"')).toBe(h);
    expect(q('SELECT count(*) FROM "Seat"')).toBe(h * (KILL_BLOCK_SIZE - 1));
    expect(s.dataSources().map((d) => d.creationBlock)).toEqual(
      Array.from({ length: Math.floor(h / 10) }, (_, i) => (i + 1) * 10),
    );
    // Byte for byte the state of an uninterrupted run to the same block.
    const fresh = SqliteStore.open(':memory:', schema, { deployment: 'QmKill' });
    for (let n = 1; n <= h; n++) fresh.commitBlock(ptr(n), killOps(n), []);
    expect(s.digest()).toBe(fresh.digest());
    fresh.close();
    s.close();
    return h;
  }

  it('reopens at a block boundary with every acknowledged block and no partial block', async () => {
    const path = newPath();
    for (let round = 0; round < 3; round++) {
      const lastAcked = await runAndKill(path, 20);
      const h = checkReopened(path);
      if (process.env.KILL_DEBUG) console.log(`round ${round}: acked ${lastAcked}, head ${h}`);
      // Everything acknowledged is durable; at most the block being written when killed is lost.
      expect(h).toBeGreaterThanOrEqual(lastAcked);
      expect(h).toBeLessThanOrEqual(lastAcked + 1);
    }
  });

  it('with group commit, reopens at a block boundary no further back than one group', async () => {
    const path = newPath();
    let before = 0;
    for (let round = 0; round < 2; round++) {
      const lastAcked = await runAndKill(path, 100, 10);
      const h = checkReopened(path);
      if (process.env.KILL_DEBUG) console.log(`group round ${round}: acked ${lastAcked}, head ${h}`);
      expect(h).toBeLessThanOrEqual(lastAcked + 1);
      expect(h).toBeGreaterThan(before); // groups of 10 ms were flushed while it ran
      before = h;
    }
  });

  it('with group commit and deferred indexes built mid-run, reopens the same way', async () => {
    const path = newPath();
    let before = 0;
    for (let round = 0; round < 2; round++) {
      const lastAcked = await runAndKill(path, 50 + Math.floor(Math.random() * 30), 10, true);
      const h = checkReopened(path, true); // as found
      expect(h).toBeLessThanOrEqual(lastAcked + 1);
      // The indexes are all built or none: never half (one transaction).
      const indexCount = (p: string, deferIndexes: boolean) => {
        const s = SqliteStore.open(p, schema, { deployment: 'QmKill', deferIndexes });
        const n = s.db.prepare(`SELECT count(*) FROM sqlite_schema WHERE type = 'index'`).pluck().get();
        s.close();
        return n;
      };
      expect([indexCount(':memory:', true), indexCount(':memory:', false)]).toContain(indexCount(path, true));
      expect(h).toBeGreaterThan(before);
      before = h;
    }
    // Whether the kill came before, during or after the build, reopening without deferral completes it.
    const s = SqliteStore.open(path, schema, { deployment: 'QmKill' });
    expect(s.hasAllIndexes()).toBe(true);
    s.close();
  });
});
