// The benchmarks' floor (issue #4): what any indexer of this subgraph must pay to
// read the chain. eth_getLogs over the range with the subgraph's topic set and viem's
// decodeEventLog of every log, with the chain source's range policy.
import { decodeEventLog, type Hex } from 'viem';
import { allEventsAbi } from '@ggn/contracts-abi';
import { LimitError, RpcClient } from '../src/chain/rpc.js';
import { parseLogs, toQuantity } from '../src/chain/format.js';
import { RANGE_DEFAULTS, nextRange } from '../src/chain/source.js';

export async function floor(
  rpcUrl: string,
  topics: Hex[],
  from: number,
  to: number,
): Promise<{ events: number; ms: number }> {
  const rpc = new RpcClient({ url: rpcUrl });
  const started = performance.now();
  let events = 0;
  // The chain source's range policy (src/chain/source.ts): same requests, so the floor is
  // what any indexer must pay.
  let range: number = RANGE_DEFAULTS.initialRange;
  for (let a = from; a <= to;) {
    const b = Math.min(to, a + range - 1);
    let logs;
    try {
      logs = await rpc.request(
        'eth_getLogs',
        [{ fromBlock: toQuantity(a), toBlock: toQuantity(b), topics: [topics] }],
        parseLogs,
      );
    } catch (e) {
      if (!(e instanceof LimitError) || range === 1) throw e;
      range = Math.max(1, Math.floor((b - a + 1) / 2));
      continue;
    }
    for (const log of logs) {
      decodeEventLog({
        abi: allEventsAbi,
        data: log.data,
        topics: log.topics as [Hex, ...Hex[]],
        strict: false,
      });
      events++;
    }
    range = nextRange(range, b - a + 1, logs.length);
    a = b + 1;
  }
  return { events, ms: performance.now() - started };
}
