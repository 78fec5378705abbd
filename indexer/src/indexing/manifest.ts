// The BUILT manifest (`graph build` output: build/subgraph.yaml, paths relative
// to build/) read into data source and template definitions, with event
// handlers resolved against the ABI the way graph-node does
// (chain/ethereum/src/data_source.rs `contract_event_with_signature`).
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  toEventSelector,
  type Abi,
  type AbiEvent,
  type AbiFunction,
  type AbiParameter,
  type Hex,
} from 'viem';
import type { Entity, Value } from '../schema/values.js';
import { fromString as decimalFromString } from '../runtime/numbers/bigdecimal.js';

export interface EventHandlerDef {
  /** The manifest's signature, e.g. `Transfer(indexed address,indexed address,uint256)`. */
  event: string;
  handler: string;
  receipt: boolean;
  abiEvent: AbiEvent;
  topic0: Hex;
  /** Declared `calls:` (specVersion >= 1.2), prefetched before the handler runs. */
  calls: DeclaredCall[];
}

/** An operand of a declared call: `event.address`, `event.params.<name>` or `dataSource.address`. */
export type CallOperand = { kind: 'eventAddress' } | { kind: 'param'; name: string } | { kind: 'dsAddress' };

/** `label: Contract[address].function(arg, ...)` from an event handler's `calls:`. */
export interface DeclaredCall {
  label: string;
  contract: string;
  address: CallOperand;
  fn: AbiFunction;
  args: CallOperand[];
}

function parseOperand(expr: string, where: string): CallOperand {
  const e = expr.trim();
  if (e === 'event.address') return { kind: 'eventAddress' };
  if (e === 'dataSource.address' || e === 'ds.address') return { kind: 'dsAddress' };
  const m = /^event\.params\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(e);
  if (m) return { kind: 'param', name: m[1]! };
  throw new Error(`${where}: unsupported expression \`${expr}\` in a declared call`);
}

function parseDeclaredCall(label: string, text: string, abis: Map<string, Abi>, where: string): DeclaredCall {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\[([^\]]+)\]\.([A-Za-z_][A-Za-z0-9_]*)\((.*)\)\s*$/.exec(text);
  if (!m) throw new Error(`${where}: cannot parse declared call \`${label}: ${text}\``);
  const [, contract, addr, fnName, argText] = m as unknown as [string, string, string, string, string];
  const args = argText.trim() === '' ? [] : argText.split(',').map((a) => parseOperand(a, where));
  const abi = abis.get(contract);
  if (!abi)
    throw new Error(
      `${where}: declared call \`${label}\` uses ABI \`${contract}\`, which is not among the abis`,
    );
  const fn = abi.find(
    (x): x is AbiFunction => x.type === 'function' && x.name === fnName && x.inputs.length === args.length,
  );
  if (!fn)
    throw new Error(
      `${where}: declared call \`${label}\`: no function ${fnName} with ${args.length} inputs in ${contract}`,
    );
  return { label, contract, address: parseOperand(addr, where), fn, args };
}

export type BlockFilter = { kind: 'every' } | { kind: 'polling'; every: number } | { kind: 'once' };

export interface BlockHandlerDef {
  handler: string;
  filter: BlockFilter;
}

/** What data sources and templates share: the mapping. */
export interface MappingDef {
  name: string;
  network: string;
  /** The `source.abi` name: events are resolved in this ABI. */
  sourceAbi: string;
  abis: Map<string, Abi>;
  apiVersion: string;
  wasmFile: string; // absolute path
  eventHandlers: EventHandlerDef[];
  blockHandlers: BlockHandlerDef[];
}

export interface DataSourceDef extends MappingDef {
  address: Hex | null; // lowercase
  startBlock: number;
  endBlock: number | null;
  context: Entity | null;
}

export type TemplateDef = MappingDef;

export interface ManifestDef {
  buildDir: string;
  schemaFile: string;
  features: string[];
  dataSources: DataSourceDef[];
  templates: TemplateDef[];
}

/** Canonical type for selectors: tuples spelled out as `(a,b)`. */
function selectorType(p: AbiParameter): string {
  if (p.type.startsWith('tuple')) {
    const comps = (p as { components: readonly AbiParameter[] }).components;
    return `(${comps.map(selectorType).join(',')})${p.type.slice(5)}`;
  }
  return p.type;
}

/** graph-node: exact match with `indexed` markers, else the only event of that name matching without them. */
export function findEvent(abi: Abi, signature: string): AbiEvent | null {
  const events = abi.filter((x): x is AbiEvent => x.type === 'event');
  const withIndexed = (e: AbiEvent) =>
    `${e.name}(${e.inputs.map((i) => `${i.indexed ? 'indexed ' : ''}${selectorType(i)}`).join(',')})`;
  const plain = (e: AbiEvent) => `${e.name}(${e.inputs.map(selectorType).join(',')})`;
  const exact = events.find((e) => withIndexed(e) === signature);
  if (exact) return exact;
  const name = signature.slice(0, Math.max(0, signature.indexOf('(')));
  const same = events.filter((e) => e.name === name);
  return same.length === 1 && plain(same[0]!) === signature ? same[0]! : null;
}

