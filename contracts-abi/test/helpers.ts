/** A test chain: anvil + deployed protocol, raw transactions from impersonated accounts, decoded logs and reverts. */
import {
  createPublicClient,
  decodeErrorResult,
  decodeEventLog,
  encodeFunctionData,
  http,
  keccak256,
  stringToHex,
  type Abi,
  type Address,
  type Hex,
  type PublicClient,
} from 'viem';
import {
  AreaDAOAbi,
  DAY,
  E18,
  GGNFactoryAbi,
  GGNUtilityTokenAbi,
  HOUR,
  Rpc,
  deployProtocol,
  ggnErrorsAbi,
  startAnvil,
  type Anvil,
  type AreaParams,
  type Deployment,
} from '../src/index.js';

export const eventsAbi = [
  ...GGNFactoryAbi.filter((i) => i.type === 'event'),
  ...AreaDAOAbi.filter((i) => i.type === 'event'),
  ...GGNUtilityTokenAbi.filter((i) => i.type === 'event'),
] as Abi;

export interface DecodedLog {
  address: Address;
  eventName: string;
  args: Record<string, unknown>;
}

export interface Sent {
  status: 'success' | 'reverted';
  gasUsed: bigint;
  timestamp: number;
  logs: DecodedLog[];
  hash: Hex;
}

export const addr = (label: string): Address =>
  `0x${keccak256(stringToHex(`ggn-test/${label}`)).slice(26)}` as Address;

/** Short terms so time rules are quick to reach. */
export const TEST_PARAMS: AreaParams = {
  allocations: [50n * E18, 50n * E18, 50n * E18, 50n * E18],
  foundationAllocation: 50n * E18,
  leaseTerm: BigInt(30 * DAY),
  votingPeriod: BigInt(2 * DAY),
  quorumBps: 5000,
  acceptWindow: BigInt(3 * DAY),
  renewalWindow: BigInt(10 * DAY),
  seatPrice: 100n * E18,
};

export class TestChain {
  readonly rpc: Rpc;
  readonly client: PublicClient;
  private funded = new Set<string>();

  private constructor(
    readonly anvil: Anvil,
    readonly deployment: Deployment,
  ) {
    this.rpc = new Rpc(anvil.rpcUrl);
    this.client = createPublicClient({ transport: http(anvil.rpcUrl) }) as PublicClient;
  }

  static async start(): Promise<TestChain> {
    const anvil = await startAnvil();
    try {
      return new TestChain(anvil, await deployProtocol(anvil.rpcUrl));
    } catch (e) {
      await anvil.stop();
      throw e;
    }
  }

  get owner(): Address {
    return this.deployment.foundation;
  }

  async stop(): Promise<void> {
    await this.anvil.stop();
  }

  async snapshot(): Promise<Hex> {
    return this.rpc.call<Hex>('evm_snapshot');
  }

  async revert(id: Hex): Promise<void> {
    if (!(await this.rpc.call<boolean>('evm_revert', [id]))) throw new Error('evm_revert failed');
    this.funded.clear(); // balances set after the snapshot are gone
  }

  async latestTimestamp(): Promise<number> {
    const b = await this.rpc.call<{ timestamp: Hex }>('eth_getBlockByNumber', ['latest', false]);
    return Number(b.timestamp);
  }

  /** The next transaction's block gets exactly this timestamp. */
  async setNextTimestamp(ts: number): Promise<void> {
    await this.rpc.call('evm_setNextBlockTimestamp', [ts]);
  }

  async mineAt(ts: number): Promise<void> {
    await this.rpc.call('evm_mine', [ts]);
  }

  async fund(a: Address): Promise<void> {
    if (this.funded.has(a.toLowerCase())) return;
    await this.rpc.call('anvil_setBalance', [a, '0x' + (10n ** 24n).toString(16)]);
    this.funded.add(a.toLowerCase());
  }

