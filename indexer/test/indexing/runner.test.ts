// The manifest runner on a small built subgraph: trigger matching, graph-node's
// order, templates created mid-block, block handlers, calls and errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keccak256, toHex, type Hex } from 'viem';
import { SubgraphRunner } from '../../src/indexing/runner.js';
import {
  MockCalls,
  SubgraphHarness,
  blockWithEvents,
  expectEntity,
  expectNoEntity,
  plain,
  type EventSpec,
} from '../../src/testkit/index.js';
import { MemoryStore } from '../../src/testkit/memory-store.js';
import { FACTORY, buildFixture, childAbi, factoryAbi, removeFixtures } from './fixture.js';

const CHILD = '0x00000000000000000000000000000000000000c1' as Hex;
const OTHER = '0x00000000000000000000000000000000000000e9' as Hex;

let dir: string;
beforeAll(async () => {
  dir = await buildFixture();
});
afterAll(removeFixtures);

function mockCalls(): MockCalls {
  return new MockCalls().on(CHILD, childAbi, 'count', 11n).reverts(CHILD, childAbi, 'label');
}

const traces = (store: MemoryStore) =>
  store
    .all('Trace')
    .map((t) => ({
      seq: plain(t.get('seq')),
      kind: plain(t.get('kind')),
      block: plain(t.get('block')),
      detail: plain(t.get('detail')),
    }))
    .sort((a, b) => Number(a.seq) - Number(b.seq));

const created = (name: string, tx?: string): EventSpec => ({
  abi: factoryAbi,
  event: 'ChildCreated',
  args: { child: CHILD, name },
  address: FACTORY,
  tx,
});
const ping = (value: bigint, address: Hex = CHILD, tx?: string): EventSpec => ({
  abi: childAbi,
  event: 'Ping',
  args: { value },
  address,
  tx,
});

