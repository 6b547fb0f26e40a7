// The embedded L1's chain: an @ethereumjs/vm (Cancun) over a MerkleStateManager with caches, a
// transaction pool, block building, receipts and logs kept in memory, snapshots for reorg tests, and an
// optional durable block log that restarts replay to the same hashes. Every access to the VM goes
// through one queue, so a block being built is never seen half-done by a read or a call.
import { EventEmitter } from 'node:events';
import { createBlock, createBlockFromRLP, type Block } from '@ethereumjs/block';
import { createCustomCommon, Hardfork, Mainnet, type Common } from '@ethereumjs/common';
import { Caches, MerkleStateManager } from '@ethereumjs/statemanager';
import { createFeeMarket1559Tx, createLegacyTx, createTxFromRLP, type TypedTransaction } from '@ethereumjs/tx';
import { Account, bytesToHex, createAddressFromString, hexToBytes } from '@ethereumjs/util';
import { buildBlock, createVM, runTx, type RunTxResult, type VM } from '@ethereumjs/vm';
import type { Logger } from '../../../infra/logger.ts';
import { nativeBackend } from '../../../state-machine/tx/recover.ts';
import { L1LogReplayError, L1RequestError, L1RpcCode } from '../errors.ts';
import type { BlockLog, LoggedBlock, StateOp } from './block-log.ts';

export type Hex = `0x${string}`;

export interface DevAccount {
  address: Hex;
  privateKey: Hex;
}

export interface ChainOptions {
  chainId: bigint;
  accounts: DevAccount[];
  /** wei given to each dev account at genesis */
  balance: bigint;
  gasLimit: bigint;
  /** genesis base fee, wei */
  baseFee: bigint;
  coinbase: Hex;
  log: Logger;
  blockLog?: BlockLog;
  /** for tests: the clock, in ms */
  now?: () => number;
}

export interface LogRecord {
  address: Hex;
  topics: Hex[];
  data: Hex;
  logIndex: number;
  transactionIndex: number;
  transactionHash: Hex;
  blockHash: Hex;
  blockNumber: bigint;
}

export interface ReceiptRecord {
  transactionHash: Hex;
  transactionIndex: number;
  from: Hex;
  to: Hex | null;
  contractAddress: Hex | null;
  gasUsed: bigint;
  cumulativeGasUsed: bigint;
  effectiveGasPrice: bigint;
  status: 0 | 1;
  logs: LogRecord[];
  logsBloom: Hex;
  type: number;
}

/**
 * A mined block as kept in memory: the header fields the RPC reads and the block's RLP. A decoded
 * @ethereumjs Block carries its own copy of Common (≈10 KB), so only a few recent ones are kept
 * decoded (`EmbeddedChain.blockOf`).
 */
export interface BlockRecord {
  number: bigint;
  hash: Hex;
  parentHash: Hex;
  timestamp: bigint;
  stateRoot: Uint8Array;
  baseFeePerGas: bigint;
  gasUsed: bigint;
  gasLimit: bigint;
  raw: Uint8Array;
  senders: Hex[];
  receipts: ReceiptRecord[];
}

const DECODED_BLOCKS = 64;
/** pending transactions held at most (interval mining, or fees below the base fee) */
const MAX_POOL = 10_000;

function recordOf(block: Block, senders: Hex[], receipts: ReceiptRecord[]): BlockRecord {
  const h = block.header;
  return {
    number: h.number,
    hash: hex(block.hash()),
    parentHash: hex(h.parentHash),
    timestamp: h.timestamp,
    stateRoot: h.stateRoot,
    baseFeePerGas: h.baseFeePerGas ?? 0n,
    gasUsed: h.gasUsed,
    gasLimit: h.gasLimit,
    raw: block.serialize(),
    senders,
    receipts,
  };
}

export interface CallRequest {
  from?: Hex;
  to?: Hex | null;
  data?: Hex;
  value?: bigint;
  gas?: bigint;
  gasPrice?: bigint;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
}

interface PoolEntry {
  tx: TypedTransaction;
  sender: Hex;
  seq: number;
}

interface Snapshot {
  head: bigint;
  stateRoot: Uint8Array;
  pendingOps: StateOp[];
  timeOffset: number;
  nextTimestamp: bigint | null;
}

export const ZERO32 = new Uint8Array(32);
const GWEI = 1_000_000_000n;
export const DEFAULT_PRIORITY_FEE = GWEI;