/** A manifest `context:` entry (`{ type, data }`) as a store value. */
function contextValue(x: { type: string; data: unknown }): Value {
  switch (x.type) {
    case 'Bool':
      return { kind: 'Bool', value: Boolean(x.data) };
    case 'String':
      return { kind: 'String', value: String(x.data) };
    case 'Int':
      return { kind: 'Int', value: Number(x.data) };
    case 'Int8':
      return { kind: 'Int8', value: BigInt(x.data as string) };
    case 'BigInt':
      return { kind: 'BigInt', value: BigInt(x.data as string) };
    case 'BigDecimal':
      return { kind: 'BigDecimal', value: decimalFromString(String(x.data)) };
    case 'Bytes':
      return { kind: 'Bytes', value: new Uint8Array(Buffer.from(String(x.data).replace(/^0x/, ''), 'hex')) };
    case 'List':
      return { kind: 'Array', value: (x.data as { type: string; data: unknown }[]).map(contextValue) };
    default:
      throw new Error(`unsupported context value type ${x.type}`);
  }
}

type Raw = any;

async function readMapping(buildDir: string, raw: Raw, abiCache: Map<string, Abi>): Promise<MappingDef> {
  const m = raw.mapping;
  const where = `data source \`${raw.name}\``;
  if (!String(raw.kind).startsWith('ethereum'))
    throw new Error(`${where}: kind ${raw.kind} is not supported`);
  if (m.language !== 'wasm/assemblyscript')
    throw new Error(`${where}: language ${m.language} is not supported`);
  if ((m.callHandlers ?? []).length > 0)
    throw new Error(`${where}: call handlers need traces and are not supported`);
  const abis = new Map<string, Abi>();
  for (const a of m.abis ?? []) {
    const file = resolve(buildDir, a.file);
    let abi = abiCache.get(file);
    if (!abi) {
      const json = JSON.parse(await readFile(file, 'utf8'));
      abi = (Array.isArray(json) ? json : json.abi) as Abi;
      abiCache.set(file, abi);
    }
    abis.set(a.name, abi);
  }
  const sourceAbi: string = raw.source.abi;
  const abi = abis.get(sourceAbi);
  if (!abi) throw new Error(`${where}: source ABI \`${sourceAbi}\` is not among its abis`);
  const eventHandlers = (m.eventHandlers ?? []).map((h: Raw): EventHandlerDef => {
    const abiEvent = findEvent(abi, h.event);
    if (!abiEvent) throw new Error(`${where}: event \`${h.event}\` not found in ABI \`${sourceAbi}\``);
    if (h.topic1 || h.topic2 || h.topic3) throw new Error(`${where}: topic filters are not supported`);
    const calls = Object.entries((h.calls ?? {}) as Record<string, string>).map(([label, text]) =>
      parseDeclaredCall(label, String(text), abis, where),
    );
    return {
      event: h.event,
      handler: h.handler,
      receipt: h.receipt === true,
      abiEvent,
      topic0: toEventSelector(abiEvent),
      calls,
    };
  });
  const blockHandlers = (m.blockHandlers ?? []).map((h: Raw): BlockHandlerDef => {
    const f = h.filter;
    if (!f) return { handler: h.handler, filter: { kind: 'every' } };
    if (f.kind === 'polling')
      return { handler: h.handler, filter: { kind: 'polling', every: Number(f.every) } };
    if (f.kind === 'once') return { handler: h.handler, filter: { kind: 'once' } };
    throw new Error(`${where}: block handler filter \`${f.kind}\` is not supported (needs traces)`);
  });
  return {
    name: raw.name,
    network: raw.network ?? '',
    sourceAbi,
    abis,
    apiVersion: String(m.apiVersion),
    wasmFile: resolve(buildDir, m.file),
    eventHandlers,
    blockHandlers,
  };
}

export async function readManifest(buildDir: string): Promise<ManifestDef> {
  const path = resolve(buildDir, 'subgraph.yaml');
  const raw = parseYaml(await readFile(path, 'utf8')) as Raw;
  const dir = dirname(path);
  const abiCache = new Map<string, Abi>();
  const dataSources: DataSourceDef[] = [];
  for (const ds of raw.dataSources ?? []) {
    const mapping = await readMapping(dir, ds, abiCache);
    const ctx = ds.context
      ? (new Map(
          Object.entries(ds.context).map(([k, v]) => [k, contextValue(v as { type: string; data: unknown })]),
        ) as Entity)
      : null;
    dataSources.push({
      ...mapping,
      address: ds.source.address ? (String(ds.source.address).toLowerCase() as Hex) : null,
      startBlock: Number(ds.source.startBlock ?? 0),
      endBlock: ds.source.endBlock === undefined ? null : Number(ds.source.endBlock),
      context: ctx,
    });
  }
  const templates: TemplateDef[] = [];
  for (const t of raw.templates ?? []) templates.push(await readMapping(dir, t, abiCache));
  return {
    buildDir: dir,
    schemaFile: resolve(dir, raw.schema.file),
    features: raw.features ?? [],
    dataSources,
    templates,
  };
}