describe('SubgraphRunner', () => {
  it('reads the built manifest', async () => {
    const r = await SubgraphRunner.load(dir);
    expect(r.startBlock).toBe(1);
    expect(new Set(r.logTopics())).toEqual(
      new Set(
        [
          'ChildCreated(address,string)',
          'Tick(uint256,string,int256,uint256)',
          'Inspect(bytes32,bytes)',
          'Ping(uint256)',
          'Fail(string)',
        ].map((s) => keccak256(toHex(s))),
      ),
    );
    expect(r.needsReceipts).toBe(true);
    expect(r.hasBlockHandlers).toBe(false);
    expect([...r.schema.entities.keys()]).toEqual(['Child', 'Counter', 'Trace']);
  });

  it('decodes event parameters as graph-node does and matches the data source address', async () => {
    const sg = await SubgraphHarness.load(dir);
    const big = (1n << 256n) - 1n;
    const tick = { abi: factoryAbi, event: 'Tick', args: { n: 7n, tag: 'hello', delta: -3n, big } } as const;
    await sg.block([
      { ...tick, address: OTHER },
      { ...tick, address: FACTORY, from: '0x00000000000000000000000000000000000000a1' },
    ]);
    const [t] = traces(sg.store);
    expect(traces(sg.store)).toHaveLength(1);
    expect(t!.detail).toBe(
      `n=7;tag=${keccak256(toHex('hello'))};delta=-3;big=${big}:33;log=1;tx=1;from=0x00000000000000000000000000000000000000a1;ts=${1_700_000_000 + 12}` +
        `;addr=${FACTORY};ds=${FACTORY};receipt=none`,
    );
  });

  it('writes every field of Event, Block, Transaction, Receipt and Log as graph-node does', async () => {
    const sg = await SubgraphHarness.load(dir);
    const tick = {
      abi: factoryAbi,
      event: 'Tick',
      args: { n: 1n, tag: 't', delta: 0n, big: 0n },
      address: FACTORY,
      tx: 'x',
    } as const;
    const blob = '0x00ff10' as Hex;
    const h = keccak256(toHex('topic'));
    const b = blockWithEvents(
      5,
      [tick, { abi: factoryAbi, event: 'Inspect', args: { h, blob }, address: FACTORY, tx: 'x' }],
      {
        size: 1234n,
        baseFeePerGas: null,
        difficulty: 7n,
        gasUsed: 99n,
        author: '0x00000000000000000000000000000000000000bb',
      },
    );
    const tx = [...b.transactions.values()][0]!;
    Object.assign(tx, {
      to: null,
      value: (1n << 255n) + 1n,
      input: '0xabcdef',
      nonce: 42n,
      gasPrice: 3n,
      gasLimit: 21_000n,
    });
    const receipt = b.receipts!.get(tx.hash)!;
    Object.assign(receipt, {
      contractAddress: FACTORY,
      status: 0n,
      root: keccak256(toHex('root')),
      cumulativeGasUsed: 500n,
      gasUsed: 400n,
    });
    await sg.process(b);
    const detail = traces(sg.store).find((t) => t.kind === 'inspect')!.detail as string;
    const blk = b.block;
    const log = b.logs[1]!;
    expect(detail.split(';')).toEqual([
      `block=${[blk.hash, blk.parentHash, blk.unclesHash, blk.author, blk.stateRoot, blk.transactionsRoot, blk.receiptsRoot, 5, 99, blk.gasLimit, blk.timestamp, 7, 0, 1234, 'null'].join(',')}`,
      `tx=${[tx.hash, 0, tx.from, 'null', (1n << 255n) + 1n, 21000, 3, '0xabcdef', 42].join(',')}`,
      `event=${[FACTORY, 1, 1, 'null'].join(',')}`,
      // indexed bytes32 stays FIXED_BYTES (1); bytes is BYTES (2)
      `params=h:1:${h},blob:2:${blob}`,
      `receipt=${[tx.hash, 0, blk.hash, 5, 500, 400, FACTORY, 0, receipt.root, 256, 2].join(',')}`,
      `log=${[FACTORY, log.topics.join('|'), log.data, blk.hash, 5, tx.hash, 0, 1, 'null', 'null', 'false'].join(',')}`,
    ]);
  });

  it("activates a template created mid-block and then runs that block's matching triggers for it", async () => {
    const calls = mockCalls();
    const sg = await SubgraphHarness.load(dir, { calls });
    // The ping before the creation still reaches the new data source: graph-node re-scans the whole block.
    const r = await sg.block([
      ping(2n, CHILD, 'a'),
      created('alpha', 'b'),
      ping(3n, CHILD, 'b'),
      ping(100n, OTHER, 'b'),
    ]);
    expect(traces(sg.store).map((t) => [t.kind, t.detail])).toEqual([
      ['created', 'alpha'],
      ['ping', 'alpha;receiptLogs=1'],
      ['ping', 'alpha;receiptLogs=3'],
    ]);
    expect(r.dataSources).toEqual([
      {
        template: 'Child',
        address: CHILD,
        context: new Map([['name', { kind: 'String', value: 'alpha' }]]),
        creationBlock: 1,
      },
    ]);
    expectEntity(sg.store, 'Child', CHILD, {
      name: 'alpha',
      pings: 5n,
      count: 11n,
      label: null,
      created: 1n,
    });
    expect(r.handlerCalls).toBe(3);
    expect(calls.log.every((c) => c.block === 1)).toBe(true);

    // Next block: the created data source is active from the start.
    await sg.block([ping(1n)]);
    expectEntity(sg.store, 'Child', CHILD, { pings: 6n });
    expect(sg.runner.dataSources()).toHaveLength(1);
  });

  it('replays a handler after each uncached call; declared calls are prefetched instead', async () => {
    const plainRun = await SubgraphHarness.load(dir, { calls: mockCalls() });
    await plainRun.block([created('zeta')]);
    const r1 = await plainRun.block([ping(1n)]);
    expect(r1.callReplays).toBe(2); // count() and label(sender)

    const declared = await buildFixture({ declaredCalls: true });
    const calls = mockCalls();
    const sg = await SubgraphHarness.load(declared, { calls });
    await sg.block([created('zeta')]);
    const r2 = await sg.block([ping(1n)]);
    // count() was prefetched; label() was declared with another argument, so the handler's own call still misses.
    expect(r2.callReplays).toBe(1);
    expectEntity(sg.store, 'Child', CHILD, { count: 11n, label: null });
    expect(calls.log.filter((c) => c.block === 2)).toHaveLength(3);
  });

  it('creates a data source only once per template, address and context', async () => {
    const sg = await SubgraphHarness.load(dir, { calls: mockCalls() });
    const r = await sg.block([created('same'), created('same'), ping(1n)]);
    expect(r.dataSources).toHaveLength(1);
    expectEntity(sg.store, 'Child', CHILD, { pings: 1n });
    const again = await sg.block([created('same')]);
    expect(again.dataSources).toEqual([]);
    const other = await sg.block([created('other')]);
    expect(other.dataSources).toHaveLength(1);
  });

  it('re-processing a block after a revert forgets data sources created at or after it', async () => {
    const sg = await SubgraphHarness.load(dir, { calls: mockCalls() });
    const b1 = blockWithEvents(1, [created('eta')]);
    const first = await sg.runner.processBlock(b1, new MemoryStore());
    expect(first.dataSources).toHaveLength(1);
    // Same block again (the store reverted it): the data source is created and reported again.
    const again = await sg.runner.processBlock(b1, new MemoryStore());
    expect(again.dataSources).toHaveLength(1);
    expect(sg.runner.dataSources()).toHaveLength(1);
  });

  it('restores created data sources after a restart', async () => {
    const first = await SubgraphHarness.load(dir, { calls: mockCalls() });
    const r = await first.block([created('beta')]);
    const second = await SubgraphRunner.load(dir, { calls: mockCalls() });
    second.restoreDataSources(r.dataSources);
    const out = await second.processBlock(blockWithEvents(2, [ping(4n)]), first.store);
    first.store.apply(out.ops);
    expectEntity(first.store, 'Child', CHILD, { name: 'beta', pings: 4n });
    // Without the restore, the same log matches nothing.
    const fresh = await SubgraphRunner.load(dir, { calls: mockCalls() });
    expect((await fresh.processBlock(blockWithEvents(2, [ping(4n)]), new MemoryStore())).ops).toEqual([]);
  });

  it('a deterministic handler error fails the block and keeps nothing of it', async () => {
    const sg = await SubgraphHarness.load(dir, { calls: mockCalls(), failOnError: false });
    await sg.block([created('gamma')]);
    const fail = { abi: childAbi, event: 'Fail', args: { reason: 'nope' }, address: CHILD } as const;
    const r = await sg.block([ping(1n), fail]);
    expect(r.error).toMatchObject({ handler: 'handleFail', blockNumber: 2, deterministic: true });
    expect(r.error!.message).toMatch(
      /^Mapping aborted at .*runner-mapping\.ts, line \d+, column \d+, with message: nope$/,
    );
    expect(r.ops).toEqual([]);
    expectEntity(sg.store, 'Child', CHILD, { pings: 0n });
  });

  it('with nonFatalErrors only the failing handler is dropped', async () => {
    const nonFatal = await buildFixture({ features: ['nonFatalErrors'] });
    const sg = await SubgraphHarness.load(nonFatal, { calls: mockCalls(), failOnError: false });
    await sg.block([created('delta')]);
    const r = await sg.block([
      ping(1n),
      { abi: childAbi, event: 'Fail', args: { reason: 'x' }, address: CHILD },
      ping(2n),
    ]);
    expect(r.error?.handler).toBe('handleFail');
    expectEntity(sg.store, 'Child', CHILD, { pings: 3n });
    expectNoEntity(sg.store, 'Child', '0x00000000000000000000000000000000000000ff');
  });

  it('a call without a CallProvider fails the block non-deterministically (retry), recording nothing', async () => {
    const sg = await SubgraphHarness.load(dir);
    await sg.block([created('eps')]);
    await expect(sg.block([ping(1n)])).rejects.toThrow(/needs a CallProvider/);
    expect(sg.runner.dataSources()).toHaveLength(1);
  });

  it('orders once → logs → polling/every block handlers from the start block', async () => {
    const withBlocks = await buildFixture({ blockHandlers: true, startBlock: 2 });
    const sg = await SubgraphHarness.load(withBlocks);
    expect(sg.runner.hasBlockHandlers).toBe(true);
    const tick = {
      abi: factoryAbi,
      event: 'Tick',
      args: { n: 1n, tag: 't', delta: 0n, big: 0n },
      address: FACTORY,
    } as const;
    for (let n = 1; n <= 4; n++) await sg.block([tick], { number: n });
    expect(traces(sg.store).map((t) => `${t.block}:${t.kind}`)).toEqual([
      '2:once',
      '2:tick',
      '2:poll',
      '3:tick',
      '3:every',
      '4:tick',
      '4:poll',
    ]);
  });
});
