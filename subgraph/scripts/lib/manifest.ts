// Renders subgraph.yaml from subgraph.template.yaml and a deployment record.
// Kept free of process/env access so tests can call it with any inputs.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Scalar, parseDocument, visit } from 'yaml';

export const SUBGRAPH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const REPO_DIR = resolve(SUBGRAPH_DIR, '..');
export const TEMPLATE_FILE = join(SUBGRAPH_DIR, 'subgraph.template.yaml');
export const DEFAULT_ABI_DIR = join(REPO_DIR, 'contracts-abi', 'abi');
export const ABI_NAMES = ['GGNFactory', 'AreaDAO', 'AreaGovernanceToken'] as const;

/** deployments/<network>.json, as written by the contracts workspace. */
export interface Deployment {
  network: string;
  chainId: number;
  factory: string;
  utilityToken: string;
  startBlock: number;
}

export class ManifestError extends Error {}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
// graph-node chain names: what `ethereum: <name>:<url>` accepts and the manifest repeats.
const NETWORK_NAME = /^[a-z0-9][a-z0-9-]*$/;

export function deploymentFile(network: string): string {
  return join(REPO_DIR, 'deployments', `${network}.json`);
}

export function readDeployment(file: string, network: string): Deployment {
  if (!existsSync(file)) {
    const hint =
      network === 'devnet'
        ? 'Run `npm run devnet` at the repository root first: it deploys the protocol to the local devnet and writes deployments/devnet.json.'
        : `Add deployments/${network}.json ({ network, chainId, factory, utilityToken, startBlock }) for that network.`;
    throw new ManifestError(`Deployment record ${file} not found. ${hint}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ManifestError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  return validateDeployment(raw, file);
}

export function validateDeployment(raw: unknown, source: string): Deployment {
  if (typeof raw !== 'object' || raw === null) throw new ManifestError(`${source}: expected a JSON object`);
  const d = raw as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof d.network !== 'string' || !NETWORK_NAME.test(d.network))
    problems.push('network must be a graph-node chain name (lowercase letters, digits, dashes)');
  if (typeof d.chainId !== 'number' || !Number.isInteger(d.chainId) || d.chainId <= 0)
    problems.push('chainId must be a positive integer');
  for (const key of ['factory', 'utilityToken'] as const)
    if (typeof d[key] !== 'string' || !ADDRESS.test(d[key] as string))
      problems.push(`${key} must be a 0x address`);
  if (typeof d.startBlock !== 'number' || !Number.isInteger(d.startBlock) || d.startBlock < 0)
    problems.push('startBlock must be a non-negative integer');
  if (problems.length > 0) throw new ManifestError(`${source}: ${problems.join('; ')}`);
  return {
    network: d.network as string,
    chainId: d.chainId as number,
    factory: (d.factory as string).toLowerCase(),
    utilityToken: (d.utilityToken as string).toLowerCase(),
    startBlock: d.startBlock as number,
  };
}

/** Fails with a hint when the contracts workspace has not written its ABIs yet. */
export function checkAbis(abiDir: string): void {
  const missing = ABI_NAMES.map((n) => join(abiDir, `${n}.json`)).filter((f) => !existsSync(f));
  if (missing.length > 0)
    throw new ManifestError(
      `Missing contract ABIs: ${missing.join(', ')}. Run \`npm run compile -w contracts-abi\` first.`,
    );
}

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;
const WHOLE_PLACEHOLDER = /^\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}$/;

/**
 * Replaces the {{name}} placeholders in the template's scalar values, keeping its
 * comments. A scalar that is exactly one placeholder takes the value's type (so
 * startBlock becomes a YAML number); inside longer text the value is spliced in.
 * Throws on a placeholder without a value or a value without a placeholder, so the
 * template and this code cannot drift apart.
 */
export function fillTemplate(template: string, values: Record<string, string | number>): string {
  const doc = parseDocument(template);
  if (doc.errors.length > 0) throw new ManifestError(`Template is not valid YAML: ${doc.errors[0].message}`);
  const used = new Set<string>();
  const valueOf = (name: string): string | number => {
    if (!(name in values)) throw new ManifestError(`Template placeholder {{${name}}} has no value`);
    used.add(name);
    return values[name];
  };
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string' || !node.value.includes('{{')) return;
      const whole = WHOLE_PLACEHOLDER.exec(node.value);
      if (whole) {
        node.value = valueOf(whole[1]);
        if (typeof node.value === 'number') node.type = Scalar.PLAIN;
      } else {
        node.value = node.value.replace(PLACEHOLDER, (_m, name: string) => String(valueOf(name)));
      }
    },
  });
  const unused = Object.keys(values).filter((k) => !used.has(k));
  if (unused.length > 0) throw new ManifestError(`Template lacks placeholders for: ${unused.join(', ')}`);
  return doc.toString({ lineWidth: 0 });
}

export function renderManifest(template: string, deployment: Deployment, abiDir: string): string {
  // Manifest paths are relative to subgraph.yaml's folder; keep them relative so
  // the rendered file works wherever the repository is mounted (e.g. in docker).
  let abiPath = relative(SUBGRAPH_DIR, abiDir).split('\\').join('/');
  if (!abiPath.startsWith('.')) abiPath = `./${abiPath}`;
  return fillTemplate(template, {
    network: deployment.network,
    factory: deployment.factory,
    startBlock: deployment.startBlock,
    abiDir: abiPath,
  });
}
