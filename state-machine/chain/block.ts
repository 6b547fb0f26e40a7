// Blocks: the genesis block, building a block from candidate transactions (sequencer), and
// re-applying a received block (followers), which must reproduce every root bit for bit.
//   txRoot       = merkleRoot(tx hashes)                      (sha256 nodes, merkle/tree.ts)
//   receiptsRoot = merkleRoot(sha256(consensus receipt RLP))  (sha256 nodes)
//   withdrawalsRoot = the bridge module's withdrawals tree root (depth-32 keccak, L1-verified)
//   deposits (type 0x7e) come first in a block, in deposit-nonce order, from L1 blocks <= l1Origin
import type { Genesis } from '../genesis.ts';
import { ZERO_HASH, bytesToHex, hexToBytes, isHex, sha256Of, type Bytes, type Hex } from '../crypto/hash.ts';
import { merkleRoot } from '../merkle/tree.ts';
import { EMPTY_WITHDRAWALS_ROOT, WITHDRAWALS_TREE_DEPTH, withdrawalsRootOf } from '../modules/bridge/records.ts';
import type { BlockEnv } from '../modules/framework.ts';
import { TxDecodeError } from '../tx/errors.ts';
import { decodeBlockTransaction } from '../tx/decode.ts';
import { DEPOSIT_TX_TYPE } from '../tx/deposit.ts';
import { privateKeyToAddress, signDigest } from '../tx/recover.ts';
import { EMPTY_BLOOM, logsBloomHex } from './bloom.ts';

export { EMPTY_BLOOM };
import { BlockBuildError, BlockInvalidError } from './errors.ts';
import { checkDepositValidity, checkTxValidity, executeDeposit, executeTx, type DepositSlot } from './execute.ts';
import { nextBaseFee } from './fees.ts';
import { blockHash, blockSigner } from './header.ts';
import { receiptLeaf } from './receipt.ts';
import type { ChainState } from './state.ts';
import type { Block, BlockHeader, Receipt, SignedTx } from './types.ts';
import type { Address } from '../types.ts';

export { EMPTY_WITHDRAWALS_ROOT, WITHDRAWALS_TREE_DEPTH };
const ZERO_HEX: Hex = bytesToHex(ZERO_HASH);

export interface BuildEnv {
  /** seconds; must not be before the parent's */
  timestamp: bigint;
  /** the sequencer's secp256k1 private key (must match genesis.sequencer) */
  sequencerKey: Uint8Array;
  /** the L1 block this one derives from (its deposits come from blocks up to it); default: the parent's */
  l1Origin?: { number: bigint; hash: Hex };
}

export interface SkippedTx {
  tx: SignedTx;
  /** geth-style message */
  reason: string;
  code: string;
}

export interface BuildResult {
  block: Block;
  receipts: Receipt[];
  included: SignedTx[];
  skipped: SkippedTx[];
}

export function blockEnvFromHeader(h: BlockHeader): BlockEnv {
  return { number: h.number, timestamp: h.timestamp, baseFee: h.baseFee, gasLimit: h.gasLimit, sequencer: h.sequencer, parentHash: h.parentHash };
}

/** The environment of the block that would follow `parent` (for 'pending' calls and the mempool). */
export function nextBlockEnv(parent: BlockHeader, g: Genesis, timestamp: bigint): BlockEnv {
  return {
    number: parent.number + 1n,
    timestamp,
    baseFee: nextBaseFee(parent, g.baseFee),
    gasLimit: g.gasLimit,
    sequencer: g.sequencer,
    parentHash: blockHash(parent),
  };
}

export function genesisBlock(g: Genesis, state: ChainState): Block {
  const header: BlockHeader = {
    number: 0n,
    parentHash: ZERO_HEX,
    timestamp: g.timestamp,
    l1OriginNumber: 0n,
    l1OriginHash: ZERO_HEX,
    stateRoot: state.root(),
    txRoot: bytesToHex(merkleRoot([])),
    receiptsRoot: bytesToHex(merkleRoot([])),
    withdrawalsRoot: EMPTY_WITHDRAWALS_ROOT,
    logsBloom: EMPTY_BLOOM,
    gasUsed: 0n,
    gasLimit: g.gasLimit,
    baseFee: g.baseFee.initial,
    sequencer: g.sequencer,
    signature: '0x',
  };
  return { hash: blockHash(header), header, transactions: [] };
}

interface BodyResult {
  receipts: Receipt[];
  included: SignedTx[];
  skipped: SkippedTx[];
  gasUsed: bigint;
}