function hex(b: Uint8Array): Hex {
  return bytesToHex(b) as Hex;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Revert data → "execution reverted" or "execution reverted: <reason>" for Error(string). */
export function revertMessage(data: Uint8Array): string {
  if (data.length >= 68 && hex(data.subarray(0, 4)) === '0x08c379a0') {
    const len = Number(BigInt(hex(data.subarray(36, 68))));
    if (68 + len <= data.length) return `execution reverted: ${new TextDecoder().decode(data.subarray(68, 68 + len))}`;
  }
  return 'execution reverted';
}

export class EmbeddedChain extends EventEmitter<{ block: [BlockRecord]; reorg: [bigint] }> {
  readonly common: Common;
  readonly chainId: bigint;
  private vm!: VM;
  private callVm!: VM;
  private readonly blocks: BlockRecord[] = [];
  private readonly byHash = new Map<string, BlockRecord>();
  private readonly txIndex = new Map<string, { block: bigint; hash: Hex; index: number }>();
  private readonly pool = new Map<string, PoolEntry>();
  private poolSeq = 0;
  private pendingOps: StateOp[] = [];
  private timeOffset = 0;
  private nextTimestamp: bigint | null = null;
  private readonly snapshots = new Map<number, Snapshot>();
  private snapshotSeq = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly keys = new Map<string, Uint8Array>();
  private readonly now: () => number;
  /** hash → decoded block, most recently used last */
  private readonly decoded = new Map<string, Block>();

  private constructor(private readonly o: ChainOptions) {
    super();
    this.chainId = o.chainId;
    this.common = createCustomCommon(
      { chainId: Number(o.chainId), name: 'verity-l1' },
      Mainnet,
      { hardfork: Hardfork.Cancun, customCrypto: nativeEcrecover === null ? {} : { ecrecover: nativeEcrecover } },
    );
    this.now = o.now ?? Date.now;
    for (const a of o.accounts) this.keys.set(a.address.toLowerCase(), hexToBytes(a.privateKey));
  }

  /** Builds genesis, then replays the block log (if any) to where the last run left off. */
  static async create(o: ChainOptions): Promise<EmbeddedChain> {
    const chain = new EmbeddedChain(o);
    await chain.init();
    return chain;
  }

  private async init(): Promise<void> {
    const sm = new MerkleStateManager({ common: this.common, caches: new Caches() });
    const blockchain = {
      getBlock: async (n: number) => {
        const r = this.blocks[n];
        if (r === undefined) throw new Error(`no block ${n}`);
        const h = hexToBytes(r.hash);
        return { hash: () => h };
      },
      putBlock: async () => {},
      shallowCopy() {
        return this;
      },
    };
    this.vm = await createVM({ common: this.common, stateManager: sm, blockchain });
    for (const a of this.o.accounts) {
      await sm.putAccount(createAddressFromString(a.address), new Account(0n, this.o.balance));
    }
    const stateRoot = await sm.getStateRoot();
    const meta = await this.o.blockLog?.meta();
    const timestamp = meta?.genesisTimestamp ?? BigInt(Math.floor(this.now() / 1000));
    const genesis = createBlock(
      {
        header: {
          number: 0n,
          gasLimit: this.o.gasLimit,
          timestamp,
          stateRoot,
          baseFeePerGas: this.o.baseFee,
          excessBlobGas: 0n,
          blobGasUsed: 0n,
          parentBeaconBlockRoot: ZERO32,
          coinbase: createAddressFromString(this.o.coinbase),
        },
        withdrawals: [],
      },
      { common: this.common },
    );
    const genesisRecord = recordOf(genesis, [], []);
    const genesisHash = genesisRecord.hash;
    if (meta !== undefined && meta.chainId !== this.chainId) {
      throw new L1LogReplayError(`data dir holds chain ${meta.chainId}, not ${this.chainId}`, { stored: meta.chainId.toString() });
    }
    if (meta !== undefined && meta.genesisHash !== genesisHash) {
      throw new L1LogReplayError(`data dir holds another chain: its genesis is ${meta.genesisHash}, this configuration's is ${genesisHash} (chain id, accounts or balances differ)`, {
        stored: meta.genesisHash,
        computed: genesisHash,
      });
    }
    if (meta === undefined) await this.o.blockLog?.writeMeta({ genesisTimestamp: timestamp, genesisHash, chainId: this.chainId });
    this.remember(genesis);
    this.addRecord(genesisRecord);
    // a second VM over a shallow copy of the same trie: calls and historical reads run there and are thrown away
    this.callVm = await createVM({ common: this.common, stateManager: sm.shallowCopy(false), blockchain });

    if (this.o.blockLog !== undefined) {
      let replayed = 0;
      for await (const entry of this.o.blockLog.entries()) {
        await this.replay(entry);
        replayed++;
      }
      if (replayed > 0) this.o.log.info({ blocks: replayed, head: this.head().hash }, 'replayed the L1 block log');
    }
  }

  /** Runs `fn` after everything queued before it: the VM is never used by two things at once. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  head(): BlockRecord {
    const r = this.blocks[this.blocks.length - 1];
    if (r === undefined) throw new Error('no genesis');
    return r;
  }

  headNumber(): bigint {
    return BigInt(this.blocks.length - 1);
  }

  blockByNumber(n: bigint): BlockRecord | undefined {
    return n < 0n ? undefined : this.blocks[Number(n)];
  }

  blockByHash(h: string): BlockRecord | undefined {
    return this.byHash.get(h.toLowerCase());
  }

  transaction(hash: string): { record: BlockRecord; index: number } | { pending: PoolEntry } | undefined {
    const at = this.txIndex.get(hash.toLowerCase());
    if (at !== undefined) {
      const record = this.blocks[Number(at.block)];
      if (record !== undefined && record.hash === at.hash) return { record, index: at.index };
    }
    const p = this.pool.get(hash.toLowerCase());
    return p === undefined ? undefined : { pending: p };
  }

  devAccounts(): Hex[] {
    return this.o.accounts.map((a) => a.address);
  }

  /** The base fee the next block will have. */
  nextBaseFee(): bigint {
    return this.blockOf(this.head()).header.calcNextBaseFee();
  }

  /** The decoded block of a record (a few recent ones are cached). */
  blockOf(r: BlockRecord): Block {
    let b = this.decoded.get(r.hash);
    if (b === undefined) {
      b = createBlockFromRLP(r.raw, { common: this.common });
      this.remember(b);
    } else {
      this.decoded.delete(r.hash);
      this.decoded.set(r.hash, b);
    }
    return b;
  }

  private remember(b: Block): void {
    this.decoded.set(hex(b.hash()), b);
    if (this.decoded.size > DECODED_BLOCKS) {
      const oldest = this.decoded.keys().next().value;
      if (oldest !== undefined) this.decoded.delete(oldest);
    }
  }

  private addRecord(r: BlockRecord): void {
    this.blocks.push(r);
    this.byHash.set(r.hash, r);
    for (const rc of r.receipts) this.txIndex.set(rc.transactionHash, { block: r.number, hash: r.hash, index: rc.transactionIndex });
  }

  // ---- state reads -------------------------------------------------------------------------------

  /** Runs `fn` on the state after block `n` (null: the current state, with anvil_setBalance edits). */
  private async atState<T>(n: bigint | null, fn: (vm: VM) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      if (n === null) return fn(this.vm);
      const r = this.blockByNumber(n);
      if (r === undefined) throw new L1RequestError(L1RpcCode.invalidParams, `unknown block ${n}`);
      await this.callVm.stateManager.setStateRoot(r.stateRoot, true);
      return fn(this.callVm);
    });
  }

  /** `n` = null or the head: the current state. */
  private stateTag(n: bigint | null): bigint | null {
    return n === null || n === this.headNumber() ? null : n;
  }

  async getAccount(address: Hex, n: bigint | null): Promise<{ nonce: bigint; balance: bigint }> {
    return this.atState(this.stateTag(n), async (vm) => {
      const a = await vm.stateManager.getAccount(createAddressFromString(address));
      return { nonce: a?.nonce ?? 0n, balance: a?.balance ?? 0n };
    });
  }

  async getCode(address: Hex, n: bigint | null): Promise<Uint8Array> {
    return this.atState(this.stateTag(n), (vm) => vm.stateManager.getCode(createAddressFromString(address)));
  }

  async getStorageAt(address: Hex, slot: Uint8Array, n: bigint | null): Promise<Uint8Array> {
    return this.atState(this.stateTag(n), async (vm) => {
      const v = await vm.stateManager.getStorage(createAddressFromString(address), slot);
      const out = new Uint8Array(32);
      out.set(v, 32 - v.length);
      return out;
    });
  }

  /** The next nonce of `address` counting the pool's transactions that follow on without a gap. */
  async pendingNonce(address: Hex): Promise<bigint> {
    let nonce = (await this.getAccount(address, null)).nonce;
    const mine = new Set<bigint>();
    for (const p of this.pool.values()) if (p.sender === address.toLowerCase()) mine.add(p.tx.nonce);
    while (mine.has(nonce)) nonce++;
    return nonce;
  }

  // ---- calls ------------------------------------------------------------------------------------

  /** Executes `req` on a throw-away copy of the state at block `n` (null: current), as geth's eth_call does. */
  async call(req: CallRequest, n: bigint | null): Promise<RunTxResult> {
    return this.exclusive(() => this.callUnqueued(req, this.stateTag(n)));
  }

  private async callUnqueued(req: CallRequest, n: bigint | null): Promise<RunTxResult> {
    const record = n === null ? this.head() : this.blockByNumber(n);
    if (record === undefined) throw new L1RequestError(L1RpcCode.invalidParams, `unknown block ${n}`);
    const root = n === null ? await this.vm.stateManager.getStateRoot() : record.stateRoot;
    await this.callVm.stateManager.setStateRoot(root, true);
    const h = this.blockOf(record).header;
    const feeGiven = req.gasPrice !== undefined || req.maxFeePerGas !== undefined || req.maxPriorityFeePerGas !== undefined;
    // geth: without a fee, a call runs at base fee 0 so a sender without ETH can still call
    const block = createBlock(
      {
        header: {
          number: h.number,
          parentHash: h.parentHash,
          timestamp: h.timestamp,
          gasLimit: h.gasLimit,
          coinbase: h.coinbase,
          baseFeePerGas: feeGiven ? (h.baseFeePerGas ?? 0n) : 0n,
          excessBlobGas: h.excessBlobGas,
          parentBeaconBlockRoot: ZERO32,
        },
      },
      { common: this.common, freeze: false },
    );
    const gasLimit = req.gas ?? h.gasLimit;
    const base = {
      to: req.to ?? undefined,
      data: req.data !== undefined ? hexToBytes(req.data) : new Uint8Array(),
      value: req.value ?? 0n,
      gasLimit,
      nonce: 0n,
    };
    const tx: TypedTransaction =
      req.maxFeePerGas !== undefined || req.maxPriorityFeePerGas !== undefined
        ? createFeeMarket1559Tx(
            { ...base, maxFeePerGas: req.maxFeePerGas ?? (req.maxPriorityFeePerGas ?? 0n) + (h.baseFeePerGas ?? 0n), maxPriorityFeePerGas: req.maxPriorityFeePerGas ?? 0n },
            { common: this.common, freeze: false },
          )
        : createLegacyTx({ ...base, gasPrice: req.gasPrice ?? 0n }, { common: this.common, freeze: false });
    const from = createAddressFromString(req.from ?? '0x0000000000000000000000000000000000000000');
    // an unsigned transaction with a chosen sender: what eth_call means
    tx.getSenderAddress = () => from;
    await this.callVm.stateManager.checkpoint();
    try {
      return await runTx(this.callVm, { tx, block, skipNonce: true, skipBlockGasLimitValidation: true, skipHardForkValidation: true });
    } catch (e) {
      const m = message(e);
      if (/enough funds|balance/i.test(m)) throw new L1RequestError(L1RpcCode.txRejected, `insufficient funds for gas * price + value: ${m}`);
      throw new L1RequestError(L1RpcCode.txRejected, m);
    } finally {
      await this.callVm.stateManager.revert();
    }
  }

  /** The least gas with which `req` succeeds (geth's binary search, stopping within 1.5 %). */
  async estimateGas(req: CallRequest, n: bigint | null): Promise<bigint> {
    return this.exclusive(async () => {
      const tag = this.stateTag(n);
      const cap = req.gas ?? this.head().gasLimit;
      const first = await this.callUnqueued({ ...req, gas: cap }, tag);
      throwIfFailed(first, cap);
      // no code ran (a plain transfer): the intrinsic gas is exact
      if (first.execResult.executionGasUsed === 0n && first.gasRefund === 0n) return first.totalGasSpent;
      const ok = async (g: bigint) => (await this.callUnqueued({ ...req, gas: g }, tag)).execResult.exceptionError === undefined;
      // gas used before the refund is the usual answer; the 63/64 rule can push it higher
      let lo = first.totalGasSpent + first.gasRefund - 1n;
      let hi = cap;
      const guess = ((first.totalGasSpent + first.gasRefund) * 64n) / 63n;
      if (guess < hi && (await ok(guess))) hi = guess;
      if (await ok(lo + 1n)) return lo + 1n;
      while (hi - lo > 1n && (hi - lo) * 1000n > hi * 15n) {
        const mid = (lo + hi) / 2n;
        if (await ok(mid)) hi = mid;
        else lo = mid;
      }
      return hi;
    });
  }

  // ---- transactions ---------------------------------------------------------------------------------

  /** Decodes, checks and pools a signed transaction; returns its hash. */
  async addRawTransaction(raw: Uint8Array): Promise<{ hash: Hex; tx: TypedTransaction }> {
    let tx: TypedTransaction;
    try {
      tx = createTxFromRLP(raw, { common: this.common });
    } catch (e) {
      throw new L1RequestError(L1RpcCode.invalidParams, `invalid transaction: ${message(e)}`);
    }
    const txChainId = txChain(tx);
    if (txChainId !== null && txChainId !== this.chainId) {
      throw new L1RequestError(L1RpcCode.txRejected, `invalid chain id ${txChainId}: this L1's is ${this.chainId}`);
    }
    if (tx.type === 3 || tx.type === 4) throw new L1RequestError(L1RpcCode.txRejected, `transaction type ${tx.type} not supported by this L1`);
    if (!tx.isSigned() || !tx.verifySignature()) throw new L1RequestError(L1RpcCode.txRejected, 'invalid signature');
    return this.exclusive(async () => {
      const hash = hex(tx.hash());
      if (this.pool.has(hash) || this.txIndex.has(hash)) throw new L1RequestError(L1RpcCode.txRejected, 'already known');
      const sender = tx.getSenderAddress().toString().toLowerCase() as Hex;
      const acct = await this.vm.stateManager.getAccount(tx.getSenderAddress());
      const nonce = acct?.nonce ?? 0n;
      const balance = acct?.balance ?? 0n;
      if (tx.nonce < nonce) throw new L1RequestError(L1RpcCode.txRejected, `nonce too low: next nonce ${nonce}, tx nonce ${tx.nonce}`);
      const gasLimit = this.head().gasLimit;
      if (tx.gasLimit > gasLimit) throw new L1RequestError(L1RpcCode.txRejected, `exceeds block gas limit: ${tx.gasLimit} > ${gasLimit}`);
      const intrinsic = tx.getIntrinsicGas();
      if (tx.gasLimit < intrinsic) throw new L1RequestError(L1RpcCode.txRejected, `intrinsic gas too low: have ${tx.gasLimit}, want ${intrinsic}`);
      const cost = tx.getUpfrontCost();
      if (balance < cost) throw new L1RequestError(L1RpcCode.txRejected, `insufficient funds for gas * price + value: balance ${balance}, tx cost ${cost}`);
      for (const [h, p] of this.pool) {
        if (p.sender !== sender || p.tx.nonce !== tx.nonce) continue;
        if (maxFee(tx) * 10n < maxFee(p.tx) * 11n || priorityFee(tx) * 10n < priorityFee(p.tx) * 11n) {
          throw new L1RequestError(L1RpcCode.txRejected, 'replacement transaction underpriced');
        }
        this.pool.delete(h);
      }
      if (this.pool.size >= MAX_POOL) throw new L1RequestError(L1RpcCode.txRejected, `txpool is full (${MAX_POOL} transactions)`);
      this.pool.set(hash, { tx, sender, seq: this.poolSeq++ });
      return { hash, tx };
    });
  }

  /** Signs a transaction for a dev account (eth_sendTransaction). */
  signFor(from: Hex, fill: { to?: Hex | null; data: Uint8Array; value: bigint; gasLimit: bigint; nonce: bigint; gasPrice?: bigint; maxFeePerGas?: bigint; maxPriorityFeePerGas?: bigint }): Uint8Array {
    const key = this.keys.get(from.toLowerCase());
    if (key === undefined) throw new L1RequestError(L1RpcCode.invalidParams, `unknown account ${from}: eth_sendTransaction signs for the dev accounts only`);
    const base = { to: fill.to ?? undefined, data: fill.data, value: fill.value, gasLimit: fill.gasLimit, nonce: fill.nonce };
    const tx =
      fill.gasPrice !== undefined
        ? createLegacyTx({ ...base, gasPrice: fill.gasPrice }, { common: this.common })
        : createFeeMarket1559Tx({ ...base, maxFeePerGas: fill.maxFeePerGas, maxPriorityFeePerGas: fill.maxPriorityFeePerGas }, { common: this.common });
    return tx.sign(key).serialize();
  }

  poolSize(): number {
    return this.pool.size;
  }

  // ---- mining -----------------------------------------------------------------------------------

  /** Mines one block with what the pool can execute; announces it once it is durable. */
  async mine(timestamp?: bigint): Promise<BlockRecord> {
    return this.exclusive(() => this.mineUnqueued(timestamp));
  }

  private timestampFor(parent: Block): bigint {
    const clock = BigInt(Math.floor(this.now() / 1000) + this.timeOffset);
    // never backwards; equal is allowed (as anvil does), so fast blocks do not run ahead of the clock
    const floor = parent.header.timestamp;
    return clock > floor ? clock : floor;
  }

  private async mineUnqueued(explicit?: bigint): Promise<BlockRecord> {
    const parent = this.blockOf(this.head());
    let timestamp = explicit ?? this.nextTimestamp ?? this.timestampFor(parent);
    if (timestamp < parent.header.timestamp) timestamp = parent.header.timestamp;
    this.nextTimestamp = null;
    const baseFee = parent.header.calcNextBaseFee();
    const chosen = await this.selectTransactions(baseFee);
    const before = await this.vm.stateManager.getStateRoot();
    const { record, included } = await this.build(parent, timestamp, chosen, false);
    if (this.o.blockLog !== undefined) {
      const entry: LoggedBlock = {
        number: record.number,
        timestamp,
        coinbase: this.o.coinbase,
        txs: included.map((t) => t.serialize()),
        ops: this.pendingOps,
        hash: record.hash,
      };
      try {
        await this.o.blockLog.append(entry);
      } catch (e) {
        // not durable, so it never happened: back to the state before it; the pool keeps its transactions
        await this.vm.stateManager.setStateRoot(before, true);
        throw e;
      }
    }
    for (const tx of chosen) this.pool.delete(hex(tx.hash()));
    this.pendingOps = [];
    this.addRecord(record);
    this.emit('block', record);
    return record;
  }

  /** Pool transactions in arrival order, each sender's in nonce order without gaps, fee ≥ base fee. */
  private async selectTransactions(baseFee: bigint): Promise<TypedTransaction[]> {
    const bySender = new Map<Hex, PoolEntry[]>();
    for (const p of this.pool.values()) {
      const list = bySender.get(p.sender) ?? [];
      list.push(p);
      bySender.set(p.sender, list);
    }
    const ready: PoolEntry[] = [];
    for (const [sender, list] of bySender) {
      list.sort((a, b) => (a.tx.nonce < b.tx.nonce ? -1 : a.tx.nonce > b.tx.nonce ? 1 : 0));
      let next = (await this.vm.stateManager.getAccount(createAddressFromString(sender)))?.nonce ?? 0n;
      for (const p of list) {
        if (p.tx.nonce < next) {
          this.pool.delete(hex(p.tx.hash())); // stale: its nonce was used meanwhile
          continue;
        }
        if (p.tx.nonce !== next || maxFee(p.tx) < baseFee) break;
        ready.push(p);
        next++;
      }
    }
    // arrival order across senders, nonce order within one (arrival order may disagree: keep nonce order)
    const out: TypedTransaction[] = [];
    const heads = [...bySender.keys()].map((s) => ready.filter((p) => p.sender === s)).filter((l) => l.length > 0);
    let gas = 0n;
    const limit = this.head().gasLimit;
    while (heads.length > 0) {
      let best = 0;
      for (let i = 1; i < heads.length; i++) if (heads[i][0].seq < heads[best][0].seq) best = i;
      const p = heads[best].shift();
      if (p === undefined) break;
      if (gas + p.tx.gasLimit > limit) {
        heads.splice(best, 1); // this sender waits for the next block
        continue;
      }
      gas += p.tx.gasLimit;
      out.push(p.tx);
      if (heads[best].length === 0) heads.splice(best, 1);
    }
    return out;
  }

  /** Executes `txs` on top of `parent`. With `strict` (replay) every one must be included. */
  private async build(parent: Block, timestamp: bigint, txs: TypedTransaction[], strict: boolean): Promise<{ record: BlockRecord; included: TypedTransaction[] }> {
    // flush edits made outside a block (anvil_setBalance) first: left in the caches across the
    // builder's checkpoint they did not reach the block's state root (measured with @ethereumjs 10.1.3)
    await this.vm.stateManager.getStateRoot();
    const builder = await buildBlock(this.vm, {
      parentBlock: parent,
      headerData: { timestamp, coinbase: createAddressFromString(this.o.coinbase), parentBeaconBlockRoot: ZERO32, gasLimit: parent.header.gasLimit },
      withdrawals: [],
      blockOpts: { putBlockIntoBlockchain: false },
    });
    const included: TypedTransaction[] = [];
    const results: RunTxResult[] = [];
    for (const tx of txs) {
      try {
        results.push(await builder.addTransaction(tx, { skipHardForkValidation: true }));
        included.push(tx);
      } catch (e) {
        if (strict) {
          await builder.revert();
          throw new L1LogReplayError(`block ${parent.header.number + 1n}: logged transaction ${hex(tx.hash())} no longer applies: ${message(e)}`);
        }
        this.o.log.warn({ tx: hex(tx.hash()), err: message(e) }, 'dropped a pooled transaction');
      }
    }
    let block: Block;
    try {
      ({ block } = await builder.build());
    } catch (e) {
      await builder.revert();
      throw e;
    }
    // the journal keeps a diff per checkpoint until the next transaction cleans it: empty blocks would pile them up
    this.vm.evm.journal.cleanJournal();
    this.remember(block);
    const blockHash = hex(block.hash());
    const baseFee = block.header.baseFeePerGas ?? 0n;
    let logIndex = 0;
    let prevCumulative = 0n;
    const receipts: ReceiptRecord[] = included.map((tx, i) => {
      const r = results[i];
      const txHash = hex(tx.hash());
      const cumulative = r.receipt.cumulativeBlockGasUsed;
      const gasUsed = cumulative - prevCumulative;
      prevCumulative = cumulative;
      return {
        transactionHash: txHash,
        transactionIndex: i,
        from: tx.getSenderAddress().toString() as Hex,
        to: tx.to === undefined ? null : (tx.to.toString() as Hex),
        contractAddress: r.createdAddress === undefined ? null : (r.createdAddress.toString() as Hex),
        gasUsed,
        cumulativeGasUsed: cumulative,
        effectiveGasPrice: effectiveGasPrice(tx, baseFee),
        status: 'status' in r.receipt ? r.receipt.status : 1,
        logs: r.receipt.logs.map(([address, topics, data]) => ({
          address: hex(address),
          topics: topics.map(hex),
          data: hex(data),
          logIndex: logIndex++,
          transactionIndex: i,
          transactionHash: txHash,
          blockHash,
          blockNumber: block.header.number,
        })),
        logsBloom: hex(r.bloom.bitvector),
        type: tx.type,
      };
    });
    return { record: recordOf(block, included.map((t) => t.getSenderAddress().toString() as Hex), receipts), included };
  }

  private async replay(entry: LoggedBlock): Promise<void> {
    const parent = this.blockOf(this.head());
    if (entry.number !== parent.header.number + 1n) {
      throw new L1LogReplayError(`block log out of order: entry ${entry.number} after head ${parent.header.number}`);
    }
    if (entry.txs.length === 0 && entry.ops.length === 0) {
      // an empty block changes no state (no rewards, withdrawals or beacon-root contract): rebuild its
      // header alone; the recorded hash still decides, and a mismatch falls back to full execution
      const empty = this.emptyBlock(parent, entry.timestamp);
      if (hex(empty.hash()) === entry.hash) {
        this.addRecord(recordOf(empty, [], []));
        return;
      }
    }
    for (const op of entry.ops) await this.applyOp(op);
    let txs: TypedTransaction[];
    try {
      txs = entry.txs.map((raw) => createTxFromRLP(raw, { common: this.common }));
    } catch (e) {
      throw new L1LogReplayError(`block ${entry.number}: a logged transaction does not decode: ${message(e)}`);
    }
    const { record } = await this.build(parent, entry.timestamp, txs, true);
    if (record.hash !== entry.hash) {
      throw new L1LogReplayError(`block ${entry.number} replays to ${record.hash}, the log recorded ${entry.hash}`, { number: entry.number.toString() });
    }
    this.addRecord(record);
  }

  private emptyBlock(parent: Block, timestamp: bigint): Block {
    const block = createBlock(
      {
        header: {
          parentHash: parent.hash(),
          number: parent.header.number + 1n,
          timestamp,
          gasLimit: parent.header.gasLimit,
          coinbase: createAddressFromString(this.o.coinbase),
          stateRoot: parent.header.stateRoot,
          baseFeePerGas: parent.header.calcNextBaseFee(),
          excessBlobGas: parent.header.calcNextExcessBlobGas(this.common),
          blobGasUsed: 0n,
          parentBeaconBlockRoot: ZERO32,
        },
        withdrawals: [],
      },
      { common: this.common },
    );
    this.remember(block);
    return block;
  }

  private async applyOp(op: StateOp): Promise<void> {
    const address = createAddressFromString(op.address);
    const acct = (await this.vm.stateManager.getAccount(address)) ?? new Account();
    acct.balance = op.balance;
    await this.vm.stateManager.putAccount(address, acct);
  }

  // ---- dev controls -----------------------------------------------------------------------------

  /** anvil_setBalance: takes effect now, made durable with the next block. */
  async setBalance(address: Hex, balance: bigint): Promise<void> {
    await this.exclusive(async () => {
      const op: StateOp = { kind: 'balance', address: address.toLowerCase() as Hex, balance };
      await this.applyOp(op);
      this.pendingOps.push(op);
    });
  }

  increaseTime(seconds: number): number {
    this.timeOffset += seconds;
    return this.timeOffset;
  }

  setNextBlockTimestamp(ts: bigint): void {
    if (ts < this.head().timestamp) {
      throw new L1RequestError(L1RpcCode.invalidParams, `timestamp ${ts} is before the head's ${this.head().timestamp}`);
    }
    this.nextTimestamp = ts;
  }

  async snapshot(): Promise<number> {
    return this.exclusive(async () => {
      const id = ++this.snapshotSeq;
      this.snapshots.set(id, {
        head: this.headNumber(),
        stateRoot: await this.vm.stateManager.getStateRoot(),
        pendingOps: [...this.pendingOps],
        timeOffset: this.timeOffset,
        nextTimestamp: this.nextTimestamp,
      });
      return id;
    });
  }

  /** Back to snapshot `id` (and forget it and every later one), as anvil does. False if unknown. */
  async revert(id: number): Promise<boolean> {
    return this.exclusive(async () => {
      const s = this.snapshots.get(id);
      if (s === undefined) return false;
      for (const k of [...this.snapshots.keys()]) if (k >= id) this.snapshots.delete(k);
      await this.o.blockLog?.truncateAfter(s.head);
      while (this.headNumber() > s.head) {
        const r = this.blocks.pop();
        if (r === undefined) break;
        this.byHash.delete(r.hash);
        for (const rc of r.receipts) this.txIndex.delete(rc.transactionHash);
      }
      await this.vm.stateManager.setStateRoot(s.stateRoot, true);
      this.pendingOps = s.pendingOps;
      this.timeOffset = s.timeOffset;
      this.nextTimestamp = s.nextTimestamp;
      this.emit('reorg', s.head);
      return true;
    });
  }

  /** Waits for everything queued (a block being mined, a call) to finish. */
  async idle(): Promise<void> {
    await this.exclusive(async () => undefined);
  }
}

