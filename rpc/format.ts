// Ethereum JSON, as geth writes it: quantities are minimal hex ("0x0", "0x1a"), data is even-length
// hex, absent positions are null. viem's and ethers' formatters read exactly these fields.
import { RLP } from '@ethereumjs/rlp';
import { bytesToHex, hexToBytes, keccak256, type Bytes, type Hex } from '../state-machine/crypto/hash.ts';
import type { Block, BlockHeader, Receipt, SignedTx } from '../state-machine/chain/types.ts';
import type { Address, Log } from '../state-machine/types.ts';
import { effectiveGasPrice } from '../state-machine/chain/fees.ts';
import type { LocatedLog, TxLocation } from './backend.ts';

export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

/** keccak256(RLP([])): the uncle hash of every block without uncles. */
export const EMPTY_UNCLES_HASH: Hex = '0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347';
const ZERO32: Hex = `0x${'00'.repeat(32)}`;

export function qty(n: bigint | number): Hex {
  const v = typeof n === 'number' ? BigInt(n) : n;
  if (v < 0n) throw new RangeError(`negative quantity ${v}`);
  return `0x${v.toString(16)}`;
}

/** Turns backend values into JSON: bigint → quantity, bytes → hex; used for opaque payloads (proofs). */
export function toJson(v: unknown): Json {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return qty(v);
  if (v instanceof Uint8Array) return bytesToHex(v);
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (Array.isArray(v)) return v.map(toJson);
  if (typeof v === 'object') {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toJson(x);
    return out;
  }
  return null;
}

export function txHashOf(raw: Bytes): Hex {
  return bytesToHex(keccak256(raw));
}

/** A transaction; `at` is its block position (null while pooled) and that block's base fee. */
export function formatTx(tx: SignedTx, at: (TxLocation & { baseFee: bigint }) | null): JsonObject {
  const out: JsonObject = {
    blockHash: at ? at.blockHash : null,
    blockNumber: at ? qty(at.blockNumber) : null,
    from: tx.from,
    gas: qty(tx.gasLimit),
    gasPrice: qty(at ? effectiveGasPrice(tx, at.baseFee) : tx.maxFeePerGas),
  };
  if (tx.type === 2) {
    out.maxFeePerGas = qty(tx.maxFeePerGas);
    out.maxPriorityFeePerGas = qty(tx.maxPriorityFeePerGas);
  }
  Object.assign(out, {
    hash: tx.hash,
    input: bytesToHex(tx.data),
    nonce: qty(tx.nonce),
    to: tx.to,
    transactionIndex: at ? qty(at.index) : null,
    value: qty(tx.value),
    type: qty(tx.type),
  });
  if (tx.type === 2) out.accessList = (tx.accessList ?? []).map((a) => ({ address: a.address, storageKeys: a.storageKeys }));
  out.chainId = qty(tx.chainId);
  out.v = qty(tx.v);
  out.r = qty(tx.r);
  out.s = qty(tx.s);
  if (tx.type === 2) out.yParity = qty(tx.v);
  return out;
}

export function formatLog(l: LocatedLog): JsonObject {
  return {
    address: l.address,
    topics: l.topics,
    data: l.data,
    blockNumber: qty(l.blockNumber),
    transactionHash: l.transactionHash,
    transactionIndex: qty(l.transactionIndex),
    blockHash: l.blockHash,
    logIndex: qty(l.logIndex),
    removed: false,
  };
}

/** Places the logs of a block's receipts: logIndex counts across the whole block, as in geth. */
export function locateLogs(block: Block, receipts: readonly Receipt[]): LocatedLog[] {
  const out: LocatedLog[] = [];
  let logIndex = 0;
  receipts.forEach((r, transactionIndex) => {
    for (const log of r.logs) {
      out.push({
        ...log,
        blockNumber: block.header.number,
        blockHash: block.hash,
        transactionHash: r.txHash,
        transactionIndex,
        logIndex: logIndex++,
      });
    }
  });
  return out;
}

/** A receipt; `firstLogIndex` is the number of logs in the block before this transaction's. */
export function formatReceipt(receipt: Receipt, tx: SignedTx, at: TxLocation, firstLogIndex: number): JsonObject {
  return {
    blockHash: at.blockHash,
    blockNumber: qty(at.blockNumber),
    contractAddress: null,
    cumulativeGasUsed: qty(receipt.cumulativeGasUsed),
    effectiveGasPrice: qty(receipt.effectiveGasPrice),
    from: tx.from,
    gasUsed: qty(receipt.gasUsed),
    logs: receipt.logs.map((log: Log, i) =>
      formatLog({
        ...log,
        blockNumber: at.blockNumber,
        blockHash: at.blockHash,
        transactionHash: receipt.txHash,
        transactionIndex: at.index,
        logIndex: firstLogIndex + i,
      }),
    ),
    logsBloom: receipt.logsBloom,
    status: qty(receipt.status),
    to: tx.to,
    transactionHash: receipt.txHash,
    transactionIndex: qty(at.index),
    type: qty(tx.type),
  };
}

/** RLP size of the block (header fields, signature, transactions, no uncles), as geth's `size`. */
function blockSize(block: Block): number {
  const h = block.header;
  const header = [
    h.number, hexToBytes(h.parentHash), h.timestamp, h.l1OriginNumber, hexToBytes(h.l1OriginHash),
    hexToBytes(h.stateRoot), hexToBytes(h.txRoot), hexToBytes(h.receiptsRoot), hexToBytes(h.withdrawalsRoot),
    hexToBytes(h.logsBloom), h.gasUsed, h.gasLimit, h.baseFee, hexToBytes(h.sequencer), hexToBytes(h.signature),
  ];
  return RLP.encode([header, block.transactions, []]).length;
}

/**
 * Header fields shared by blocks and newHeads. `miner` is the fee vault, which receives every fee
 * (as OP Stack chains report their sequencer fee vault). Verity-only fields keep their own names.
 */
export function formatHeader(hash: Hex, h: BlockHeader, miner: Address): JsonObject {
  return {
    baseFeePerGas: qty(h.baseFee),
    difficulty: '0x0',
    extraData: '0x',
    gasLimit: qty(h.gasLimit),
    gasUsed: qty(h.gasUsed),
    hash,
    logsBloom: h.logsBloom,
    miner,
    mixHash: ZERO32,
    nonce: '0x0000000000000000',
    number: qty(h.number),
    parentHash: h.parentHash,
    receiptsRoot: h.receiptsRoot,
    sha3Uncles: EMPTY_UNCLES_HASH,
    stateRoot: h.stateRoot,
    timestamp: qty(h.timestamp),
    transactionsRoot: h.txRoot,
    withdrawalsRoot: h.withdrawalsRoot,
    l1OriginNumber: qty(h.l1OriginNumber),
    l1OriginHash: h.l1OriginHash,
    sequencer: h.sequencer,
    sequencerSignature: h.signature,
  };
}

/** A block with transaction hashes (`txs` = null) or full transaction objects. */
export function formatBlock(block: Block, miner: Address, txs: readonly SignedTx[] | null): JsonObject {
  const out = formatHeader(block.hash, block.header, miner);
  out.size = qty(blockSize(block));
  out.totalDifficulty = '0x0';
  out.uncles = [];
  out.withdrawals = [];
  out.transactions = txs
    ? txs.map((tx, index) =>
        formatTx(tx, { blockHash: block.hash, blockNumber: block.header.number, index, baseFee: block.header.baseFee }),
      )
    : block.transactions.map(txHashOf);
  return out;
}
