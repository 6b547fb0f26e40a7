// Strict parser of the two accepted transaction envelopes straight from their RLP, with the signing
// hash. It replaces @ethereumjs/tx on the ingest hot path: the library copies its `Common` and
// re-merges its parameter tables for every transaction (~40 µs), and re-encodes the fields to hash
// them. Every rule of the library that can reject an EIP-1559 or EIP-155 legacy tx is kept, and the
// encoding must be canonical (one tx, one hash). Stricter than the library (as geth): a chain id with
// a leading zero byte, an access list that is a byte string or has a list for a storage key, and
// r, s outside [1, n) or a high s, for both envelopes. parse.test.ts checks it against @ethereumjs/tx.
//   type 2: 0x02 ‖ rlp([chainId, nonce, maxPriorityFee, maxFee, gasLimit, to, value, data, accessList, yParity, r, s])
//   legacy: rlp([nonce, gasPrice, gasLimit, to, value, data, v, r, s]), v = 35 + 2·chainId + recid
import { RLP } from '@ethereumjs/rlp';
import { SECP256K1_ORDER, SECP256K1_ORDER_DIV_2 } from '@ethereumjs/util';
import { UINT256_MAX } from '../errors.ts';
import { bytesToHex, concatBytes, keccak256, type Bytes } from '../crypto/hash.ts';
import type { AccessListItem } from '../chain/types.ts';
import { TxDecodeError } from './errors.ts';

export interface ParsedTx {
  type: 0 | 2;
  /** the chain id the tx names (type 2), or the one its v encodes (legacy) */
  chainId: bigint;
  nonce: bigint;
  /** gasPrice for legacy */
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  gasLimit: bigint;
  /** 20 bytes; null for contract creation */
  to: Bytes | null;
  value: bigint;
  data: Bytes;
  accessList: AccessListItem[];
  v: bigint;
  r: bigint;
  s: bigint;
  /** 0 or 1 */
  recid: number;
  /** keccak256 of the signed payload (EIP-155 form for legacy) */
  signingHash: Bytes;
}

type RlpItem = Uint8Array | RlpItem[];

const malformed = (why: string): TxDecodeError => new TxDecodeError('TX_MALFORMED', `malformed transaction: ${why}`);
const wrongChain = (): TxDecodeError => new TxDecodeError('TX_WRONG_CHAIN', 'invalid chain id for signer');
const badSignature = (): TxDecodeError => new TxDecodeError('TX_BAD_SIGNATURE', 'invalid transaction v, r, s values');

function bytesField(item: RlpItem | undefined, name: string): Uint8Array {
  if (!(item instanceof Uint8Array)) throw malformed(`${name} is not a byte string`);
  return item;
}

/** A canonical unsigned integer of at most `maxBytes` bytes (no leading zero byte). */
function uint(item: RlpItem | undefined, name: string, maxBytes = 32): bigint {
  const b = bytesField(item, name);
  if (b.length === 0) return 0n;
  if (b[0] === 0) throw malformed(`${name} has leading zeroes`);
  if (b.length > maxBytes) throw malformed(`${name} exceeds ${maxBytes} bytes`);
  if (b.length <= 6) {
    let n = 0;
    for (const x of b) n = n * 256 + x;
    return BigInt(n);
  }
  return BigInt(`0x${Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex')}`);
}

function toField(item: RlpItem | undefined): Bytes | null {
  const b = bytesField(item, 'to');
  if (b.length === 0) return null;
  if (b.length !== 20) throw malformed('invalid address length');
  return b;
}

function accessListField(item: RlpItem | undefined): AccessListItem[] {
  if (!Array.isArray(item)) throw malformed('access list is not a list');
  return item.map((entry) => {
    if (!Array.isArray(entry) || entry.length !== 2) throw malformed('access list entry is not [address, keys]');
    const [address, keys] = entry;
    if (!(address instanceof Uint8Array) || address.length !== 20) throw malformed('invalid access list address');
    if (!Array.isArray(keys)) throw malformed('access list keys are not a list');
    return {
      address: bytesToHex(address),
      storageKeys: keys.map((k) => {
        if (!(k instanceof Uint8Array) || k.length !== 32) throw malformed('invalid access list storage key');
        return bytesToHex(k);
      }),
    };
  });
}

function decodeList(bytes: Uint8Array): RlpItem[] {
  let items: RlpItem;
  try {
    items = RLP.decode(bytes) as RlpItem;
  } catch (e) {
    throw malformed(e instanceof Error ? e.message.split('\n')[0].slice(0, 200) : 'invalid RLP');
  }
  if (!Array.isArray(items)) throw malformed('not an RLP list');
  return items;
}

