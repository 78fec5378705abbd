// Rendering subgraph.yaml from the template and a deployment record, and the
// template's coverage of the protocol's events.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  DEFAULT_ABI_DIR,
  ManifestError,
  TEMPLATE_FILE,
  fillTemplate,
  readDeployment,
  renderManifest,
  validateDeployment,
} from '../scripts/lib/manifest.js';

const PROTOCOL_SPEC = process.env.GGN_PROTOCOL_SPEC ?? '/work/shared/spec/protocol.md';
const template = readFileSync(TEMPLATE_FILE, 'utf8');
const deployment = {
  network: 'testnet-a',
  chainId: 4242,
  factory: '0xAbCdEf0000000000000000000000000000000001',
  utilityToken: '0x0000000000000000000000000000000000000002',
  startBlock: 1234,
};

interface Source {
  name: string;
  network: string;
  source: { address?: string; abi: string; startBlock?: number };
  mapping: {
    apiVersion: string;
    abis: { name: string; file: string }[];
    eventHandlers: { event: string; handler: string }[];
  };
}

function rendered(): { specVersion: string; dataSources: Source[]; templates: Source[] } {
  return parse(renderManifest(template, validateDeployment(deployment, 'test'), DEFAULT_ABI_DIR));
}

describe('manifest rendering', () => {
  it('puts the deployment into the factory data source and the network into every template', () => {
    const m = rendered();
    expect(m.specVersion).toBe('1.3.0');
    expect(m.dataSources).toHaveLength(1);
    const [factory] = m.dataSources;
    expect(factory.network).toBe('testnet-a');
    expect(factory.source).toEqual({
      address: deployment.factory.toLowerCase(),
      abi: 'GGNFactory',
      startBlock: 1234,
    });
    expect(m.templates.map((t) => [t.name, t.network, t.source.address])).toEqual([
      ['AreaDAO', 'testnet-a', undefined],
      ['AreaGovernanceToken', 'testnet-a', undefined],
    ]);
    for (const ds of [...m.dataSources, ...m.templates]) {
      expect(ds.mapping.apiVersion).toBe('0.0.9');
      for (const abi of ds.mapping.abis) expect(abi.file).toBe(`../contracts-abi/abi/${abi.name}.json`);
    }
  });

  it('handles every event of the protocol spec with its exact signature', () => {
    const text = readFileSync(PROTOCOL_SPEC, 'utf8');
    const expected = new Map<string, string>();
    for (const [, name, args] of text.matchAll(/event (\w+)\(([^)]*)\)/g)) {
      const types = args
        .split(',')
        .map((a) => a.trim().split(/\s+/))
        .map((parts) => (parts[1] === 'indexed' ? `indexed ${parts[0]}` : parts[0]));
      expected.set(name, `${name}(${types.join(',')})`);
    }
    expect(expected.size).toBe(17);
    // The governance token's ERC-20 Transfer ("Standard Transfer" in the spec).
    expected.set('Transfer', 'Transfer(indexed address,indexed address,uint256)');
    const m = rendered();
    const handled = [...m.dataSources, ...m.templates].flatMap((ds) =>
      ds.mapping.eventHandlers.map((h) => h.event),
    );
    expect(handled.sort()).toEqual([...expected.values()].sort());
  });

  it('fails with the way out when the devnet deployment is missing', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'ggn-manifest-')), 'devnet.json');
    expect(() => readDeployment(missing, 'devnet')).toThrow(/npm run devnet/);
    expect(() => readDeployment(missing, 'sepolia')).toThrow(/deployments\/sepolia\.json/);
  });

  it('rejects malformed deployment records', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ggn-manifest-')), 'devnet.json');
    writeFileSync(file, JSON.stringify({ ...deployment, factory: '0x1234', startBlock: -1 }));
    expect(() => readDeployment(file, 'devnet')).toThrow(/factory must be a 0x address; startBlock/);
    writeFileSync(file, '{ not json');
    expect(() => readDeployment(file, 'devnet')).toThrow(ManifestError);
  });

  it('refuses unfilled and unused placeholders', () => {
    expect(() => fillTemplate('a: "{{x}}"', {})).toThrow(/\{\{x\}\} has no value/);
    expect(() => fillTemplate('a: 1', { x: '1' })).toThrow(/lacks placeholders for: x/);
    expect(() => fillTemplate('a: {{x}}/y', { x: '1' })).toThrow(/not valid YAML/);
  });

  it('keeps value types and comments', () => {
    const out = fillTemplate('# keep me\nn: "{{ n }}"\ns: "{{s}}"\np: "{{s}}/x.json" # and me\n', {
      n: 7,
      s: 'a',
    });
    expect(out).toBe('# keep me\nn: 7\ns: "a"\np: "a/x.json" # and me\n');
    expect(parse(out)).toEqual({ n: 7, s: 'a', p: 'a/x.json' });
  });
});
