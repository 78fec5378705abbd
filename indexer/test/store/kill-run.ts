// Parent side of the kill -9 tests (persistence.test.ts, writer-thread.test.ts):
// runs kill-writer.ts in a child process and SIGKILLs it at a random moment.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const writer = join(here, 'kill-writer.ts');
const indexerDir = join(here, '..', '..');

/**
 * Runs kill-writer.ts with `args` (db path, group commit ms, flags) until it has
 * acknowledged `minAcks` blocks and `ready()` holds (polled every 10 ms), then
 * SIGKILLs it after a random pause of up to 150 ms. Resolves with the last block
 * it acknowledged; rejects if it exits on its own.
 */
export function runAndKill(
  args: string[],
  minAcks: number,
  ready: () => boolean = () => true,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, ...args], {
      cwd: indexerDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let acked = 0;
    let count = 0;
    let buf = '';
    let stderr = '';
    let armed = false;
    const arm = () => {
      if (!ready()) return void setTimeout(arm, 10);
      setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 150));
    };
    child.stdout.on('data', (d: Buffer) => {
      const lines = (buf + d.toString()).split('\n');
      buf = lines.pop()!;
      for (const l of lines) {
        acked = Number(l);
        count++;
      }
      if (!armed && count >= minAcks) {
        armed = true;
        arm();
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // 'close', not 'exit': every acknowledgement written before the kill has been read by then.
    child.on('close', (code, signal) =>
      signal === 'SIGKILL'
        ? resolve(acked)
        : reject(new Error(`writer exited on its own (code ${code}): ${stderr}`)),
    );
  });
}