/** Hooks and transactions of one block. strict: an invalid tx invalidates the block. */
function runBody(state: ChainState, env: BlockEnv, txs: readonly SignedTx[], strict: boolean, l1OriginNumber: bigint): BodyResult {
  const hook = { store: state.store, genesis: state.genesis, env };
  for (const m of state.registry.modules) m.beginBlock?.(hook);
  const receipts: Receipt[] = [];
  const included: SignedTx[] = [];
  const skipped: SkippedTx[] = [];
  let gasUsed = 0n;
  const slot: DepositSlot = { l1OriginNumber, deposits: 0n, userTxSeen: false };
  txs.forEach((tx, i) => {
    const isDeposit = tx.type === DEPOSIT_TX_TYPE;
    const invalid = isDeposit ? checkDepositValidity(state, tx, slot) : checkTxValidity(state, tx, env, env.gasLimit - gasUsed);
    if (invalid !== null) {
      if (strict) throw new BlockInvalidError(`transaction ${i} (${tx.hash}) is invalid: ${invalid.message}`, { code: invalid.code });
      skipped.push({ tx, reason: invalid.message, code: invalid.code });
      return;
    }
    if (isDeposit) slot.deposits++;
    else slot.userTxSeen = true;
    const receipt = isDeposit ? executeDeposit(state, tx, env) : executeTx(state, tx, env);
    gasUsed += receipt.gasUsed;
    receipt.cumulativeGasUsed = gasUsed;
    receipts.push(receipt);
    included.push(tx);
  });
  for (const m of state.registry.modules) m.endBlock?.(hook);
  state.checkSupplyChange();
  if (state.assertSupply) state.checkSupply(env);
  return { receipts, included, skipped, gasUsed };
}

/** A header's txRoot: the Merkle root of the tx hashes in block order. */
export function txRootOf(txs: readonly SignedTx[]): Hex {
  return bytesToHex(merkleRoot(txs.map((t) => hexToBytes(t.hash))));
}

/** A header's receiptsRoot: the Merkle root of sha256(consensus encoding) of each receipt. */
export function receiptsRootOf(txs: readonly SignedTx[], receipts: readonly Receipt[]): Hex {
  return bytesToHex(merkleRoot(receipts.map((r, i) => receiptLeaf(r, txs[i].type))));
}

function roots(txs: readonly SignedTx[], receipts: readonly Receipt[]): { txRoot: Hex; receiptsRoot: Hex; logsBloom: Hex } {
  return {
    txRoot: txRootOf(txs),
    receiptsRoot: receiptsRootOf(txs, receipts),
    // the OR of the receipts' blooms is the bloom of all their logs
    logsBloom: logsBloomHex(receipts.flatMap((r) => r.logs)),
  };
}

/**
 * Sequencer: executes the candidates in order on top of `state` (which must be the post-state of
 * `parent`), skipping the invalid ones with a reason, and returns the sealed, signed block. `state`
 * becomes the post-block state; on an exception it is left unchanged.
 */
export function buildBlock(state: ChainState, parent: BlockHeader, candidates: readonly SignedTx[], env: BuildEnv): BuildResult {
  const g = state.genesis;
  const sequencer = privateKeyToAddress(env.sequencerKey);
  if (sequencer !== g.sequencer) throw new BlockBuildError(`sequencer key is for ${sequencer}, genesis names ${g.sequencer}`);
  if (env.timestamp < parent.timestamp) throw new BlockBuildError(`timestamp ${env.timestamp} is before the parent's ${parent.timestamp}`);
  const benv = nextBlockEnv(parent, g, env.timestamp);
  const l1Origin = env.l1Origin ?? { number: parent.l1OriginNumber, hash: parent.l1OriginHash };
  if (l1Origin.number < parent.l1OriginNumber) throw new BlockBuildError(`L1 origin ${l1Origin.number} is before the parent's ${parent.l1OriginNumber}`);
  state.store.checkpoint();
  try {
    const body = runBody(state, benv, candidates, false, l1Origin.number);
    const r = roots(body.included, body.receipts);
    const header: BlockHeader = {
      number: benv.number,
      parentHash: benv.parentHash,
      timestamp: env.timestamp,
      l1OriginNumber: l1Origin.number,
      l1OriginHash: l1Origin.hash,
      stateRoot: state.root(),
      txRoot: r.txRoot,
      receiptsRoot: r.receiptsRoot,
      withdrawalsRoot: withdrawalsRootOf(state.store),
      logsBloom: r.logsBloom,
      gasUsed: body.gasUsed,
      gasLimit: benv.gasLimit,
      baseFee: benv.baseFee,
      sequencer,
      signature: '0x',
    };
    const hash = blockHash(header);
    header.signature = bytesToHex(signDigest(hexToBytes(hash), env.sequencerKey));
    state.store.commit();
    return { block: { hash, header, transactions: body.included.map((t) => t.raw) }, receipts: body.receipts, included: body.included, skipped: body.skipped };
  } catch (e) {
    state.store.revert();
    throw e;
  }
}

function expectEqual(what: string, got: Hex | bigint, want: Hex | bigint): void {
  if (got !== want) throw new BlockInvalidError(`${what} mismatch: block has ${want}, computed ${got}`, { what });
}

const HEX_FIELDS: [keyof BlockHeader, number][] = [
  ['parentHash', 32], ['l1OriginHash', 32], ['stateRoot', 32], ['txRoot', 32], ['receiptsRoot', 32],
  ['withdrawalsRoot', 32], ['logsBloom', 256], ['sequencer', 20], ['signature', 65],
];
const UINT_FIELDS: (keyof BlockHeader)[] = ['number', 'timestamp', 'l1OriginNumber', 'gasUsed', 'gasLimit', 'baseFee'];

