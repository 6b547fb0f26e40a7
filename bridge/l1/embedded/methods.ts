// The embedded L1's JSON-RPC methods: what viem, ethers, cast and the bridge ask of an L1, plus the
// dev controls anvil has (evm_mine, evm_snapshot/evm_revert, evm_increaseTime, anvil_setBalance).
// Params are checked here; a bad one is an invalid-params error naming it, never a crash.
import type { Block } from '@ethereumjs/block';
import type { TypedTransaction } from '@ethereumjs/tx';
import { bytesToHex, hexToBytes } from '@ethereumjs/util';
import { L1RequestError, L1RpcCode } from '../errors.ts';
import {
  DEFAULT_PRIORITY_FEE,
  effectiveGasPrice,
  throwIfFailed,
  type BlockRecord,
  type CallRequest,
  type EmbeddedChain,
  type Hex,
  type LogRecord,
  type ReceiptRecord,
} from './chain.ts';

export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

export interface MethodContext {
  chain: EmbeddedChain;
  /** automine: a transaction is mined before its hash is returned */
  automine: boolean;
  clientVersion: string;
  /** most blocks one eth_getLogs may span */
  logRangeCap: number;
}

export type Method = (params: unknown[], ctx: MethodContext) => Promise<Json>;

const q = (n: bigint | number): Hex => `0x${n.toString(16)}`;
const h = (b: Uint8Array): Hex => bytesToHex(b) as Hex;

function bad(message: string): L1RequestError {
  return new L1RequestError(L1RpcCode.invalidParams, message);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function quantity(v: unknown, name: string): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v !== 'string' || !/^0x[0-9a-fA-F]{1,64}$/.test(v)) throw bad(`${name}: want a hex quantity, got ${JSON.stringify(v)}`);
  return BigInt(v);
}

function data(v: unknown, name: string): Hex {
  if (typeof v !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(v)) throw bad(`${name}: want 0x-prefixed hex bytes`);
  return v as Hex;
}

function address(v: unknown, name: string): Hex {
  if (typeof v !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(v)) throw bad(`${name}: want a 20-byte address`);
  return v.toLowerCase() as Hex;
}

function hash32(v: unknown, name: string): Hex {
  if (typeof v !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(v)) throw bad(`${name}: want a 32-byte hash`);
  return v.toLowerCase() as Hex;
}

/** A block tag, number or EIP-1898 object → a block number (null: latest / pending state). */
function blockRef(v: unknown, chain: EmbeddedChain, name = 'block'): bigint | null {
  if (v === undefined || v === null || v === 'latest' || v === 'pending' || v === 'safe' || v === 'finalized') return null;
  if (v === 'earliest') return 0n;
  if (isRecord(v)) {
    if (v.blockHash !== undefined) {
      const r = chain.blockByHash(hash32(v.blockHash, `${name}.blockHash`));
      if (r === undefined) throw new L1RequestError(L1RpcCode.txRejected, `header for hash not found: ${String(v.blockHash)}`);
      return r.number;
    }
    return blockRef(v.blockNumber, chain, `${name}.blockNumber`);
  }
  const n = quantity(v, name);
  if (n > chain.headNumber()) throw new L1RequestError(L1RpcCode.txRejected, `header not found: block ${n} is beyond the head ${chain.headNumber()}`);
  return n;
}

function blockForTag(v: unknown, chain: EmbeddedChain): BlockRecord | undefined {
  if (v === 'latest' || v === 'pending' || v === 'safe' || v === 'finalized' || v === undefined) return chain.head();
  if (v === 'earliest') return chain.blockByNumber(0n);
  return chain.blockByNumber(quantity(v, 'block'));
}

function callRequest(v: unknown): CallRequest {
  if (!isRecord(v)) throw bad('transaction: want an object');
  const opt = <T>(k: string, f: (x: unknown, name: string) => T): T | undefined => (v[k] === undefined || v[k] === null ? undefined : f(v[k], k));
  const input = opt('input', data) ?? opt('data', data);
  return {
    from: opt('from', address),
    to: opt('to', address) ?? null,
    data: input,
    value: opt('value', quantity),
    gas: opt('gas', quantity),
    gasPrice: opt('gasPrice', quantity),
    maxFeePerGas: opt('maxFeePerGas', quantity),
    maxPriorityFeePerGas: opt('maxPriorityFeePerGas', quantity),
  };
}

