#!/usr/bin/env -S node --max-semi-space-size=64
// The `ggn` command: loads tsx's ESM hooks, then runs the TypeScript CLI as is
// (the project has no build step for Node code). A 64 MiB young generation (V8's
// default is 16) lets most per-block objects die before a scavenge copies them:
// ~15% faster indexing in bench:index, a few tens of MiB more memory; it can only
// be set when node starts, hence the shebang (`env -S`: Linux and macOS).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
