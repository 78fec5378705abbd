// Event log → ethereum.EventParam list, as graph-node decodes with the data
// source's ABI: inputs in ABI order; indexed params of dynamic type (string,
// bytes, arrays, tuples) cannot be recovered and arrive as FIXED_BYTES(32), the
// topic itself; uints are taken unsigned (so uint256 max becomes a 33-byte BigInt).
import { decodeAbiParameters, type AbiEvent, type AbiParameter, type Hex } from 'viem';
import type { ChainLog } from '../../chain/types.js';
import { abiToEthValue, type EthValue } from './values.js';
import type { EventParam } from './triggers.js';

const isDynamic = (p: AbiParameter): boolean =>
  p.type === 'string' || p.type === 'bytes' || p.type.endsWith(']') || p.type.startsWith('tuple');

// Fast path: events whose parameters are all one-word static types (address, bool,
// uintN, intN, bytesN) are read straight from the 32-byte words, as viem would read
// them. Only canonical encodings take it (high bits clear, bool 0/1, sign-extended
// ints); anything else, and every other type, goes through viem, so what a
// malformed log decodes to (or fails with) is unchanged.
const TWO_256 = 1n << 256n;
const HEX_BODY = /^[0-9a-fA-F]*$/;

type WordType =
  | { kind: 'address' | 'bool' }
  | { kind: 'uint' | 'int'; bits: number }
  | { kind: 'fixedBytes'; size: number };

const wordTypes = new WeakMap<AbiParameter, WordType | null>();

function wordType(p: AbiParameter): WordType | null {
  let t = wordTypes.get(p);
  if (t !== undefined) return t;
  const m = /^(u?int)(\d*)$/.exec(p.type);
  const b = /^bytes(\d+)$/.exec(p.type);
  if (p.type === 'address' || p.type === 'bool') t = { kind: p.type };
  else if (m) t = { kind: m[1] as 'uint' | 'int', bits: m[2] ? Number(m[2]) : 256 };
  else if (b && Number(b[1]) >= 1 && Number(b[1]) <= 32) t = { kind: 'fixedBytes', size: Number(b[1]) };
  else t = null;
  wordTypes.set(p, t);
  return t;
}

/** The value of one 64-hex-digit word, or null when it is not a canonical encoding of `t`. */
function decodeWord(t: WordType, word: string): EthValue | null {
  switch (t.kind) {
    case 'address':
      if (!/^0{24}/.test(word)) return null;
      return { kind: 'address', value: new Uint8Array(Buffer.from(word.slice(24), 'hex')) };
    case 'bool':
      if (!/^0{63}[01]$/.test(word)) return null;
      return { kind: 'bool', value: word.endsWith('1') };
    case 'fixedBytes':
      return { kind: 'fixedBytes', value: new Uint8Array(Buffer.from(word.slice(0, 2 * t.size), 'hex')) };
    case 'uint': {
      const v = BigInt('0x' + word);
      return v < 1n << BigInt(t.bits) ? { kind: 'uint', value: v } : null;
    }
    case 'int': {
      const u = BigInt('0x' + word);
      const v = u >= TWO_256 >> 1n ? u - TWO_256 : u;
      const half = 1n << BigInt(t.bits - 1);
      return v >= -half && v < half ? { kind: 'int', value: v } : null;
    }
  }
}

/** All parameters through the fast path, or null to let viem decode the log. */
export function decodeWords(event: AbiEvent, log: ChainLog): EventParam[] | null {
  const data = log.data;
  let words = 0;
  for (const input of event.inputs) {
    if (input.indexed) {
      if (isDynamic(input)) continue; // the topic itself, as below
      if (!wordType(input)) return null;
    } else if (!wordType(input)) return null;
    else words++;
  }
  if (data.length < 2 + 64 * words || data.length % 2 !== 0 || !HEX_BODY.test(data.slice(2))) return null;
  const out: EventParam[] = [];
  let t = event.anonymous ? 0 : 1;
  let d = 0;
  for (const input of event.inputs) {
    const name = input.name ?? '';
    if (input.indexed) {
      const topic = log.topics[t++]!;
      if (isDynamic(input)) {
        out.push({
          name,
          value: { kind: 'fixedBytes', value: new Uint8Array(Buffer.from(topic.slice(2), 'hex')) },
        });
        continue;
      }
      if (topic.length !== 66 || !HEX_BODY.test(topic.slice(2))) return null;
      const v = decodeWord(wordType(input)!, topic.slice(2));
      if (!v) return null;
      out.push({ name, value: v });
    } else {
      const v = decodeWord(wordType(input)!, data.slice(2 + 64 * d, 2 + 64 * (d + 1)));
      d++;
      if (!v) return null;
      out.push({ name, value: v });
    }
  }
  return out;
}

export function decodeEventParams(event: AbiEvent, log: ChainLog): EventParam[] {
  const indexed = event.inputs.filter((i) => i.indexed);
  if (log.topics.length !== indexed.length + (event.anonymous ? 0 : 1))
    throw new Error(`log has ${log.topics.length} topics, event ${event.name} expects ${indexed.length + 1}`);
  const fast = decodeWords(event, log);
  if (fast) return fast;
  return decodeWithViem(event, log);
}

/** The general path (also the reference the fast path is tested against). */
export function decodeWithViem(event: AbiEvent, log: ChainLog): EventParam[] {
  const data = event.inputs.filter((i) => !i.indexed);
  const decodedData = decodeAbiParameters(data, log.data as Hex);
  let t = event.anonymous ? 0 : 1;
  let d = 0;
  return event.inputs.map((input) => {
    const name = input.name ?? '';
    if (input.indexed) {
      const topic = log.topics[t++]!;
      if (isDynamic(input))
        return {
          name,
          value: { kind: 'fixedBytes', value: new Uint8Array(Buffer.from(topic.slice(2), 'hex')) },
        };
      const [v] = decodeAbiParameters([input], topic);
      return { name, value: abiToEthValue(input, v) };
    }
    return { name, value: abiToEthValue(input, decodedData[d++]) };
  });
}
