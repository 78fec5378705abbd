// The `ggn index` command as a user runs it: help and usage errors, a run to
// --until-block then a resumed run to the head with progress and summary, and
// --follow stopped by SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanDigest, startDevChain, type DevChain } from './fixture.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/ggn.js');

let chain: DevChain;
let tmp: string;

beforeAll(async () => {
  chain = await startDevChain({ areas: 1, months: 3 });
  tmp = mkdtempSync(path.join(os.tmpdir(), 'ggn-cli-'));
});

afterAll(async () => {
  await chain?.anvil.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function ggn(args: string[], opts: { stopAfter?: (stderr: string) => boolean } = {}) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let stopped = false;
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    // One signal, as a user's one Ctrl-C: a second one means "stop now" to the CLI.
    if (!stopped && opts.stopAfter?.(stderr)) {
      stopped = true;
      child.kill('SIGTERM');
    }
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, stdout, stderr })),
  );
}

const summaryField = (out: string, name: string) => out.match(new RegExp(`^${name}\\s+(.+)$`, 'm'))?.[1];

describe('ggn index', () => {
  it('prints help, and refuses bad usage with exit code 2', async () => {
    const help = await ggn(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: ggn index --rpc URL --subgraph DIR --db FILE');
    const missing = await ggn(['index', '--subgraph', chain.subgraphDir, '--db', ':memory:']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--rpc is required');
    const bad = await ggn([
      'index',
      '--rpc',
      chain.anvil.rpcUrl,
      '--subgraph',
      chain.subgraphDir,
      '--db',
      ':memory:',
      '--from-block',
      'x',
    ]);
    expect(bad.code).toBe(2);
  });

  it('indexes to --until-block, resumes to the head, and summarises', async () => {
    const db = path.join(tmp, 'cli.db');
    const clean = await cleanDigest(chain.anvil.rpcUrl, chain.subgraphDir);
    const mid = Math.floor((chain.history.fromBlock + chain.history.toBlock) / 2);
    const args = ['index', '--rpc', chain.anvil.rpcUrl, '--subgraph', chain.subgraphDir, '--db', db];

    const first = await ggn([...args, '--until-block', String(mid)]);
    expect(first.code, first.stderr).toBe(0);
    expect(summaryField(first.stdout, 'head')).toMatch(new RegExp(`^${mid} \\(0x[0-9a-f]{64}\\)$`));
    expect(first.stderr).toMatch(/block \d+ \/ \d+/); // progress lines (not a TTY: plain lines)
    expect(first.stderr).toContain(`at block ${mid}: building the query indexes`);
    expect(first.stderr).toContain(`computing the store digest at block ${mid}`);

    const second = await ggn(args);
    expect(second.code, second.stderr).toBe(0);
    expect(summaryField(second.stdout, 'head')).toMatch(new RegExp(`^${chain.history.toBlock} `));
    expect(summaryField(second.stdout, 'digest')).toBe(clean.digest);
    for (const row of ['blocks', 'events', 'handler calls', 'entities written', 'time', 'deployment']) {
      expect(summaryField(second.stdout, row), row).toBeTruthy();
    }
    // The resumed run only did the second half.
    expect(Number(summaryField(second.stdout, 'blocks')!.replace(/,/g, ''))).toBe(
      chain.history.toBlock - mid,
    );
  });

  it('--follow keeps running when synced and stops cleanly on SIGTERM', async () => {
    const r = await ggn(
      [
        'index',
        '--rpc',
        chain.anvil.rpcUrl,
        '--subgraph',
        chain.subgraphDir,
        '--db',
        ':memory:',
        '--follow',
        '--poll-interval',
        '50',
        '--json',
      ],
      { stopAfter: (stderr) => stderr.includes('synced') },
    );
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.head.number).toBe(chain.history.toBlock);
    expect(summary.error).toBeNull();
  });
});
