// The graph-node scale path cannot run here (no Docker engine), so CI checks that
// docker-compose.yml is valid with Debian's docker-compose v1.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const has = spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0;

describe('docker-compose.yml', () => {
  // CI installs docker-compose (.ci/run); a developer machine without it skips.
  it.skipIf(!has && !process.env.CI)('validates with `docker-compose config`', () => {
    const r = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it.skipIf(!has && !process.env.CI)(
    'runs graph-node, postgres, ipfs, the chain, the deploy job and the explorer',
    () => {
      const r = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '--services'], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      const services = r.stdout.trim().split('\n');
      for (const s of ['postgres', 'ipfs', 'graph-node', 'chain', 'explorer']) expect(services).toContain(s);
      expect(services.some((s) => /deploy/.test(s))).toBe(true);
    },
  );
});
