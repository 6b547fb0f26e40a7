// Parameter schemas: one small parser per Ethereum JSON type. A parser either returns the typed
// value or throws a -32602 error whose message names the argument ("invalid argument 1 (block):
// ..."), the way geth reports bad params.
import type { Bytes, Hex } from '../state-machine/crypto/hash.ts';
import type { Address } from '../state-machine/types.ts';
import type { BlockTag, LogFilter } from './backend.ts';
import { invalidParams } from './errors.ts';

/** `where` names the value for error messages, e.g. "argument 0 (address)". */
export type Parser<T> = (value: unknown, where: string) => T;

const MAX_UINT256 = (1n << 256n) - 1n;
const QUANTITY_RE = /^0x[0-9a-fA-F]{1,64}$/;
const ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;
const HASH_RE = /^0x[0-9a-fA-F]{64}$/;

function fail(where: string, message: string): never {
  throw invalidParams(`invalid ${where}: ${message}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string') return `"${value.length > 24 ? `${value.slice(0, 24)}…` : value}"`;
  return typeof value;
}

/** Hex quantity up to 256 bits ("0x0", "0x1a"); leading zeros are tolerated on input. */
export const quantity: Parser<bigint> = (v, where) => {
  if (typeof v !== 'string' || !QUANTITY_RE.test(v)) fail(where, `want a hex quantity like "0x1a", got ${describe(v)}`);
  const n = BigInt(v);
  if (n > MAX_UINT256) fail(where, 'quantity exceeds 256 bits');
  return n;
};

/** A hex quantity or a JSON number, as geth accepts for counts (feeHistory blockCount). */
export function count(max: number): Parser<number> {
  return (v, where) => {
    let n: number;
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) fail(where, `want an integer, got ${v}`);
      n = v;
    } else {
      const q = quantity(v, where);
      if (q > BigInt(Number.MAX_SAFE_INTEGER)) fail(where, 'number too large');
      n = Number(q);
    }
    if (n < 0 || n > max) fail(where, `must be between 0 and ${max}, got ${n}`);
    return n;
  };
}

export const data: Parser<Bytes> = (v, where) => {
  // One pass over the (possibly 256 KiB) string, no regex: Buffer's hex decoder stops at the first
  // pair that is not hex, so a short result means bad input. Copied out of Buffer's shared pool so
  // a worker message carries only these bytes.
  if (typeof v === 'string' && v.length % 2 === 0 && v.startsWith('0x')) {
    const b = Buffer.from(v.slice(2), 'hex');
    if (2 * b.length === v.length - 2) return new Uint8Array(b);
  }
  return fail(where, `want 0x-prefixed hex data of even length, got ${describe(v)}`);
};

export const address: Parser<Address> = (v, where) => {
  if (typeof v !== 'string' || !ADDRESS_RE.test(v)) fail(where, `want a 20-byte hex address, got ${describe(v)}`);
  return v.toLowerCase() as Address;
};

export const hash: Parser<Hex> = (v, where) => {
  if (typeof v !== 'string' || !HASH_RE.test(v)) fail(where, `want a 32-byte hex hash, got ${describe(v)}`);
  return v.toLowerCase() as Hex;
};

export const bool: Parser<boolean> = (v, where) => {
  if (typeof v !== 'boolean') fail(where, `want true or false, got ${describe(v)}`);
  return v;
};

const TAGS = new Set(['latest', 'pending', 'earliest', 'safe', 'finalized']);

export const blockTag: Parser<BlockTag> = (v, where) => {
  if (typeof v === 'string' && TAGS.has(v)) return v as BlockTag;
  if (typeof v === 'string' && QUANTITY_RE.test(v)) return quantity(v, where);
  return fail(where, `want a block number or "latest" | "pending" | "earliest" | "safe" | "finalized", got ${describe(v)}`);
};

/** Block tag, or an EIP-1898 object {blockNumber} | {blockHash, requireCanonical?}. */
export type BlockRef = BlockTag | { blockHash: Hex };

export const blockRef: Parser<BlockRef> = (v, where) => {
  if (isRecord(v)) {
    if (v.blockHash !== undefined) {
      if (v.blockNumber !== undefined) fail(where, 'give blockHash or blockNumber, not both');
      return { blockHash: hash(v.blockHash, `${where}.blockHash`) };
    }
    if (v.blockNumber !== undefined) return blockTag(v.blockNumber, `${where}.blockNumber`);
    fail(where, 'want {blockNumber} or {blockHash}');
  }
  return blockTag(v, where);
};

export function optional<T>(p: Parser<T>, fallback: T): Parser<T> {
  return (v, where) => (v === undefined || v === null ? fallback : p(v, where));
}

export function arrayOf<T>(p: Parser<T>, maxLength: number): Parser<T[]> {
  return (v, where) => {
    if (!Array.isArray(v)) fail(where, `want an array, got ${describe(v)}`);
    if (v.length > maxLength) fail(where, `at most ${maxLength} entries`);
    return v.map((x, i) => p(x, `${where}[${i}]`));
  };
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function record(v: unknown, where: string): Record<string, unknown> {
  if (!isRecord(v)) fail(where, `want an object, got ${describe(v)}`);
  return v;
}

/** Fields of an eth_call / eth_estimateGas transaction object, as the backend's CallMsg needs them. */
export interface CallObject {
  from?: Address;
  to: Address | null;
  data?: Bytes;
  value?: bigint;
  gas?: bigint;
}

const CALL_FIELDS = new Set([
  'from', 'to', 'gas', 'gasPrice', 'maxFeePerGas', 'maxPriorityFeePerGas', 'value', 'data', 'input',
  'nonce', 'type', 'accessList', 'chainId',
]);

export const callObject: Parser<CallObject> = (v, where) => {
  const o = record(v, where);
  for (const k of Object.keys(o)) if (!CALL_FIELDS.has(k)) fail(`${where}.${k}`, 'unknown field');
  const out: CallObject = { to: o.to === undefined || o.to === null ? null : address(o.to, `${where}.to`) };
  if (o.from !== undefined && o.from !== null) out.from = address(o.from, `${where}.from`);
  if (o.gas !== undefined && o.gas !== null) out.gas = quantity(o.gas, `${where}.gas`);
  if (o.value !== undefined && o.value !== null) out.value = quantity(o.value, `${where}.value`);
  for (const k of ['gasPrice', 'maxFeePerGas', 'maxPriorityFeePerGas', 'nonce', 'type', 'chainId']) {
    if (o[k] !== undefined && o[k] !== null) quantity(o[k], `${where}.${k}`);
  }
  const input = o.input === undefined || o.input === null ? undefined : data(o.input, `${where}.input`);
  const dat = o.data === undefined || o.data === null ? undefined : data(o.data, `${where}.data`);
  if (input && dat && Buffer.compare(input, dat) !== 0) {
    fail(where, 'both "data" and "input" are set and not equal; use "input"');
  }
  const payload = input ?? dat;
  if (payload) out.data = payload;
  return out;
};

/** A filter before block tags are resolved against the head (the method does that). */
export interface FilterObject {
  fromBlock: BlockTag;
  toBlock: BlockTag;
  blockHash?: Hex;
  addresses: Address[];
  topics: LogFilter['topics'];
}

const FILTER_FIELDS = new Set(['fromBlock', 'toBlock', 'address', 'topics', 'blockHash']);

export const filterObject: Parser<FilterObject> = (v, where) => {
  const o = record(v, where);
  for (const k of Object.keys(o)) if (!FILTER_FIELDS.has(k)) fail(`${where}.${k}`, 'unknown field');
  const out: FilterObject = {
    fromBlock: optional(blockTag, 'latest')(o.fromBlock, `${where}.fromBlock`),
    toBlock: optional(blockTag, 'latest')(o.toBlock, `${where}.toBlock`),
    addresses: [],
    topics: [],
  };
  if (o.blockHash !== undefined && o.blockHash !== null) {
    if (o.fromBlock != null || o.toBlock != null) fail(where, 'blockHash excludes fromBlock and toBlock');
    out.blockHash = hash(o.blockHash, `${where}.blockHash`);
  }
  if (o.address !== undefined && o.address !== null) {
    out.addresses = Array.isArray(o.address)
      ? arrayOf(address, 1000)(o.address, `${where}.address`)
      : [address(o.address, `${where}.address`)];
  }
  if (o.topics !== undefined && o.topics !== null) {
    if (!Array.isArray(o.topics)) fail(`${where}.topics`, `want an array, got ${describe(o.topics)}`);
    if (o.topics.length > 4) fail(`${where}.topics`, 'at most 4 topic positions');
    out.topics = o.topics.map((t: unknown, i: number) => {
      const w = `${where}.topics[${i}]`;
      if (t === null) return null;
      if (Array.isArray(t)) return t.length === 0 ? null : arrayOf(hash, 1000)(t, w);
      return [hash(t, w)];
    });
  }
  return out;
};

const ID_RE = /^0x[0-9a-fA-F]{1,64}$/;

/** A filter or subscription id as this server issues them (hex, up to 32 bytes). */
export const filterId: Parser<Hex> = (v, where) => {
  if (typeof v !== 'string' || !ID_RE.test(v)) fail(where, `want a hex id, got ${describe(v)}`);
  return v.toLowerCase() as Hex;
};