  /** Sends a call with a fixed gas limit (no estimation, so reverts are mined and decodable) and decodes its logs. */
  async send(
    from: Address,
    to: Address,
    abi: Abi,
    functionName: string,
    args: readonly unknown[],
    opts: { at?: number; gas?: bigint } = {},
  ): Promise<Sent> {
    await this.fund(from);
    if (opts.at !== undefined) await this.setNextTimestamp(opts.at);
    const data = encodeFunctionData({ abi, functionName, args } as never);
    const hash = await this.rpc.call<Hex>('eth_sendTransaction', [
      { from, to, data, gas: '0x' + (opts.gas ?? 5_000_000n).toString(16) },
    ]);
    // anvil's automine mines right after eth_sendTransaction returns, not before: wait for the receipt.
    for (let i = 0; !(await this.rpc.call('eth_getTransactionReceipt', [hash])); i++) {
      if (i > 500) throw new Error(`no receipt for ${functionName} (${hash})`);
      await new Promise((r) => setTimeout(r, 2));
    }
    const receipt = await this.client.getTransactionReceipt({ hash });
    const block = await this.client.getBlock({ blockNumber: receipt.blockNumber });
    const logs = receipt.logs.map((l) => {
      const ev = decodeEventLog({ abi: eventsAbi, data: l.data, topics: l.topics }) as unknown as {
        eventName: string;
        args: Record<string, unknown>;
      };
      return { address: l.address.toLowerCase() as Address, eventName: ev.eventName, args: ev.args };
    });
    return {
      status: receipt.status,
      gasUsed: receipt.gasUsed,
      timestamp: Number(block.timestamp),
      logs,
      hash,
    };
  }

  /** Sends and expects success. */
  async ok(
    from: Address,
    to: Address,
    abi: Abi,
    fn: string,
    args: readonly unknown[],
    opts: { at?: number } = {},
  ): Promise<Sent> {
    const r = await this.send(from, to, abi, fn, args, opts);
    if (r.status !== 'success') throw new Error(`${fn} reverted: ${await this.revertReason(r.hash)}`);
    return r;
  }

  /** Sends, expects a revert, and returns the custom error's name (decoded with the merged error ABI). */
  async fail(
    from: Address,
    to: Address,
    abi: Abi,
    fn: string,
    args: readonly unknown[],
    opts: { at?: number } = {},
  ): Promise<string> {
    const r = await this.send(from, to, abi, fn, args, opts);
    if (r.status === 'success') return '(no revert)';
    return this.revertReason(r.hash);
  }

  async revertReason(hash: Hex): Promise<string> {
    const trace = await this.rpc.call<{ output?: Hex; error?: string }>('debug_traceTransaction', [
      hash,
      { tracer: 'callTracer' },
    ]);
    if (!trace.output || trace.output === '0x') return trace.error ?? 'reverted without data';
    return decodeErrorResult({ abi: ggnErrorsAbi, data: trace.output }).errorName;
  }

  async read<T = unknown>(
    address: Address,
    abi: Abi,
    functionName: string,
    args: readonly unknown[] = [],
  ): Promise<T> {
    return (await this.client.readContract({ address, abi, functionName, args } as never)) as T;
  }
}

/** One area and helpers bound to it. */
export class TestArea {
  constructor(
    readonly chain: TestChain,
    readonly areaId: bigint,
    readonly dao: Address,
    readonly token: Address,
    readonly foundation: Address,
    readonly creation: Sent,
  ) {}

  static async create(
    chain: TestChain,
    opts: {
      name?: string;
      code?: string;
      params?: AreaParams;
      foundation?: Address;
      members?: Address[];
    } = {},
  ): Promise<TestArea> {
    const code = opts.code ?? 'TST';
    const foundation = opts.foundation ?? addr(`foundation-${code}`);
    const members = opts.members ?? [addr(`fm1-${code}`), addr(`fm2-${code}`), addr(`fm3-${code}`)];
    const r = await chain.ok(chain.owner, chain.deployment.factory, GGNFactoryAbi as Abi, 'createArea', [
      opts.name ?? 'Test Area',
      code,
      opts.params ?? TEST_PARAMS,
      foundation,
      members,
    ]);
    const created = r.logs.find((l) => l.eventName === 'AreaCreated')!;
    await chain.fund(foundation);
    return new TestArea(
      chain,
      created.args.areaId as bigint,
      (created.args.dao as Address).toLowerCase() as Address,
      (created.args.token as Address).toLowerCase() as Address,
      foundation,
      r,
    );
  }

