// Child process of the kill -9 test: commits blocks of killOps() as fast as it
// can, resuming after the head, and prints each block number once commitBlock
// returned (durable then, unless group commit is on).
// The parent SIGKILLs it at a random moment. With "defer" it opens the store with
// deferred indexes and builds them after its 60th block (so a kill may land in
// the middle of that too). With "thread" it writes through a writer thread
// (OpenOptions.writerThread; group commit only).
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { killOps, ptr, schema } from './fixture.js';

const path = process.argv[2];
const groupCommitMs = Number(process.argv[3] ?? 0);
const deferIndexes = process.argv.slice(4).includes('defer');
const writerThread = process.argv.slice(4).includes('thread');
if (!path) throw new Error('usage: kill-writer.ts <db path> [groupCommitMs] [defer] [thread]');
const store = SqliteStore.open(path, schema, {
  deployment: 'QmKill',
  groupCommitMs,
  deferIndexes,
  writerThread,
});
const first = (store.head()?.number ?? 0) + 1;
for (let n = first; ; n++) {
  if (deferIndexes && n === first + 60) store.ensureIndexes();
  store.commitBlock(
    ptr(n),
    killOps(n),
    n % 10 === 0
      ? [
          {
            template: 'AreaDAO',
            address: '0x' + n.toString(16).padStart(40, '0'),
            context: null,
            creationBlock: n,
          },
        ]
      : [],
  );
  // Pipes are written synchronously on Linux: once this returns the parent can see it.
  process.stdout.write(`${n}\n`);
}
