// Acceptance: crash safety. The CLI indexes the default devnet history into a
// store file as a child process and is killed with SIGKILL at random moments,
// then restarted on the same file; the finished store's digest must equal a
// clean run's. Every kill lands at a block boundary or not at all: SQLite
// commits each block in one transaction.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSchema } from '../../src/schema/model.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { schemaPath } from '../../src/sync/deployment.js';
import { cleanDigest, startDevChain, type DevChain } from './fixture.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/ggn.js');

let chain: DevChain;
let tmp: string;
// The CLI indexes the default history in about a second: through a node that refuses
// eth_getLogs over more than a few blocks (as hosted providers do) it takes several,
// so random kills land while blocks are being committed.
let slowNode: FaultProxy;

beforeAll(async () => {
  chain = await startDevChain();
  slowNode = await startFaultProxy({ upstream: chain.anvil.rpcUrl, rate: 0, maxLogRange: 4 });
  tmp = mkdtempSync(path.join(os.tmpdir(), 'ggn-crash-'));
});

afterAll(async () => {
  await slowNode?.close();
  await chain?.anvil.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI; with `killAtBlock`, SIGKILLs it as soon as its store (as another
 * connection sees it) has reached that block, i.e. in the middle of indexing.
 */
function runCli(dbPath: string, killAtBlock?: number): Promise<Exit> {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'index',
      '--rpc',
      slowNode.url,
      '--subgraph',
      chain.subgraphDir,
      '--db',
      dbPath,
      '--json',
      '--quiet',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer =
    killAtBlock === undefined
      ? null
      : setInterval(() => {
          const head = headOf(dbPath);
          if (head !== null && head >= killAtBlock) child.kill('SIGKILL');
        }, 15);
  return new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      if (timer) clearInterval(timer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
}

function headOf(dbPath: string): number | null {
  if (!existsSync(dbPath)) return null;
  schemaModel ??= parseSchema(readFileSync(schemaPath(chain.subgraphDir), 'utf8'));
  let reader;
  try {
    reader = SqliteStore.openReadonly(dbPath, schemaModel);
  } catch {
    return null; // the writer has not created its tables yet
  }
  try {
    return reader.head()?.number ?? null;
  } finally {
    reader.close();
  }
}
let schemaModel: ReturnType<typeof parseSchema> | undefined;

// Seeded, so a failing kill schedule can be replayed.
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('crash safety', () => {
  it('kill -9 at random points and restart gives the digest of a clean run', async () => {
    const clean = await cleanDigest(chain.anvil.rpcUrl, chain.subgraphDir);
    const dbPath = path.join(tmp, 'crash.db');

    const full = await runCli(path.join(tmp, 'timing.db'));
    expect(full.code, full.stderr).toBe(0);
    expect(JSON.parse(full.stdout).digest).toBe(clean.digest);

    // Each kill lands at a random block between where the store is and the chain head.
    const random = prng(20261124);
    const final = clean.summary.head!.number;
    const heads: Array<number | null> = [];
    let midway = 0;
    for (let kill = 0; kill < 8; kill++) {
      const from = headOf(dbPath) ?? 0;
      const exit = await runCli(dbPath, from + 1 + Math.floor(random() * (final - from - 1)));
      if (exit.signal !== 'SIGKILL') {
        // It finished before the kill: nothing more to interrupt.
        expect(exit.code, exit.stderr).toBe(0);
        break;
      }
      const head = headOf(dbPath);
      heads.push(head);
      if (head !== null && head < clean.summary.head!.number) midway++;
    }
    // Kills landed while blocks were being committed, and restarts made progress.
    expect(midway, `heads after kills: ${heads.join(', ')}`).toBeGreaterThanOrEqual(2);

    const last = await runCli(dbPath);
    expect(last.code, last.stderr).toBe(0);
    const summary = JSON.parse(last.stdout);
    expect(summary.error).toBeNull();
    expect(summary.head.number).toBe(clean.summary.head!.number);
    expect(summary.digest).toBe(clean.digest);
  }, 600_000);
});