export function formatTx(tx: TypedTransaction, at: { record: BlockRecord; index: number } | null): Json {
  const base = at?.record.baseFeePerGas ?? 0n;
  const j: Record<string, Json> = {
    hash: h(tx.hash()),
    type: q(tx.type),
    nonce: q(tx.nonce),
    blockHash: at ? at.record.hash : null,
    blockNumber: at ? q(at.record.number) : null,
    transactionIndex: at ? q(at.index) : null,
    from: tx.getSenderAddress().toString(),
    to: tx.to === undefined ? null : tx.to.toString(),
    value: q(tx.value),
    gas: q(tx.gasLimit),
    input: h(tx.data),
    v: q(tx.v ?? 0n),
    r: q(tx.r ?? 0n),
    s: q(tx.s ?? 0n),
  };
  if ('maxFeePerGas' in tx) {
    j.maxFeePerGas = q(tx.maxFeePerGas);
    j.maxPriorityFeePerGas = q(tx.maxPriorityFeePerGas);
    j.gasPrice = q(at ? effectiveGasPrice(tx, base) : tx.maxFeePerGas);
  } else {
    j.gasPrice = q(tx.gasPrice);
  }
  if (tx.type !== 0 || tx.supports(155)) j.chainId = q(tx.common.chainId());
  if (tx.type !== 0) {
    j.yParity = q(tx.v ?? 0n);
    j.accessList = 'accessList' in tx ? tx.accessList.map(([a, keys]) => ({ address: h(a), storageKeys: keys.map(h) })) : [];
  }
  return j;
}

export function formatBlock(chain: EmbeddedChain, r: BlockRecord, full: boolean): Json {
  const b: Block = chain.blockOf(r);
  const hd = b.header;
  return {
    number: q(hd.number),
    hash: r.hash,
    parentHash: h(hd.parentHash),
    nonce: h(hd.nonce),
    sha3Uncles: h(hd.uncleHash),
    logsBloom: h(hd.logsBloom),
    transactionsRoot: h(hd.transactionsTrie),
    stateRoot: h(hd.stateRoot),
    receiptsRoot: h(hd.receiptTrie),
    miner: hd.coinbase.toString(),
    difficulty: q(hd.difficulty),
    totalDifficulty: q(0n),
    extraData: h(hd.extraData),
    size: q(r.raw.length),
    gasLimit: q(hd.gasLimit),
    gasUsed: q(hd.gasUsed),
    timestamp: q(hd.timestamp),
    mixHash: h(hd.mixHash),
    baseFeePerGas: q(hd.baseFeePerGas ?? 0n),
    withdrawalsRoot: h(hd.withdrawalsRoot ?? new Uint8Array(32)),
    withdrawals: [],
    blobGasUsed: q(hd.blobGasUsed ?? 0n),
    excessBlobGas: q(hd.excessBlobGas ?? 0n),
    parentBeaconBlockRoot: h(hd.parentBeaconBlockRoot ?? new Uint8Array(32)),
    uncles: [],
    transactions: b.transactions.map((tx, index) => (full ? formatTx(tx, { record: r, index }) : h(tx.hash()))),
  };
}

export function formatLog(l: LogRecord): Json {
  return {
    address: l.address,
    topics: l.topics,
    data: l.data,
    blockNumber: q(l.blockNumber),
    blockHash: l.blockHash,
    transactionHash: l.transactionHash,
    transactionIndex: q(l.transactionIndex),
    logIndex: q(l.logIndex),
    removed: false,
  };
}

function formatReceipt(rc: ReceiptRecord, r: BlockRecord): Json {
  return {
    transactionHash: rc.transactionHash,
    transactionIndex: q(rc.transactionIndex),
    blockHash: r.hash,
    blockNumber: q(r.number),
    from: rc.from,
    to: rc.to,
    contractAddress: rc.contractAddress,
    gasUsed: q(rc.gasUsed),
    cumulativeGasUsed: q(rc.cumulativeGasUsed),
    effectiveGasPrice: q(rc.effectiveGasPrice),
    status: q(rc.status),
    logs: rc.logs.map(formatLog),
    logsBloom: rc.logsBloom,
    type: q(rc.type),
  };
}

export interface LogFilter {
  fromBlock: bigint;
  toBlock: bigint;
  blockHash?: Hex;
  addresses: Hex[] | null;
  topics: (Hex[] | null)[];
}

