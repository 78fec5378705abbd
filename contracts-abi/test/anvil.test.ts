// The devnet's anvil never outlives the process that started it, however that ends.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startAnvil } from '../src/anvil.js';
import { Rpc } from '../src/rpc.js';

const answers = async (rpcUrl: string) => {
  try {
    await new Rpc(rpcUrl).call('eth_chainId');
    return true;
  } catch {
    return false;
  }
};

async function gone(rpcUrl: string, withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (!(await answers(rpcUrl))) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe('anvil lifetime', () => {
  it('stop() ends anvil', async () => {
    const anvil = await startAnvil();
    expect(await answers(anvil.rpcUrl)).toBe(true);
    await anvil.stop();
    expect(await answers(anvil.rpcUrl)).toBe(false);
  });

  it('ends when the process that started it is killed with SIGKILL (no orphan keeps the port)', async () => {
    const src = fileURLToPath(new URL('../src/anvil.ts', import.meta.url));
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import { startAnvil } from ${JSON.stringify(src)};
         const a = await startAnvil();
         console.log(a.rpcUrl);
         setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const rpcUrl = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
        if (m) resolve(m[0]);
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    expect(await answers(rpcUrl)).toBe(true);
    child.kill('SIGKILL');
    expect(await gone(rpcUrl, 10_000)).toBe(true);
  }, 60_000);
});
