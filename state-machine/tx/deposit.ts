// Deposit transactions: how an L1 deposit enters an L2 block. Only the sequencer (from the Portal's
// confirmed Deposit events) puts them in a block, always before the block's user transactions; they
// carry no signature, pay no gas, and the pool refuses them (decodeTransaction rejects type 0x7e).
// The Portal numbers deposits 0, 1, 2, …: a block may only include the next unused nonces, which
// makes every deposit credited exactly once, in L1 order.
//   raw = 0x7e ‖ rlp([nonce, from, to, token, amount, l1BlockNumber, l1BlockHash, l1TxHash, logIndex])
//   hash = keccak256(raw)
import { RLP } from '@ethereumjs/rlp';
import { bigIntToUnpaddedBytes } from '@ethereumjs/util';
import { UINT256_MAX } from '../errors.ts';
import { bytesToHex, bytesToUint, concatBytes, hexToBytes, keccak256, type Bytes, type Hex } from '../crypto/hash.ts';
import type { SignedTx } from '../chain/types.ts';
import type { Address } from '../types.ts';
import { TxDecodeError } from './errors.ts';

export const DEPOSIT_TX_TYPE = 0x7e;
/** Deposits name the L1 token; ETH is the zero address (as in the Portal). */
export const ETH_TOKEN: Address = '0x0000000000000000000000000000000000000000';

export interface Deposit {
  nonce: bigint;
  /** the L1 sender */
  from: Address;
  /** the L2 recipient */
  to: Address;
  /** the L1 token, ETH_TOKEN for ETH */
  token: Address;
  amount: bigint;
  l1BlockNumber: bigint;
  l1BlockHash: Hex;
  l1TxHash: Hex;
  logIndex: bigint;
}

const FIELDS = 9;

export function encodeDepositTx(d: Deposit): Bytes {
  const body = RLP.encode([
    bigIntToUnpaddedBytes(d.nonce),
    hexToBytes(d.from),
    hexToBytes(d.to),
    hexToBytes(d.token),
    bigIntToUnpaddedBytes(d.amount),
    bigIntToUnpaddedBytes(d.l1BlockNumber),
    hexToBytes(d.l1BlockHash),
    hexToBytes(d.l1TxHash),
    bigIntToUnpaddedBytes(d.logIndex),
  ]);
  return concatBytes(new Uint8Array([DEPOSIT_TX_TYPE]), body);
}

function malformed(why: string): TxDecodeError {
  return new TxDecodeError('TX_MALFORMED', `malformed deposit transaction: ${why}`);
}

function uint(b: unknown, max: bigint, what: string): bigint {
  if (!(b instanceof Uint8Array) || b.length > 32) throw malformed(what);
  if (b.length > 0 && b[0] === 0) throw malformed(`${what} has a leading zero`);
  const v = b.length === 0 ? 0n : bytesToUint(b);
  if (v > max) throw malformed(what);
  return v;
}

function fixed(b: unknown, len: number, what: string): Hex {
  if (!(b instanceof Uint8Array) || b.length !== len) throw malformed(what);
  return bytesToHex(b);
}

/** Throws TxDecodeError (never anything else) on bytes that are not a canonical deposit. */
export function decodeDepositTx(raw: Bytes): Deposit {
  if (!(raw instanceof Uint8Array) || raw.length < 2 || raw[0] !== DEPOSIT_TX_TYPE) throw malformed('not a deposit');
  let items: unknown;
  try {
    items = RLP.decode(raw.subarray(1));
  } catch {
    throw malformed('bad RLP');
  }
  if (!Array.isArray(items) || items.length !== FIELDS) throw malformed(`want ${FIELDS} fields`);
  const U64 = (1n << 64n) - 1n;
  const d: Deposit = {
    nonce: uint(items[0], UINT256_MAX, 'nonce'),
    from: fixed(items[1], 20, 'from') as Address,
    to: fixed(items[2], 20, 'to') as Address,
    token: fixed(items[3], 20, 'token') as Address,
    amount: uint(items[4], UINT256_MAX, 'amount'),
    l1BlockNumber: uint(items[5], U64, 'l1BlockNumber'),
    l1BlockHash: fixed(items[6], 32, 'l1BlockHash'),
    l1TxHash: fixed(items[7], 32, 'l1TxHash'),
    logIndex: uint(items[8], U64, 'logIndex'),
  };
  // one deposit, one encoding: the hash is the identity
  const again = encodeDepositTx(d);
  if (again.length !== raw.length || !again.every((x, i) => x === raw[i])) throw malformed('not canonical');
  return d;
}

/**
 * A deposit in the shape blocks and the RPC carry transactions: no signature, no gas, no fee;
 * `from` is the L1 sender, `to` the bridge module, `nonce` the deposit nonce.
 */
export function depositToSignedTx(raw: Bytes, d: Deposit, chainId: bigint, bridge: Address): SignedTx {
  return {
    hash: bytesToHex(keccak256(raw)),
    raw,
    type: DEPOSIT_TX_TYPE,
    chainId,
    nonce: d.nonce,
    from: d.from,
    to: bridge,
    value: 0n,
    data: raw.subarray(1),
    gasLimit: 0n,
    maxFeePerGas: 0n,
    maxPriorityFeePerGas: 0n,
    v: 0n,
    r: 0n,
    s: 0n,
    deposit: d,
  };
}