export function parseLogFilter(v: unknown, chain: EmbeddedChain): LogFilter {
  if (!isRecord(v)) throw bad('filter: want an object');
  let addresses: Hex[] | null = null;
  if (v.address !== undefined && v.address !== null) {
    addresses = Array.isArray(v.address) ? v.address.map((a, i) => address(a, `address[${i}]`)) : [address(v.address, 'address')];
  }
  const topics: (Hex[] | null)[] = [];
  if (v.topics !== undefined && v.topics !== null) {
    if (!Array.isArray(v.topics)) throw bad('topics: want an array');
    if (v.topics.length > 4) throw bad('topics: at most 4 positions');
    v.topics.forEach((t, i) => {
      if (t === null) topics.push(null);
      else if (Array.isArray(t)) topics.push(t.length === 0 ? null : t.map((x, j) => hash32(x, `topics[${i}][${j}]`)));
      else topics.push([hash32(t, `topics[${i}]`)]);
    });
  }
  if (v.blockHash !== undefined && v.blockHash !== null) {
    if (v.fromBlock !== undefined || v.toBlock !== undefined) throw bad('blockHash excludes fromBlock/toBlock');
    const bh = hash32(v.blockHash, 'blockHash');
    const r = chain.blockByHash(bh);
    if (r === undefined) throw new L1RequestError(L1RpcCode.txRejected, `unknown block ${bh}`);
    return { fromBlock: r.number, toBlock: r.number, blockHash: bh, addresses, topics };
  }
  const head = chain.headNumber();
  const fromBlock = blockRef(v.fromBlock, chain, 'fromBlock') ?? head;
  const toBlock = v.toBlock === undefined ? head : (blockRef(v.toBlock, chain, 'toBlock') ?? head);
  return { fromBlock, toBlock, addresses, topics };
}

export function logMatches(l: LogRecord, f: LogFilter): boolean {
  if (f.addresses !== null && !f.addresses.includes(l.address)) return false;
  for (let i = 0; i < f.topics.length; i++) {
    const want = f.topics[i];
    if (want === null) continue;
    const t = l.topics[i];
    if (t === undefined || !want.includes(t)) return false;
  }
  return true;
}

function logsOf(r: BlockRecord, f: LogFilter): LogRecord[] {
  return r.receipts.flatMap((rc) => rc.logs.filter((l) => logMatches(l, f)));
}

async function sendRaw(raw: Hex, ctx: MethodContext): Promise<Hex> {
  const { hash } = await ctx.chain.addRawTransaction(hexToBytes(raw));
  if (ctx.automine) await ctx.chain.mine();
  return hash;
}

async function feeHistory(params: unknown[], ctx: MethodContext): Promise<Json> {
  const count = Number(quantity(params[0], 'blockCount'));
  const newest = blockForTag(params[1], ctx.chain);
  if (newest === undefined) throw bad('newestBlock: unknown block');
  const pct = params[2] === undefined || params[2] === null ? null : params[2];
  if (pct !== null && (!Array.isArray(pct) || pct.some((p) => typeof p !== 'number' || p < 0 || p > 100))) throw bad('rewardPercentiles: want numbers 0..100');
  const last = newest.number;
  const n = BigInt(Math.max(1, Math.min(count, 1024)));
  const first = last - n + 1n < 0n ? 0n : last - n + 1n;
  const baseFees: Hex[] = [];
  const ratios: number[] = [];
  const rewards: Hex[][] = [];
  for (let i = first; i <= last; i++) {
    const r = ctx.chain.blockByNumber(i);
    if (r === undefined) break;
    const hd = r;
    baseFees.push(q(hd.baseFeePerGas));
    ratios.push(Number(hd.gasUsed) / Number(hd.gasLimit));
    if (pct !== null) {
      const tips = r.receipts
        .map((rc) => ({ tip: rc.effectiveGasPrice - hd.baseFeePerGas, gas: rc.gasUsed }))
        .sort((a, b) => (a.tip < b.tip ? -1 : a.tip > b.tip ? 1 : 0));
      rewards.push(
        (pct as number[]).map((p) => {
          if (tips.length === 0) return q(0n);
          const threshold = (Number(hd.gasUsed) * p) / 100;
          let acc = 0;
          for (const t of tips) {
            acc += Number(t.gas);
            if (acc >= threshold) return q(t.tip);
          }
          return q(tips[tips.length - 1].tip);
        }),
      );
    }
  }
  const lastRecord = ctx.chain.blockByNumber(last);
  baseFees.push(q(lastRecord === undefined ? 0n : ctx.chain.blockOf(lastRecord).header.calcNextBaseFee()));
  const out: Record<string, Json> = { oldestBlock: q(first), baseFeePerGas: baseFees, gasUsedRatio: ratios };
  if (pct !== null) out.reward = rewards;
  return out;
}

