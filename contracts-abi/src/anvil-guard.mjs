// Runs one anvil for anvil.ts and makes sure it ends with the process that asked for
// it, however that process ends. Our stdin is a pipe from it: the OS closes the pipe
// even when that process is killed with SIGKILL, and then anvil is killed too, so no
// orphan keeps the devnet's port. Signals are passed on to anvil (Ctrl-C, stop()),
// and the per-anvil home directory (anvil spills state files under ~/.foundry) is
// removed once anvil has exited.
// Usage: node anvil-guard.mjs <home dir> <command> [args...]
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

const [home, command, ...args] = process.argv.slice(2);
const anvil = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
const running = () => anvil.exitCode === null && anvil.signalCode === null;
const pass = (signal) => {
  if (running()) anvil.kill(signal);
};
const done = (code) => {
  rmSync(home, { recursive: true, force: true });
  process.exit(code);
};

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => pass(signal));
// The parent is gone (or gave up on a graceful stop): no second chance.
process.stdin.on('close', () => pass('SIGKILL'));
process.stdin.on('error', () => pass('SIGKILL'));
process.stdin.resume();
anvil.on('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
anvil.on('error', (e) => {
  process.stderr.write(`cannot start anvil: ${e.message}\n`);
  done(1);
});
