/** Starts a local anvil (from the @foundry-rs/anvil package) bound to 127.0.0.1. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rpc } from './rpc.js';

const GUARD = join(dirname(fileURLToPath(import.meta.url)), 'anvil-guard.mjs');

/** 2024-12-31T00:00:00Z: one day before the default history starts, so chains are reproducible. */
export const DEFAULT_GENESIS_TIMESTAMP = 1_735_603_200;
export const CHAIN_ID = 31337;
/** Large blocks let the history generator mine thousands of transactions per block. */
export const BLOCK_GAS_LIMIT = 1_000_000_000n;

export interface AnvilOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Keep no historical states (anvil --prune-history): needed for ~1M-event histories. */
  pruneHistory?: boolean;
  genesisTimestamp?: number;
}

export interface Anvil {
  rpcUrl: string;
  port: number;
  stop(): Promise<void>;
}

/** The native binary: running it directly (not the package's node wrapper) means a signal reaches anvil itself. */
export function anvilBinary(): string {
  const require = createRequire(import.meta.url);
  try {
    const pkg = require.resolve('@foundry-rs/anvil-linux-amd64/package.json');
    const bin = join(dirname(pkg), 'bin', 'anvil');
    if (existsSync(bin)) return bin;
  } catch {
    // another platform: fall back to the package's wrapper
  }
  const wrapper = join(dirname(require.resolve('@foundry-rs/anvil/package.json')), 'bin.mjs');
  return wrapper;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export async function startAnvil(opts: AnvilOptions = {}): Promise<Anvil> {
  for (let attempt = 0; ; attempt++) {
    const port = opts.port || (await freePort());
    try {
      return await launch(port, opts);
    } catch (e) {
      // A probed port can be taken by someone else before anvil binds it: probe again.
      if (opts.port || attempt >= 4) throw e;
    }
  }
}

async function launch(port: number, opts: AnvilOptions): Promise<Anvil> {
  const args = [
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--chain-id',
    String(CHAIN_ID),
    '--timestamp',
    String(opts.genesisTimestamp ?? DEFAULT_GENESIS_TIMESTAMP),
    '--gas-limit',
    String(BLOCK_GAS_LIMIT),
    // Transactions of one block execute in the order they were sent.
    '--order',
    'fifo',
    // The generator sends from seed-derived accounts without keys.
    '--auto-impersonate',
    '--silent',
  ];
  if (opts.pruneHistory) args.push('--prune-history');
  const bin = anvilBinary();
  const command = bin.endsWith('.mjs') ? [process.execPath, bin, ...args] : [bin, ...args];
  // anvil spills historical states to ~/.foundry/anvil/tmp (hundreds of MB per chain) and
  // leaves them there when killed: each anvil gets its own home, which the guard removes.
  // The guard (anvil-guard.mjs) also ends anvil when this process ends in any way.
  const home = mkdtempSync(join(tmpdir(), 'ggn-anvil-'));
  const child = spawn(process.execPath, [GUARD, home, ...command], {
    stdio: ['pipe', 'ignore', 'pipe'],
    env: { ...process.env, HOME: home },
  });
  child.stdin!.on('error', () => undefined); // the guard is gone: nothing to tell it
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  // Exiting without stop() (a crashed test, process.exit): the guard sees its stdin close
  // and kills anvil; a SIGTERM first lets anvil clean up after itself.
  const stopOnExit = () => child.kill('SIGTERM');
  process.once('exit', stopOnExit);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      process.removeListener('exit', stopOnExit);
      resolve();
    }),
  );
  let dead = false;
  void exited.then(() => (dead = true));

  const rpcUrl = `http://127.0.0.1:${port}`;
  const rpc = new Rpc(rpcUrl);
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (dead) throw new Error(`anvil exited on port ${port}: ${stderr.trim()}`);
    try {
      await rpc.call('web3_clientVersion');
      break;
    } catch {
      if (Date.now() > deadline) {
        child.stdin!.end(); // the guard kills anvil
        throw new Error(`anvil did not answer on ${rpcUrl}: ${stderr.trim()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    rpcUrl,
    port,
    async stop() {
      if (dead) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.stdin!.end(), 5_000); // the guard then kills anvil
      await exited;
      clearTimeout(timer);
    },
  };
}