async function sendTransaction(params: unknown[], ctx: MethodContext): Promise<Json> {
  const req = callRequest(params[0]);
  if (req.from === undefined) throw bad('from: required');
  const chain = ctx.chain;
  const p = isRecord(params[0]) ? params[0] : {};
  const nonce = p.nonce !== undefined ? quantity(p.nonce, 'nonce') : await chain.pendingNonce(req.from);
  const gasLimit = req.gas ?? (await chain.estimateGas(req, null));
  const legacy = req.gasPrice !== undefined || p.type === '0x0';
  const tip = req.maxPriorityFeePerGas ?? DEFAULT_PRIORITY_FEE;
  const raw = chain.signFor(req.from, {
    to: req.to,
    data: req.data === undefined ? new Uint8Array() : hexToBytes(req.data),
    value: req.value ?? 0n,
    gasLimit,
    nonce,
    ...(legacy
      ? { gasPrice: req.gasPrice ?? chain.nextBaseFee() + tip }
      : { maxPriorityFeePerGas: tip, maxFeePerGas: req.maxFeePerGas ?? chain.nextBaseFee() * 2n + tip }),
  });
  return sendRaw(h(raw), ctx);
}

export const methods: Record<string, Method> = {
  web3_clientVersion: async (_p, ctx) => ctx.clientVersion,
  net_version: async (_p, ctx) => ctx.chain.chainId.toString(),
  net_listening: async () => true,
  net_peerCount: async () => '0x0',
  eth_chainId: async (_p, ctx) => q(ctx.chain.chainId),
  eth_syncing: async () => false,
  eth_mining: async () => true,
  eth_accounts: async (_p, ctx) => ctx.chain.devAccounts(),
  eth_blockNumber: async (_p, ctx) => q(ctx.chain.headNumber()),
  eth_gasPrice: async (_p, ctx) => q(ctx.chain.nextBaseFee() + DEFAULT_PRIORITY_FEE),
  eth_maxPriorityFeePerGas: async () => q(DEFAULT_PRIORITY_FEE),
  eth_blobBaseFee: async () => q(1n),
  eth_feeHistory: feeHistory,
  eth_getBlockByNumber: async (p, ctx) => {
    const r = blockForTag(p[0], ctx.chain);
    return r === undefined ? null : formatBlock(ctx.chain, r, p[1] === true);
  },
  eth_getBlockByHash: async (p, ctx) => {
    const r = ctx.chain.blockByHash(hash32(p[0], 'blockHash'));
    return r === undefined ? null : formatBlock(ctx.chain, r, p[1] === true);
  },
  eth_getBlockTransactionCountByNumber: async (p, ctx) => {
    const r = blockForTag(p[0], ctx.chain);
    return r === undefined ? null : q(r.receipts.length);
  },
  eth_getBlockTransactionCountByHash: async (p, ctx) => {
    const r = ctx.chain.blockByHash(hash32(p[0], 'blockHash'));
    return r === undefined ? null : q(r.receipts.length);
  },
  eth_getBalance: async (p, ctx) => q((await ctx.chain.getAccount(address(p[0], 'address'), blockRef(p[1], ctx.chain))).balance),
  eth_getTransactionCount: async (p, ctx) => {
    const a = address(p[0], 'address');
    if (p[1] === 'pending') return q(await ctx.chain.pendingNonce(a));
    return q((await ctx.chain.getAccount(a, blockRef(p[1], ctx.chain))).nonce);
  },
  eth_getCode: async (p, ctx) => h(await ctx.chain.getCode(address(p[0], 'address'), blockRef(p[1], ctx.chain))),
  eth_getStorageAt: async (p, ctx) => {
    const slot = quantity(p[1], 'slot');
    const key = hexToBytes(`0x${slot.toString(16).padStart(64, '0')}`);
    return h(await ctx.chain.getStorageAt(address(p[0], 'address'), key, blockRef(p[2], ctx.chain)));
  },
  eth_call: async (p, ctx) => {
    const req = callRequest(p[0]);
    const r = await ctx.chain.call(req, blockRef(p[1], ctx.chain));
    throwIfFailed(r, req.gas ?? 0n);
    return h(r.execResult.returnValue);
  },
  eth_estimateGas: async (p, ctx) => q(await ctx.chain.estimateGas(callRequest(p[0]), blockRef(p[1], ctx.chain))),
  eth_sendRawTransaction: async (p, ctx) => sendRaw(data(p[0], 'data'), ctx),
  eth_sendTransaction: sendTransaction,
  eth_getTransactionByHash: async (p, ctx) => {
    const found = ctx.chain.transaction(hash32(p[0], 'hash'));
    if (found === undefined) return null;
    if ('pending' in found) return formatTx(found.pending.tx, null);
    return formatTx(ctx.chain.blockOf(found.record).transactions[found.index], found);
  },
  eth_getTransactionByBlockNumberAndIndex: async (p, ctx) => {
    const r = blockForTag(p[0], ctx.chain);
    const i = Number(quantity(p[1], 'index'));
    const tx = r === undefined ? undefined : ctx.chain.blockOf(r).transactions[i];
    return r === undefined || tx === undefined ? null : formatTx(tx, { record: r, index: i });
  },
  eth_getTransactionReceipt: async (p, ctx) => {
    const found = ctx.chain.transaction(hash32(p[0], 'hash'));
    if (found === undefined || 'pending' in found) return null;
    return formatReceipt(found.record.receipts[found.index], found.record);
  },
  eth_getBlockReceipts: async (p, ctx) => {
    const r = blockForTag(p[0], ctx.chain);
    return r === undefined ? null : r.receipts.map((rc) => formatReceipt(rc, r));
  },
  eth_getLogs: async (p, ctx) => {
    const f = parseLogFilter(p[0], ctx.chain);
    if (f.toBlock < f.fromBlock) return [];
    if (f.toBlock - f.fromBlock + 1n > BigInt(ctx.logRangeCap)) {
      throw new L1RequestError(L1RpcCode.txRejected, `block range too large: ${f.toBlock - f.fromBlock + 1n} blocks, at most ${ctx.logRangeCap}`);
    }
    const out: Json[] = [];
    for (let n = f.fromBlock; n <= f.toBlock; n++) {
      const r = ctx.chain.blockByNumber(n);
      if (r === undefined) break;
      for (const l of logsOf(r, f)) out.push(formatLog(l));
    }
    return out;
  },
  // ---- dev controls (anvil / hardhat names) ----
  evm_mine: async (p, ctx) => {
    const arg = p[0];
    let blocks = 1;
    let ts: bigint | undefined;
    if (isRecord(arg)) {
      if (arg.blocks !== undefined) blocks = Number(quantity(arg.blocks, 'blocks'));
      if (arg.timestamp !== undefined) ts = quantity(arg.timestamp, 'timestamp');
    } else if (arg !== undefined && arg !== null) ts = quantity(arg, 'timestamp');
    for (let i = 0; i < blocks; i++) await ctx.chain.mine(i === 0 ? ts : undefined);
    return '0x0';
  },
  anvil_mine: async (p, ctx) => {
    const blocks = p[0] === undefined || p[0] === null ? 1 : Number(quantity(p[0], 'blocks'));
    const interval = p[1] === undefined || p[1] === null ? 0n : quantity(p[1], 'interval');
    for (let i = 0; i < blocks; i++) {
      const ts = interval > 0n && i > 0 ? ctx.chain.head().timestamp + interval : undefined;
      await ctx.chain.mine(ts);
    }
    return null;
  },
  evm_snapshot: async (_p, ctx) => q(await ctx.chain.snapshot()),
  evm_revert: async (p, ctx) => ctx.chain.revert(Number(quantity(p[0], 'id'))),
  evm_increaseTime: async (p, ctx) => q(ctx.chain.increaseTime(Number(quantity(p[0], 'seconds')))),
  evm_setNextBlockTimestamp: async (p, ctx) => {
    ctx.chain.setNextBlockTimestamp(quantity(p[0], 'timestamp'));
    return null;
  },
  anvil_setBalance: async (p, ctx) => {
    await ctx.chain.setBalance(address(p[0], 'address'), quantity(p[1], 'balance'));
    return null;
  },
};
methods.hardhat_mine = methods.anvil_mine;
methods.hardhat_setBalance = methods.anvil_setBalance;
methods.anvil_snapshot = methods.evm_snapshot;
methods.anvil_revert = methods.evm_revert;
methods.anvil_increaseTime = methods.evm_increaseTime;
methods.anvil_setNextBlockTimestamp = methods.evm_setNextBlockTimestamp;
