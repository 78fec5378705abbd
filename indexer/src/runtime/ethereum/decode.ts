// Event log → ethereum.EventParam list, as graph-node decodes with the data
// source's ABI: inputs in ABI order; indexed params of dynamic type (string,
// bytes, arrays, tuples) cannot be recovered and arrive as FIXED_BYTES(32), the
// topic itself; uints are taken unsigned (so uint256 max becomes a 33-byte BigInt).
import { decodeAbiParameters, type AbiEvent, type AbiParameter, type Hex } from 'viem';
import type { ChainLog } from '../../chain/types.js';
import { abiToEthValue } from './values.js';
import type { EventParam } from './triggers.js';

const isDynamic = (p: AbiParameter): boolean =>
  p.type === 'string' || p.type === 'bytes' || p.type.endsWith(']') || p.type.startsWith('tuple');

export function decodeEventParams(event: AbiEvent, log: ChainLog): EventParam[] {
  const indexed = event.inputs.filter((i) => i.indexed);
  if (log.topics.length !== indexed.length + (event.anonymous ? 0 : 1))
    throw new Error(`log has ${log.topics.length} topics, event ${event.name} expects ${indexed.length + 1}`);
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
