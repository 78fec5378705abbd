// Block atomicity inside a group transaction without a savepoint per block.
//
// With group commit (sqlite-store.ts) many blocks share one SQLite transaction
// and each must still be atomic: a block that fails half-way leaves nothing,
// the blocks before it stay. A savepoint per block does that, but makes SQLite
// copy every page a block touches into its sub-journal before changing it, a
// block at a time: ~10% of commit time in bench/index-bench.ts. Failures are
// rare, so the store
// instead records the statements the open group ran (statement + bound values,
// both kept anyway) and undoes a failed block by rolling back the whole group
// and running its earlier blocks' statements again: the same statements on
// the same state give the same rows, vids included.
import type Database from 'better-sqlite3';
import type { SqlValue } from './layout.js';

export type Params = SqlValue[];

export class RedoLog {
  /** Statement, parameters, statement, parameters, ... since the group began. */
  private readonly entries: (Database.Statement | Params)[] = [];
  private recording = false;

  /** Run a write statement, recording it while a group is open. */
  run(st: Database.Statement, params: Params): Database.RunResult {
    const info = st.run(params);
    if (this.recording) this.entries.push(st, params);
    return info;
  }

  /** A group transaction began: record from now on. */
  start(): void {
    this.entries.length = 0;
    this.recording = true;
  }

  /** The group ended (committed or lost): forget it. */
  stop(): void {
    this.entries.length = 0;
    this.recording = false;
  }

  get isRecording(): boolean {
    return this.recording;
  }

  /** Where the next block's statements begin. */
  mark(): number {
    return this.entries.length;
  }

  /**
   * Run again, in a new transaction that replaced the rolled back group, what the
   * group had run before `mark`; what came after is forgotten.
   */
  redo(mark: number): void {
    this.entries.length = mark;
    for (let i = 0; i < mark; i += 2)
      (this.entries[i] as Database.Statement).run(this.entries[i + 1] as Params);
  }
}
