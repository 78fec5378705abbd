// yaml.*: parsed with the `yaml` package into graph-ts's YAMLValue tree.
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { readBytes, writeResult } from '../asc/codec.js';
import { writeYaml, type YamlValue } from '../asc/json.js';
import { TypeId } from '../asc/type-ids.js';
import { det } from '../errors.js';
import type { HostNamespace } from './env.js';

const YAML_MAX_SIZE_BYTES = 10_000_000;

function toYaml(node: unknown): YamlValue {
  const n = node as Node | null;
  let v: YamlValue;
  if (n === null || n === undefined) return { kind: 'null' };
  if (isScalar(n)) {
    const x = n.value;
    if (x === null || x === undefined) v = { kind: 'null' };
    else if (typeof x === 'boolean') v = { kind: 'bool', value: x };
    else if (typeof x === 'bigint') v = { kind: 'number', text: x.toString() };
    // serde_yaml prints floats shortest-round-trip; JS differs only in exponent spelling (1e+21 vs 1e21).
    else if (typeof x === 'number')
      v = {
        kind: 'number',
        text: Number.isInteger(x) && Math.abs(x) < 1e21 ? x.toFixed(1) : String(x).replace('e+', 'e'),
      };
    else v = { kind: 'string', value: String(x) };
  } else if (isSeq(n)) v = { kind: 'array', items: n.items.map(toYaml) };
  else if (isMap(n))
    v = {
      kind: 'object',
      entries: n.items.map((p) => [toYaml(p.key), toYaml(p.value)] as [YamlValue, YamlValue]),
    };
  else v = { kind: 'null' };
  const tag = (n as { tag?: string }).tag;
  if (tag && tag.startsWith('!') && !tag.startsWith('!!')) {
    // serde_yaml resolves a custom-tagged plain scalar like an untagged one (`!t 7` holds the number 7).
    if (isScalar(n) && n.type === 'PLAIN' && typeof n.source === 'string')
      v = toYaml(parseDocument(n.source, { intAsBigInt: true }).contents);
    return { kind: 'tagged', tag, value: v };
  }
  return v;
}

export function parseYaml(bytes: Uint8Array): YamlValue {
  if (bytes.length > YAML_MAX_SIZE_BYTES)
    throw det(`YAML size exceeds max size of ${YAML_MAX_SIZE_BYTES} bytes`);
  const doc = parseDocument(new TextDecoder().decode(bytes), { keepSourceTokens: false, intAsBigInt: true });
  if (doc.errors.length > 0) throw det(`failed to parse YAML from bytes: ${doc.errors[0]!.message}`);
  return toYaml(doc.contents);
}

export const yamlImports: HostNamespace = {
  'yaml.fromBytes': (env) => (ptr: number) => writeYaml(env.heap, parseYaml(readBytes(env.heap, ptr >>> 0))),
  'yaml.try_fromBytes': (env) => (ptr: number) => {
    let v: YamlValue | null;
    try {
      v = parseYaml(readBytes(env.heap, ptr >>> 0));
    } catch {
      v = null;
    }
    const value = v === null ? null : writeYaml(env.heap, v);
    return writeResult(env.heap, value, TypeId.YamlResultValueBool, TypeId.YamlWrappedValue);
  },
};