/** ethereumjs's ecrecover contract (v 0/1, 27/28 or EIP-155; 64-byte public key) over libsecp256k1: ≈20× noble. */
const native = nativeBackend;
const nativeEcrecover =
  native === null
    ? null
    : (msgHash: Uint8Array, v: bigint, r: Uint8Array, s: Uint8Array, chainId?: bigint): Uint8Array => {
        const recid = v === 0n || v === 1n ? v : chainId === undefined ? v - 27n : v - (chainId * 2n + 35n);
        if ((recid !== 0n && recid !== 1n) || r.length > 32 || s.length > 32) throw new Error('invalid signature');
        const sig = new Uint8Array(64);
        sig.set(r, 32 - r.length);
        sig.set(s, 64 - s.length);
        return native.recover(sig, Number(recid), msgHash).subarray(1);
      };

/** The chain id a transaction is signed for; null for a pre-EIP-155 legacy one (accepted, as anvil does). */
function txChain(tx: TypedTransaction): bigint | null {
  if ('chainId' in tx) return tx.chainId;
  const v = tx.v ?? 0n;
  return v >= 35n ? (v - 35n) / 2n : null;
}

function maxFee(tx: TypedTransaction): bigint {
  return 'maxFeePerGas' in tx ? tx.maxFeePerGas : tx.gasPrice;
}

function priorityFee(tx: TypedTransaction): bigint {
  return 'maxPriorityFeePerGas' in tx ? tx.maxPriorityFeePerGas : tx.gasPrice;
}

export function effectiveGasPrice(tx: TypedTransaction, baseFee: bigint): bigint {
  if (!('maxFeePerGas' in tx)) return tx.gasPrice;
  const tip = tx.maxFeePerGas - baseFee < tx.maxPriorityFeePerGas ? tx.maxFeePerGas - baseFee : tx.maxPriorityFeePerGas;
  return baseFee + tip;
}

/** A failed call → the JSON-RPC error geth gives (code 3 with the revert data for a revert). */
export function throwIfFailed(r: RunTxResult, gas: bigint): void {
  const err = r.execResult.exceptionError;
  if (err === undefined) return;
  if (err.error === 'revert') {
    const data = r.execResult.returnValue;
    throw new L1RequestError(L1RpcCode.executionReverted, revertMessage(data), hex(data));
  }
  if (err.error === 'out of gas') throw new L1RequestError(L1RpcCode.txRejected, `gas required exceeds allowance (${gas})`);
  throw new L1RequestError(L1RpcCode.txRejected, err.error);
}


