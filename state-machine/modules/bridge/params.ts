// Genesis parameters of the bridge module: the rollup's configuration on L1. A node that derives
// the chain from L1 alone reads everything it needs here (chain id, contracts, start block).
// portal = the zero address means the chain has no L1 bridge (deposits are then never valid).
import { ValidationError } from '../../errors.ts';
import type { ParamsCodec } from '../../params/codec.ts';
import { MAX_U64, addressField, bigintField, knownKeys, objectField, type JsonObject } from '../../params/fields.ts';
import type { Address } from '../../types.ts';

export interface BridgeParams {
  l1ChainId: bigint;
  /** L1 Portal (deposits, withdrawals), OutputOracle (output roots), BatchInbox (batches) */
  portal: Address;
  outputOracle: Address;
  batchInbox: Address;
  /** first L1 block to scan for deposits and batches (the contracts' deployment block) */
  l1StartBlock: bigint;
  /** L1 confirmations before a deposit is credited */
  confirmations: bigint;
  /** deposits one L2 block may include */
  maxDepositsPerBlock: bigint;
  /** an L2 block's timestamp may run at most this far ahead of its L1 origin's */
  maxSequencerDriftSeconds: bigint;
  /** the proposer posts an output root every this many L2 blocks */
  outputIntervalBlocks: bigint;
  /** the OutputOracle's finalization window, seconds (informational: L1 enforces its own) */
  finalizationWindowSeconds: bigint;
}

const ZERO: Address = '0x0000000000000000000000000000000000000000';
const ADDRESSES = ['portal', 'outputOracle', 'batchInbox'] as const;
const NUMBERS = ['l1ChainId', 'l1StartBlock', 'confirmations', 'maxDepositsPerBlock', 'maxSequencerDriftSeconds', 'outputIntervalBlocks', 'finalizationWindowSeconds'] as const;
const KEYS = [...NUMBERS.slice(0, 1), ...ADDRESSES, ...NUMBERS.slice(1)];

export function bridgeEnabled(p: BridgeParams): boolean {
  return p.portal !== ZERO;
}

export const bridgeParams: ParamsCodec<BridgeParams> = {
  defaults: () => ({
    l1ChainId: 0n,
    portal: ZERO,
    outputOracle: ZERO,
    batchInbox: ZERO,
    l1StartBlock: 0n,
    confirmations: 1n,
    maxDepositsPerBlock: 64n,
    maxSequencerDriftSeconds: 600n,
    outputIntervalBlocks: 20n,
    finalizationWindowSeconds: 604_800n,
  }),
  parse(v, field) {
    if (v === undefined) return this.defaults();
    const o = objectField(v, field);
    knownKeys(o, field, KEYS);
    const d = this.defaults();
    const p = { ...d };
    for (const k of ADDRESSES) if (o[k] !== undefined) p[k] = addressField(o[k], `${field}.${k}`);
    for (const k of NUMBERS) if (o[k] !== undefined) p[k] = bigintField(o[k], `${field}.${k}`, 0n, MAX_U64);
    if (p.maxDepositsPerBlock < 1n || p.maxDepositsPerBlock > 1024n) throw new ValidationError(`${field}.maxDepositsPerBlock`, 'must be in 1..1024');
    if (p.outputIntervalBlocks < 1n) throw new ValidationError(`${field}.outputIntervalBlocks`, 'must be at least 1');
    if (bridgeEnabled(p) && p.l1ChainId === 0n) throw new ValidationError(`${field}.l1ChainId`, 'must be set when a portal is');
    return p;
  },
  toJson(p): JsonObject {
    const o: JsonObject = {};
    for (const k of KEYS) o[k] = typeof p[k] === 'bigint' ? p[k].toString() : p[k];
    return o;
  },
};
