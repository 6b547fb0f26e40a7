// Genesis JSON ⇄ Genesis. Amounts are JSON strings (decimal or 0x hex) or safe integers; every error
// is a ValidationError naming the offending field as a dotted path.
import { MODULE_PARAMS } from '../state-machine/app.ts';
import { UINT256_MAX, ValidationError } from '../state-machine/errors.ts';
import { MODULE_ADDRESSES } from '../state-machine/modules/addresses.ts';
import {
  MAX_U64,
  addressField,
  amountsByAddress,
  amountsToJson,
  bigintField,
  dec,
  knownKeys,
  objectField as obj,
  type Json,
  type JsonObject,
} from '../state-machine/params/fields.ts';
import type { Genesis, ModuleParams } from './schema.ts';

/** Chain ids must fit the EIP-155 v arithmetic of common tooling. */
const MAX_CHAIN_ID = (1n << 53n) - 1n;
const MODULE_ADDRESS_SET = new Set<string>(Object.values(MODULE_ADDRESSES));
const MODULE_NAMES = Object.keys(MODULE_PARAMS) as (keyof ModuleParams)[];

function parseModules(v: Json | undefined): ModuleParams {
  const mods = obj(v, 'modules');
  knownKeys(mods, 'modules', MODULE_NAMES);
  const out: Partial<Record<keyof ModuleParams, unknown>> = {};
  for (const name of MODULE_NAMES) out[name] = MODULE_PARAMS[name].parse(mods[name], `modules.${name}`);
  return out as ModuleParams;
}

function moduleToJson<K extends keyof ModuleParams>(name: K, m: ModuleParams): JsonObject {
  return MODULE_PARAMS[name].toJson(m[name]);
}

function modulesToJson(m: ModuleParams): JsonObject {
  const out: JsonObject = {};
  for (const name of MODULE_NAMES) out[name] = moduleToJson(name, m);
  return out;
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

  const modules = parseModules(g.modules);

  const alloc = amountsByAddress(g.alloc, 'alloc', MODULE_ADDRESS_SET);
  let supply = 0n;
  for (const amount of Object.values(alloc)) supply += amount;
  for (const amount of Object.values(modules.stake.bonds)) supply += amount;
  if (supply > UINT256_MAX) throw new ValidationError('modules.stake.bonds', 'allocations and genesis bonds together exceed 2^256-1');

  const out: Genesis = { chainId, timestamp, gasLimit, baseFee, blockIntervalMs: interval, sequencer, modules, alloc };
  if (typeof g.note === 'string') out.note = g.note;
  return out;
}

/** Canonical JSON form (amounts as decimal strings), readable back by parseGenesis. */
export function genesisToJson(g: Genesis): string {
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
    modules: modulesToJson(g.modules),
    alloc: amountsToJson(g.alloc),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}
