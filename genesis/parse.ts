// Genesis JSON ⇄ Genesis. Amounts are JSON strings (decimal or 0x hex) or safe integers; every error
// is a ValidationError naming the offending field as a dotted path.
import { ValidationError, UINT256_MAX } from '../state-machine/errors.ts';
import type { Address } from '../state-machine/chain/types.ts';
import { MODULE_ADDRESSES } from '../state-machine/modules/addresses.ts';
import type { Genesis } from './schema.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;
const DEC_RE = /^(0|[1-9][0-9]*)$/;
const HEX_RE = /^0x[0-9a-fA-F]+$/;
/** Chain ids must fit the EIP-155 v arithmetic of common tooling. */
const MAX_CHAIN_ID = (1n << 53n) - 1n;
const MAX_U64 = (1n << 64n) - 1n;
const MODULE_ADDRESS_SET = new Set<string>(Object.values(MODULE_ADDRESSES));

function obj(v: Json | undefined, field: string): JsonObject {
  if (v === null || v === undefined || typeof v !== 'object' || Array.isArray(v)) {
    throw new ValidationError(field, 'must be an object');
  }
  return v;
}

function bigintField(v: Json | undefined, field: string, min = 0n, max = UINT256_MAX): bigint {
  let n: bigint;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new ValidationError(field, 'must be an integer (use a string for large values)');
    n = BigInt(v);
  } else if (typeof v === 'string' && (DEC_RE.test(v) || HEX_RE.test(v))) {
    n = BigInt(v);
  } else {
    throw new ValidationError(field, 'must be a non-negative integer: a decimal or 0x-hex string');
  }
  if (n < min) throw new ValidationError(field, `must be at least ${min}`);
  if (n > max) throw new ValidationError(field, `must be at most ${max}`);
  return n;
}

function addressField(v: Json | undefined, field: string): Address {
  if (typeof v !== 'string' || !ADDRESS_RE.test(v)) throw new ValidationError(field, 'must be a 0x-prefixed 20-byte hex address');
  return v.toLowerCase() as Address;
}

function knownKeys(o: JsonObject, field: string, keys: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (!keys.includes(k)) throw new ValidationError(field ? `${field}.${k}` : k, 'unknown field');
  }
}

/** Validates a parsed JSON value (or a JSON string) and returns the typed genesis. */
export function parseGenesis(input: string | unknown): Genesis {
  let root: Json;
  if (typeof input === 'string') {
    try {
      root = JSON.parse(input) as Json;
    } catch (e) {
      throw new ValidationError('(root)', `not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
  } else {
    root = input as Json;
  }
  const g = obj(root, '(root)');
  knownKeys(g, '', ['note', 'chainId', 'timestamp', 'gasLimit', 'baseFee', 'blockIntervalMs', 'sequencer', 'modules', 'alloc']);
  if (g.note !== undefined && typeof g.note !== 'string') throw new ValidationError('note', 'must be a string');

  const chainId = bigintField(g.chainId, 'chainId', 1n, MAX_CHAIN_ID);
  const timestamp = bigintField(g.timestamp, 'timestamp', 0n, MAX_U64);
  const gasLimit = bigintField(g.gasLimit, 'gasLimit', 21_000n, MAX_U64);

  const bf = obj(g.baseFee, 'baseFee');
  knownKeys(bf, 'baseFee', ['initial', 'elasticityMultiplier', 'changeDenominator', 'min']);
  const baseFee = {
    initial: bigintField(bf.initial, 'baseFee.initial'),
    elasticityMultiplier: bigintField(bf.elasticityMultiplier, 'baseFee.elasticityMultiplier', 1n, 1_000n),
    changeDenominator: bigintField(bf.changeDenominator, 'baseFee.changeDenominator', 1n, 1_000_000n),
    min: bigintField(bf.min, 'baseFee.min'),
  };
  if (baseFee.initial < baseFee.min) throw new ValidationError('baseFee.initial', 'must be at least baseFee.min');
  if (gasLimit / baseFee.elasticityMultiplier === 0n) {
    throw new ValidationError('baseFee.elasticityMultiplier', 'leaves a zero gas target for gasLimit');
  }

  const interval = g.blockIntervalMs;
  if (typeof interval !== 'number' || !Number.isSafeInteger(interval) || interval < 1 || interval > 3_600_000) {
    throw new ValidationError('blockIntervalMs', 'must be an integer number of milliseconds in 1..3600000');
  }
  const sequencer = addressField(g.sequencer, 'sequencer');

  const mods = obj(g.modules, 'modules');
  knownKeys(mods, 'modules', ['accounts', 'stake']);
  const acc = obj(mods.accounts, 'modules.accounts');
  knownKeys(acc, 'modules.accounts', ['feeVault']);
  const st = obj(mods.stake, 'modules.stake');
  knownKeys(st, 'modules.stake', ['unbondingPeriodBlocks', 'minBond']);
  const feeVault = addressField(acc.feeVault, 'modules.accounts.feeVault');
  if (MODULE_ADDRESS_SET.has(feeVault)) throw new ValidationError('modules.accounts.feeVault', 'must not be a module address');
  const modules = {
    accounts: { feeVault },
    stake: {
      unbondingPeriodBlocks: bigintField(st.unbondingPeriodBlocks, 'modules.stake.unbondingPeriodBlocks', 1n, MAX_U64),
      minBond: bigintField(st.minBond, 'modules.stake.minBond'),
    },
  };

  const allocJson = obj(g.alloc, 'alloc');
  const alloc: Record<Address, bigint> = {};
  let supply = 0n;
  for (const [k, v] of Object.entries(allocJson)) {
    const field = `alloc.${k}`;
    const a = addressField(k, field);
    if (a in alloc) throw new ValidationError(field, 'duplicate address (addresses are case-insensitive)');
    if (MODULE_ADDRESS_SET.has(a)) throw new ValidationError(field, 'module addresses cannot hold genesis allocations');
    const amount = bigintField(v, field);
    supply += amount;
    if (supply > UINT256_MAX) throw new ValidationError(field, 'total allocation exceeds 2^256-1');
    alloc[a] = amount;
  }

  const out: Genesis = { chainId, timestamp, gasLimit, baseFee, blockIntervalMs: interval, sequencer, modules, alloc };
  if (typeof g.note === 'string') out.note = g.note;
  return out;
}

function dec(n: bigint): string {
  return n.toString(10);
}

/** Canonical JSON form (amounts as decimal strings), readable back by parseGenesis. */
export function genesisToJson(g: Genesis): string {
  const alloc: Record<string, string> = {};
  for (const a of Object.keys(g.alloc).sort()) alloc[a] = dec(g.alloc[a as Address]);
  const body = {
    ...(g.note !== undefined ? { note: g.note } : {}),
    chainId: dec(g.chainId),
    timestamp: dec(g.timestamp),
    gasLimit: dec(g.gasLimit),
    baseFee: {
      initial: dec(g.baseFee.initial),
      elasticityMultiplier: dec(g.baseFee.elasticityMultiplier),
      changeDenominator: dec(g.baseFee.changeDenominator),
      min: dec(g.baseFee.min),
    },
    blockIntervalMs: g.blockIntervalMs,
    sequencer: g.sequencer,
    modules: {
      accounts: { feeVault: g.modules.accounts.feeVault },
      stake: {
        unbondingPeriodBlocks: dec(g.modules.stake.unbondingPeriodBlocks),
        minBond: dec(g.modules.stake.minBond),
      },
    },
    alloc,
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}
