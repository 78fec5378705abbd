// How every connection to a store file is opened: the writer's (in this thread,
// or a writer thread's: writer-thread.ts) and read-only ones.
import Database from 'better-sqlite3';

export function openConnection(path: string, readonly: boolean): Database.Database {
  const db = new Database(path, { readonly, fileMustExist: readonly });
  if (!readonly) {
    // Only takes effect when the file is created. 8 KiB measured best overall in
    // bench/store-bench.ts: bigger pages split less on random-key index inserts but
    // make every small commit write more to the WAL.
    db.pragma('page_size = 8192');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // A big group can grow the WAL; give the space back once it is checkpointed.
    db.pragma('journal_size_limit = 67108864');
  }
  db.pragma('cache_size = -65536'); // 64 MiB page cache per connection: index pages stay hot
  db.pragma('temp_store = MEMORY');
  db.pragma('busy_timeout = 5000');
  return db;
}
