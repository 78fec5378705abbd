// JSONValue and YAMLValue trees as graph-ts sees them (graph-host-abi.md §3.5).
// graph-node's serde_json runs with `arbitrary_precision` (numbers keep their
// source text) and without `preserve_order` (objects come back with keys sorted
// byte-wise, duplicates collapsed to the last one).
import type { AscHeap } from './heap.js';
import { TypeId } from './type-ids.js';
import { writeArray, writeEnum, writeString, writeTypedMap } from './codec.js';

export type JsonValue =
  | { kind: 'null' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'number'; text: string }
  | { kind: 'string'; value: string }
  | { kind: 'array'; items: JsonValue[] }
  | { kind: 'object'; entries: [string, JsonValue][] };

export const JsonKind = { NULL: 0, BOOL: 1, NUMBER: 2, STRING: 3, ARRAY: 4, OBJECT: 5 } as const;

/** Rust String ordering: byte-wise on UTF-8. */
export const byteCompare = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

export function writeJson(h: AscHeap, v: JsonValue): number {
  const T = TypeId.JsonValue;
  switch (v.kind) {
    case 'null':
      return writeEnum(h, JsonKind.NULL, 0n, T);
    case 'bool':
      return writeEnum(h, JsonKind.BOOL, v.value ? 1n : 0n, T);
    case 'number':
      return writeEnum(h, JsonKind.NUMBER, BigInt(writeString(h, v.text)), T);
    case 'string':
      return writeEnum(h, JsonKind.STRING, BigInt(writeString(h, v.value)), T);
    case 'array': {
      const items = v.items.map((x) => writeJson(h, x));
      return writeEnum(h, JsonKind.ARRAY, BigInt(writeArray(h, items, TypeId.ArrayJsonValue)), T);
    }
    case 'object': {
      const sorted = [...new Map(v.entries)].sort((a, b) => byteCompare(a[0], b[0]));
      const pairs = sorted.map(([k, x]) => [writeString(h, k), writeJson(h, x)] as [number, number]);
      const map = writeTypedMap(
        h,
        pairs,
        TypeId.TypedMapEntryStringJsonValue,
        TypeId.ArrayTypedMapEntryStringJsonValue,
        TypeId.TypedMapStringJsonValue,
      );
      return writeEnum(h, JsonKind.OBJECT, BigInt(map), T);
    }
  }
}

export type YamlValue =
  | { kind: 'null' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'number'; text: string }
  | { kind: 'string'; value: string }
  | { kind: 'array'; items: YamlValue[] }
  | { kind: 'object'; entries: [YamlValue, YamlValue][] }
  | { kind: 'tagged'; tag: string; value: YamlValue };

export const YamlKind = { NULL: 0, BOOL: 1, NUMBER: 2, STRING: 3, ARRAY: 4, OBJECT: 5, TAGGED: 6 } as const;

export function writeYaml(h: AscHeap, v: YamlValue): number {
  const T = TypeId.YamlValue;
  switch (v.kind) {
    case 'null':
      return writeEnum(h, YamlKind.NULL, 0n, T);
    case 'bool':
      return writeEnum(h, YamlKind.BOOL, v.value ? 1n : 0n, T);
    case 'number':
      return writeEnum(h, YamlKind.NUMBER, BigInt(writeString(h, v.text)), T);
    case 'string':
      return writeEnum(h, YamlKind.STRING, BigInt(writeString(h, v.value)), T);
    case 'array': {
      const items = v.items.map((x) => writeYaml(h, x));
      return writeEnum(h, YamlKind.ARRAY, BigInt(writeArray(h, items, TypeId.YamlArrayValue)), T);
    }
    case 'object': {
      const pairs = v.entries.map(([k, x]) => [writeYaml(h, k), writeYaml(h, x)] as [number, number]);
      const map = writeTypedMap(
        h,
        pairs,
        TypeId.YamlTypedMapEntryValueValue,
        TypeId.YamlArrayTypedMapEntryValueValue,
        TypeId.YamlTypedMapValueValue,
      );
      return writeEnum(h, YamlKind.OBJECT, BigInt(map), T);
    }
    case 'tagged': {
      const tag = writeString(h, v.tag);
      const inner = writeYaml(h, v.value);
      const ptr = h.alloc(8, TypeId.YamlTaggedValue);
      h.setU32(ptr, tag);
      h.setU32(ptr + 4, inner);
      return writeEnum(h, YamlKind.TAGGED, BigInt(ptr), T);
    }
  }
}
