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

// Fast path: events whose data params are one-word static types (address, bool,
// uintN, intN, bytesN), `string`, `bytes` or `T[]` of a one-word T are read
// straight from the data, as viem would read them. Only canonical encodings take
// it (high bits clear, bool 0/1, sign-extended ints; each tail where the head says,
// in head order, zero-padded, the last ending the data); anything else, and every
// other type, goes through viem, so what a malformed log decodes to (or fails with)
// is unchanged.
const TWO_256 = 1n << 256n;
const HEX_BODY = /^[0-9a-fA-F]*$/;
// viem decodes strings with a default TextDecoder (replacement characters, leading BOM dropped).
const utf8 = new TextDecoder();

type WordType =
  | { kind: 'address' | 'bool' }
  | { kind: 'uint' | 'int'; bits: number }
  | { kind: 'fixedBytes'; size: number };

/** How one input is read: from a topic, a head word, or a tail the head points at. */
type Slot =
  | { from: 'topic'; dynamic: true }
  | { from: 'topic'; dynamic: false; word: WordType }
  | { from: 'word'; word: WordType }
  | { from: 'tail'; kind: 'string' | 'bytes' }
  | { from: 'tail'; kind: 'array'; word: WordType };

interface Plan {
  slots: Slot[];
  headWords: number;
  hasTail: boolean;
}

function wordType(type: string): WordType | null {
  if (type === 'address' || type === 'bool') return { kind: type };
  const m = /^(u?int)(\d*)$/.exec(type);
  if (m) {
    const bits = m[2] ? Number(m[2]) : 256;
    return bits % 8 === 0 && bits >= 8 && bits <= 256 ? { kind: m[1] as 'uint' | 'int', bits } : null;
  }
  const b = /^bytes(\d+)$/.exec(type);
  if (b && Number(b[1]) >= 1 && Number(b[1]) <= 32) return { kind: 'fixedBytes', size: Number(b[1]) };
  return null;
}

function slotOf(input: AbiEvent['inputs'][number]): Slot | null {
  if (input.indexed) {
    if (isDynamic(input)) return { from: 'topic', dynamic: true };
    const word = wordType(input.type);
    return word && { from: 'topic', dynamic: false, word };
  }
  if (input.type === 'string' || input.type === 'bytes') return { from: 'tail', kind: input.type };
  const a = /^(.*)\[\]$/.exec(input.type);
  const word = wordType(a ? a[1]! : input.type);
  if (!word) return null;
  return a ? { from: 'tail', kind: 'array', word } : { from: 'word', word };
}

const plans = new WeakMap<AbiEvent, Plan | null>();

function planOf(event: AbiEvent): Plan | null {
  let plan = plans.get(event);
  if (plan !== undefined) return plan;
  const slots: Slot[] = [];
  plan = { slots, headWords: 0, hasTail: false };
  for (const input of event.inputs) {
    const slot = slotOf(input);
    if (!slot) {
      plan = null;
      break;
    }
    slots.push(slot);
    if (slot.from !== 'topic') plan.headWords++;
    if (slot.from === 'tail') plan.hasTail = true;
  }
  plans.set(event, plan);
  return plan;
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

/** The offset or length word at byte `at` as a number, or -1 unless it is below 2^32. */
function smallWord(bytes: Buffer, at: number): number {
  for (let i = at; i < at + 28; i++) if (bytes[i] !== 0) return -1;
  return bytes.readUInt32BE(at + 28);
}

function allZero(bytes: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** All parameters through the fast path, or null to let viem decode the log. */
export function decodeWords(event: AbiEvent, log: ChainLog): EventParam[] | null {
  const plan = planOf(event);
  if (!plan) return null;
  const data = log.data;
  // viem reads 0x-less data and data of 1–31 bytes differently; leave those to it.
  const size = (data.length - 2) / 2;
  if (!data.startsWith('0x') || data.length % 2 !== 0 || !HEX_BODY.test(data.slice(2))) return null;
  if (size < 32 * plan.headWords || (size > 0 && size < 32)) return null;
  const bytes = plan.hasTail ? Buffer.from(data.slice(2), 'hex') : null;
  const out: EventParam[] = [];
  let t = event.anonymous ? 0 : 1;
  let w = 0; // head words read
  let next = 32 * plan.headWords; // where the next tail must start
  for (let i = 0; i < plan.slots.length; i++) {
    const slot = plan.slots[i]!;
    let value: EthValue | null;
    if (slot.from === 'topic') {
      const topic = log.topics[t++]!;
      if (slot.dynamic)
        value = { kind: 'fixedBytes', value: new Uint8Array(Buffer.from(topic.slice(2), 'hex')) };
      else if (topic.length !== 66 || !HEX_BODY.test(topic.slice(2))) return null;
      else value = decodeWord(slot.word, topic.slice(2));
    } else if (slot.from === 'word') {
      value = decodeWord(slot.word, data.slice(2 + 64 * w, 66 + 64 * w));
      w++;
    } else {
      if (smallWord(bytes!, 32 * w++) !== next || next + 32 > size) return null;
      const length = smallWord(bytes!, next);
      const start = next + 32;
      if (length < 0) return null;
      if (slot.kind === 'array') {
        next = start + 32 * length;
        if (next > size) return null;
        const items: EthValue[] = [];
        for (let at = 2 + 2 * start; at < 2 + 2 * next; at += 64) {
          const item = decodeWord(slot.word, data.slice(at, at + 64));
          if (!item) return null;
          items.push(item);
        }
        value = { kind: 'array', items };
      } else {
        next = start + 32 * Math.ceil(length / 32);
        if (next > size || !allZero(bytes!, start + length, next)) return null;
        const body = bytes!.subarray(start, start + length);
        value =
          slot.kind === 'string'
            ? { kind: 'string', value: utf8.decode(body) }
            : { kind: 'bytes', value: new Uint8Array(body) };
      }
    }
    if (!value) return null;
    out.push({ name: event.inputs[i]!.name ?? '', value });
  }
  if (plan.hasTail && next !== size) return null;
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
