// Raw transaction → SignedTx. Parsing, signing hash and canonical-form checks are in parse.ts; the
// signature is recovered here with libsecp256k1 (see recover.ts).
import { bytesToHex, keccak256, type Bytes } from '../crypto/hash.ts';
import type { SignedTx } from '../chain/types.ts';
import type { Address } from '../types.ts';
import { MODULE_ADDRESSES } from '../modules/addresses.ts';
import { DEPOSIT_TX_TYPE, decodeDepositTx, depositToSignedTx } from './deposit.ts';
import { TxDecodeError } from './errors.ts';
import { parseTransaction } from './parse.ts';
import { recoverAddress } from './recover.ts';

/** Largest raw transaction accepted (geth's txMaxSize). */
export const MAX_TX_BYTES = 128 * 1024;

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
  const tx = parseTransaction(raw, expectedChainId);
  const { r, s } = tx;
  if (tx.to === null) throw new TxDecodeError('TX_CONTRACT_CREATION', 'contract creation is not supported');
  let from: Address;
  if (sender !== undefined) {
    from = sender.toLowerCase() as Address;
  } else {
    try {
      from = recoverAddress(tx.signingHash, r, s, tx.recid);
    } catch {
      throw new TxDecodeError('TX_BAD_SIGNATURE', 'invalid transaction v, r, s values');
    }
  }
  return {
    hash: bytesToHex(keccak256(raw)),
    raw,
    type: tx.type,
    chainId: expectedChainId,
    nonce: tx.nonce,
    from,
    to: bytesToHex(tx.to),
    value: tx.value,
    data: tx.data,
    gasLimit: tx.gasLimit,
    maxFeePerGas: tx.maxFeePerGas,
    maxPriorityFeePerGas: tx.maxPriorityFeePerGas,
    v: tx.v,
    r,
    s,
    accessList: tx.accessList,
  };
}

/**
 * A transaction as a block carries it: a user transaction (as decodeTransaction) or a deposit
 * (type 0x7e), which only blocks may hold. Throws TxDecodeError on hostile input.
 */
export function decodeBlockTransaction(raw: Bytes, expectedChainId: bigint, sender?: Address): SignedTx {
  if (raw instanceof Uint8Array && raw[0] === DEPOSIT_TX_TYPE) return depositToSignedTx(raw, decodeDepositTx(raw), expectedChainId, MODULE_ADDRESSES.bridge);
  return decodeTransaction(raw, expectedChainId, sender);
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
