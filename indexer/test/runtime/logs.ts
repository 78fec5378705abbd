// A log with fixed block and transaction fields, for the decoding tests.
import type { Hex } from 'viem';
import type { ChainLog } from '../../src/chain/types.js';

export function testLog(topics: Hex[], data: Hex): ChainLog {
  return {
    address: '0x00000000000000000000000000000000000000aa',
    topics,
    data,
    blockNumber: 1,
    blockHash: `0x${'11'.repeat(32)}`,
    transactionHash: `0x${'22'.repeat(32)}`,
    transactionIndex: 0,
    logIndex: 0,
    removed: false,
  } as ChainLog;
}
