// Raw transaction → SignedTx. Parsing, signing-hash and canonical-form checks come from
// @ethereumjs/tx; the signature is recovered here with libsecp256k1 (see recover.ts), never by the
// library's own (noble) path.
import { createTxFromRLP, type FeeMarket1559Tx, type LegacyTx } from '@ethereumjs/tx';
import { SECP256K1_ORDER, SECP256K1_ORDER_DIV_2 } from '@ethereumjs/util';
import { bytesToHex, keccak256, type Bytes } from '../crypto/hash.ts';
import type { AccessListItem, Address, SignedTx } from '../chain/types.ts';
import { TxDecodeError } from './errors.ts';
import { chainCommon } from './common.ts';
import { recoverAddress } from './recover.ts';

/** Largest raw transaction accepted (geth's txMaxSize). */
export const MAX_TX_BYTES = 128 * 1024;
const NONCE_LIMIT = (1n << 64n) - 1n;

function parse(raw: Bytes, chainId: bigint): LegacyTx | FeeMarket1559Tx {
  try {
    return createTxFromRLP<0 | 2>(raw, { common: chainCommon(chainId) }) as LegacyTx | FeeMarket1559Tx;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/chain ?id/i.test(msg)) throw new TxDecodeError('TX_WRONG_CHAIN', 'invalid chain id for signer');
    if (/invalid signature|s-values/i.test(msg)) throw new TxDecodeError('TX_BAD_SIGNATURE', 'invalid transaction v, r, s values');
    throw new TxDecodeError('TX_MALFORMED', `malformed transaction: ${msg.split('\n')[0].slice(0, 200)}`);
  }
}

/**
 * Decodes and checks a raw EIP-1559 or EIP-155 legacy transaction for `expectedChainId` and recovers
 * its sender. Pass `sender` when it is already known (recovered in a worker thread): recovery is then
 * skipped and the caller vouches for it. Throws TxDecodeError, never anything else, on hostile input.
 */
export function decodeTransaction(raw: Bytes, expectedChainId: bigint, sender?: Address): SignedTx {
  if (!(raw instanceof Uint8Array)) throw new TxDecodeError('TX_MALFORMED', 'transaction is not a byte array');
  if (raw.length === 0) throw new TxDecodeError('TX_EMPTY', 'empty transaction');
  if (raw.length > MAX_TX_BYTES) throw new TxDecodeError('TX_TOO_LARGE', 'oversized data');
  const first = raw[0];
  if (first <= 0x7f && first !== 0x02) throw new TxDecodeError('TX_TYPE_UNSUPPORTED', 'transaction type not supported');
  const tx = parse(raw, expectedChainId);
  if (!tx.isSigned() || tx.v === undefined || tx.r === undefined || tx.s === undefined) {
    throw new TxDecodeError('TX_BAD_SIGNATURE', 'invalid transaction v, r, s values');
  }
  // Encodings are canonical without re-serialising: @ethereumjs/rlp rejects non-minimal lengths and
  // trailing bytes, and the tx classes reject integers with leading zeros (decode.test.ts checks it).
  let recid: bigint;
  let type: 0 | 2;
  if (first === 0x02) {
    type = 2;
    recid = tx.v;
  } else {
    type = 0;
    if (tx.v === 27n || tx.v === 28n) {
      throw new TxDecodeError('TX_UNPROTECTED', 'only replay-protected (EIP-155) transactions allowed over RPC');
    }
    recid = tx.v - 35n - 2n * expectedChainId;
  }
  if (recid !== 0n && recid !== 1n) throw new TxDecodeError('TX_WRONG_CHAIN', 'invalid chain id for signer');
  const { r, s } = tx;
  if (r === 0n || s === 0n || r >= SECP256K1_ORDER || s > SECP256K1_ORDER_DIV_2) {
    throw new TxDecodeError('TX_BAD_SIGNATURE', 'invalid transaction v, r, s values');
  }
  if (tx.to === undefined) throw new TxDecodeError('TX_CONTRACT_CREATION', 'contract creation is not supported');
  if (tx.nonce >= NONCE_LIMIT) throw new TxDecodeError('TX_MALFORMED', 'nonce has max value');
  let from: Address;
  if (sender !== undefined) {
    from = sender.toLowerCase() as Address;
  } else {
    try {
      from = recoverAddress(tx.getHashedMessageToSign(), r, s, Number(recid));
    } catch {
      throw new TxDecodeError('TX_BAD_SIGNATURE', 'invalid transaction v, r, s values');
    }
  }
  const is1559 = type === 2;
  const t1559 = tx as FeeMarket1559Tx;
  const tLegacy = tx as LegacyTx;
  const accessList: AccessListItem[] = is1559
    ? t1559.accessList.map(([a, keys]) => ({ address: bytesToHex(a), storageKeys: keys.map(bytesToHex) }))
    : [];
  return {
    hash: bytesToHex(keccak256(raw)),
    raw,
    type,
    chainId: expectedChainId,
    nonce: tx.nonce,
    from,
    to: tx.to.toString() as Address,
    value: tx.value,
    data: tx.data,
    gasLimit: tx.gasLimit,
    maxFeePerGas: is1559 ? t1559.maxFeePerGas : tLegacy.gasPrice,
    maxPriorityFeePerGas: is1559 ? t1559.maxPriorityFeePerGas : tLegacy.gasPrice,
    v: tx.v,
    r,
    s,
    accessList,
  };
}

/** Sender of a raw transaction (decodes and checks it fully). */
export function recoverSender(raw: Bytes, expectedChainId: bigint): Address {
  return decodeTransaction(raw, expectedChainId).from;
}

/**
 * Senders of many raw transactions, null for each that does not decode. Pure and self-contained, so
 * a node can run it in worker threads over slices of a batch and pass the results to applyBlock.
 */
export function recoverSenders(raws: readonly Bytes[], expectedChainId: bigint): (Address | null)[] {
  return raws.map((raw) => {
    try {
      return decodeTransaction(raw, expectedChainId).from;
    } catch (e) {
      if (e instanceof TxDecodeError) return null;
      throw e;
    }
  });
}
