#!/usr/bin/env node
// The `ggn` command: loads tsx's ESM hooks, then runs the TypeScript CLI as is
// (the project has no build step for Node code).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