/** Fee and signature rules shared by both envelopes. */
function checkCommon(p: Omit<ParsedTx, 'signingHash'>): void {
  // low-s only (EIP-2): the other s of a signature would give the same tx a second hash
  if (p.r === 0n || p.s === 0n || p.r >= SECP256K1_ORDER || p.s > SECP256K1_ORDER_DIV_2) throw badSignature();
  if (p.gasLimit * p.maxFeePerGas > UINT256_MAX) throw malformed('gasLimit * maxFeePerGas cannot exceed MAX_INTEGER (2^256-1)');
  if (p.maxFeePerGas < p.maxPriorityFeePerGas) throw malformed('maxFeePerGas cannot be less than maxPriorityFeePerGas');
  if (p.nonce === (1n << 64n) - 1n) throw malformed('nonce has max value');
}

function parse1559(raw: Bytes, expectedChainId: bigint): ParsedTx {
  const f = decodeList(raw.subarray(1));
  if (f.length === 9) throw badSignature(); // unsigned
  if (f.length !== 12) throw malformed('an EIP-1559 transaction has 12 fields');
  const chainId = uint(f[0], 'chainId');
  const p = {
    type: 2 as const,
    chainId,
    nonce: uint(f[1], 'nonce', 8),
    maxPriorityFeePerGas: uint(f[2], 'maxPriorityFeePerGas'),
    maxFeePerGas: uint(f[3], 'maxFeePerGas'),
    gasLimit: uint(f[4], 'gasLimit', 8),
    to: toField(f[5]),
    value: uint(f[6], 'value'),
    data: bytesField(f[7], 'data'),
    accessList: accessListField(f[8]),
    v: uint(f[9], 'yParity'),
    r: uint(f[10], 'r'),
    s: uint(f[11], 's'),
    recid: 0,
  };
  if ((f[10] as Uint8Array).length === 0 || (f[11] as Uint8Array).length === 0) throw badSignature();
  if (chainId !== expectedChainId) throw wrongChain();
  if (p.v !== 0n && p.v !== 1n) throw malformed('the y-parity of the transaction should either be 0 or 1');
  p.recid = Number(p.v);
  checkCommon(p);
  const signingHash = keccak256(concatBytes(new Uint8Array([2]), RLP.encode(f.slice(0, 9))));
  return { ...p, signingHash };
}

function parseLegacy(raw: Bytes, expectedChainId: bigint): ParsedTx {
  const f = decodeList(raw);
  if (f.length === 6) throw badSignature(); // unsigned
  if (f.length !== 9) throw malformed('a legacy transaction has 9 fields');
  const gasPrice = uint(f[1], 'gasPrice');
  const p = {
    type: 0 as const,
    chainId: expectedChainId,
    nonce: uint(f[0], 'nonce', 8),
    maxFeePerGas: gasPrice,
    maxPriorityFeePerGas: gasPrice,
    gasLimit: uint(f[2], 'gasLimit', 8),
    to: toField(f[3]),
    value: uint(f[4], 'value'),
    data: bytesField(f[5], 'data'),
    accessList: [],
    v: uint(f[6], 'v'),
    r: uint(f[7], 'r'),
    s: uint(f[8], 's'),
    recid: 0,
  };
  if ((f[6] as Uint8Array).length === 0 || (f[7] as Uint8Array).length === 0 || (f[8] as Uint8Array).length === 0) throw badSignature();
  if (p.v === 27n || p.v === 28n) {
    throw new TxDecodeError('TX_UNPROTECTED', 'only replay-protected (EIP-155) transactions allowed over RPC');
  }
  const recid = p.v - 35n - 2n * expectedChainId;
  if (recid !== 0n && recid !== 1n) throw wrongChain();
  p.recid = Number(recid);
  checkCommon(p);
  const chainIdBytes = expectedChainId === 0n ? new Uint8Array(0) : new Uint8Array(Buffer.from(evenHex(expectedChainId), 'hex'));
  const empty = new Uint8Array(0);
  const signingHash = keccak256(RLP.encode([...f.slice(0, 6), chainIdBytes, empty, empty]));
  return { ...p, signingHash };
}

function evenHex(n: bigint): string {
  const h = n.toString(16);
  return h.length % 2 === 0 ? h : `0${h}`;
}

/**
 * Parses and checks a raw EIP-1559 or EIP-155 legacy transaction for `expectedChainId`, signature
 * ranges included (recovering the sender is the caller's). Throws TxDecodeError only.
 */
export function parseTransaction(raw: Bytes, expectedChainId: bigint): ParsedTx {
  return raw[0] === 0x02 ? parse1559(raw, expectedChainId) : parseLegacy(raw, expectedChainId);
}