/** Blocks come from the network: every field must have its type and size before anything hashes it. */
function checkShape(block: Block): void {
  if (block === null || typeof block !== 'object' || block.header === null || typeof block.header !== 'object') {
    throw new BlockInvalidError('malformed block');
  }
  const h = block.header;
  for (const [f, len] of HEX_FIELDS) {
    const v = h[f];
    if (!isHex(v) || v.length !== 2 + 2 * len) throw new BlockInvalidError(`malformed header field ${f}`);
  }
  for (const f of UINT_FIELDS) {
    const v = h[f];
    if (typeof v !== 'bigint' || v < 0n || v >= 1n << 64n) throw new BlockInvalidError(`malformed header field ${f}`);
  }
  if (!isHex(block.hash) || block.hash.length !== 66) throw new BlockInvalidError('malformed block hash');
  if (!Array.isArray(block.transactions) || !block.transactions.every((t) => t instanceof Uint8Array)) {
    throw new BlockInvalidError('malformed transaction list');
  }
}

/** Header checks that need no execution. */
function checkHeader(state: ChainState, parent: BlockHeader, block: Block): void {
  checkShape(block);
  const h = block.header;
  const g = state.genesis;
  expectEqual('block hash', blockHash(h), block.hash);
  expectEqual('number', parent.number + 1n, h.number);
  expectEqual('parent hash', blockHash(parent), h.parentHash);
  if (h.timestamp < parent.timestamp) throw new BlockInvalidError(`timestamp ${h.timestamp} before parent's ${parent.timestamp}`);
  expectEqual('gas limit', g.gasLimit, h.gasLimit);
  expectEqual('base fee', nextBaseFee(parent, g.baseFee), h.baseFee);
  expectEqual('sequencer', g.sequencer, h.sequencer);
  if (h.l1OriginNumber < parent.l1OriginNumber) throw new BlockInvalidError('l1 origin went backwards');
  if (h.l1OriginNumber === parent.l1OriginNumber) expectEqual('l1 origin hash', parent.l1OriginHash, h.l1OriginHash);
  if (h.gasUsed > h.gasLimit) throw new BlockInvalidError('gas used above gas limit');
  const signer = blockSigner(h);
  if (signer !== g.sequencer) throw new BlockInvalidError(`block signed by ${signer ?? 'nobody'}, not the sequencer ${g.sequencer}`);
}

/**
 * Follower: checks `block` against `parent`, re-executes it on `state` (the post-state of `parent`)
 * and compares every root. Throws BlockInvalidError and leaves `state` unchanged on any mismatch.
 * `senders`, when given, are the already-recovered senders (see recoverSenders) and are trusted.
 */
export function applyBlock(state: ChainState, parent: BlockHeader, block: Block, senders?: readonly Address[]): Receipt[] {
  checkHeader(state, parent, block);
  if (senders !== undefined && senders.length !== block.transactions.length) {
    throw new BlockInvalidError(`${senders.length} senders for ${block.transactions.length} transactions`);
  }
  const txs = block.transactions.map((raw: Bytes, i) => {
    try {
      return decodeBlockTransaction(raw, state.genesis.chainId, senders?.[i]);
    } catch (e) {
      if (e instanceof TxDecodeError) throw new BlockInvalidError(`transaction ${i} does not decode: ${e.message}`, { code: e.code });
      throw e;
    }
  });
  return executeBlock(state, block, txs);
}

/**
 * applyBlock for a caller that decoded the block's transactions itself (the node does, in worker
 * threads, while it executes the previous block): `txs[i]` must be what decodeBlockTransaction makes
 * of `block.transactions[i]`. The transactions are not decoded a second time.
 */
export function applyDecodedBlock(state: ChainState, parent: BlockHeader, block: Block, txs: readonly SignedTx[]): Receipt[] {
  checkHeader(state, parent, block);
  if (txs.length !== block.transactions.length) throw new BlockInvalidError(`${txs.length} decoded transactions for ${block.transactions.length}`);
  return executeBlock(state, block, txs);
}

function executeBlock(state: ChainState, block: Block, txs: readonly SignedTx[]): Receipt[] {
  const h = block.header;
  state.store.checkpoint();
  try {
    const body = runBody(state, blockEnvFromHeader(h), txs, true, h.l1OriginNumber);
    const r = roots(txs, body.receipts);
    expectEqual('gas used', body.gasUsed, h.gasUsed);
    expectEqual('tx root', r.txRoot, h.txRoot);
    expectEqual('receipts root', r.receiptsRoot, h.receiptsRoot);
    expectEqual('logs bloom', r.logsBloom, h.logsBloom);
    expectEqual('withdrawals root', withdrawalsRootOf(state.store), h.withdrawalsRoot);
    expectEqual('state root', state.root(), h.stateRoot);
    state.store.commit();
    return body.receipts;
  } catch (e) {
    state.store.revert();
    throw e;
  }
}