  ok(from: Address, fn: string, args: readonly unknown[], opts: { at?: number } = {}) {
    return this.chain.ok(from, this.dao, AreaDAOAbi as Abi, fn, args, opts);
  }

  fail(from: Address, fn: string, args: readonly unknown[], opts: { at?: number } = {}) {
    return this.chain.fail(from, this.dao, AreaDAOAbi as Abi, fn, args, opts);
  }

  read<T = unknown>(fn: string, args: readonly unknown[] = []): Promise<T> {
    return this.chain.read<T>(this.dao, AreaDAOAbi as Abi, fn, args);
  }

  /** Registers a group from `account` (funded with GGU and approving the DAO); returns its id. */
  async group(role: number, label: string, memberCount = 2): Promise<{ id: bigint; account: Address }> {
    const account = addr(`${label}-${this.areaId}`);
    const members = Array.from({ length: memberCount }, (_, i) => addr(`${label}-member-${i}`));
    const r = await this.ok(account, 'registerGroup', [role, label, members]);
    const c = this.chain;
    await c.ok(c.owner, c.deployment.utilityToken, GGNUtilityTokenAbi as Abi, 'mint', [
      account,
      10_000n * E18,
    ]);
    await c.ok(account, c.deployment.utilityToken, GGNUtilityTokenAbi as Abi, 'approve', [
      this.dao,
      10n ** 30n,
    ]);
    return { id: r.logs[0].args.groupId as bigint, account };
  }

  async motionId(sent: Sent): Promise<bigint> {
    return sent.logs.find((l) => l.eventName === 'MotionProposed')!.args.motionId as bigint;
  }

  async motion(id: bigint): Promise<Record<string, unknown> & { votingEnd: bigint; votingStart: bigint }> {
    return this.read('motion', [id]);
  }

  /** Proposes; returns the motion id and the proposal's logs. */
  async propose(
    from: Address,
    kind: number,
    role: number,
    applicant: bigint,
    param: Hex,
    value: bigint,
    description = 'test',
  ) {
    const r = await this.ok(from, 'propose', [kind, role, applicant, param, value, description]);
    return { id: await this.motionId(r), sent: r };
  }

  /** Moves past votingEnd and finalizes. */
  async finalizeAfterVoting(id: bigint) {
    const m = await this.motion(id);
    const now = await this.chain.latestTimestamp();
    return this.ok(this.foundation, 'finalize', [id], { at: Math.max(now + 1, Number(m.votingEnd)) });
  }

  /**
   * Grants `role`'s seat to a group: proposal, FOR votes from every weighing voter given,
   * finalize, accept. Returns the motion id and the acceptance's logs.
   */
  async grant(role: number, g: { id: bigint; account: Address }, voters: Address[] = [this.foundation]) {
    const ZERO = `0x${'0'.repeat(64)}` as Hex;
    const { id } = await this.propose(g.account, 0, role, g.id, ZERO, 0n);
    for (const v of voters) await this.ok(v, 'castVote', [id, 1, '']);
    await this.finalizeAfterVoting(id);
    const accepted = await this.ok(g.account, 'acceptLease', [id]);
    return { id, accepted };
  }
}

export const ZERO32 = `0x${'0'.repeat(64)}` as Hex;
export { DAY, HOUR, E18 };

/** Lowercases every address in decoded event args, for exact comparisons. */
export function norm(v: unknown): unknown {
  if (typeof v === 'string' && /^0x[0-9a-fA-F]{40}$/.test(v)) return v.toLowerCase();
  if (Array.isArray(v)) return v.map(norm);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x)]));
  return v;
}

/** [address, eventName, args] of each log, normalized. */
export const events = (s: Sent) => s.logs.map((l) => [l.address, l.eventName, norm(l.args)]);
