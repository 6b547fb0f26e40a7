// ChainState: the whole deterministic state of the chain (one StateStore) plus the genesis it grew
// from and the modules that act on it.
import type { Genesis } from '../genesis.ts';
import { equalBytes, type Bytes, type Hex } from '../crypto/hash.ts';
import { readWord } from '../store/words.ts';
import { VerityError } from '../errors.ts';
import { getAccount, getTotalSupply } from '../modules/accounts/ledger.ts';
import { ACCOUNT_KEY_PREFIX, SUPPLY_KEY } from '../modules/accounts/keys.ts';
import { MODULE_CODE } from '../modules/addresses.ts';
import { MODULES } from '../app.ts';
import { ModuleRegistry, type BlockEnv } from '../modules/framework.ts';
import { RevertError } from '../modules/revert.ts';
import type { StateProof } from '../store/proof.ts';
import { StateStore } from '../store/store.ts';
import { SupplyInvariantError } from './errors.ts';
import { runMessage, type ExecutionState, type MessageResult } from './execute.ts';
import type { CallMsg, CallResult } from './types.ts';
import type { Address } from '../types.ts';

export { MODULES };
const registry = new ModuleRegistry(MODULES);

function hasPrefix(key: Bytes, prefix: Bytes): boolean {
  if (key.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false;
  return true;
}

/** The environment genesis hooks run in (block 0). */
export function genesisEnv(g: Genesis): BlockEnv {
  return { number: 0n, timestamp: g.timestamp, baseFee: g.baseFee.initial, gasLimit: g.gasLimit, sequencer: g.sequencer, parentHash: ZERO_HASH_HEX };
}

const ZERO_HASH_HEX: Hex = `0x${'00'.repeat(32)}`;

export const ZERO_ADDRESS: Address = '0x0000000000000000000000000000000000000000';

/** eth_estimateGas when the allowance is too small for the call. */
export class GasAllowanceError extends VerityError {
  constructor(allowance: bigint) {
    super('GAS_ALLOWANCE_EXCEEDED', `gas required exceeds allowance (${allowance})`);
  }
}

function norm(a: string): Address {
  return a.toLowerCase() as Address;
}

export class ChainState implements ExecutionState {
  readonly genesis: Genesis;
  readonly store: StateStore;
  readonly registry: ModuleRegistry = registry;
  /** When true, every block checks the supply invariant at its end (tests and debug nodes). */
  assertSupply = false;

  private constructor(genesis: Genesis, store: StateStore) {
    this.genesis = genesis;
    this.store = store;
  }

  /** The state after genesis: allocations credited, every module's genesis hook run. */
  static fromGenesis(g: Genesis): ChainState {
    const s = new ChainState(g, new StateStore());
    const env = genesisEnv(g);
    for (const m of MODULES) m.initGenesis?.({ store: s.store, genesis: g, env });
    return s;
  }

  /** Restores a state from snapshot() bytes; the caller checks root() against a known header. */
  static fromSnapshot(bytes: Uint8Array, g: Genesis): ChainState {
    return new ChainState(g, StateStore.fromSnapshot(bytes));
  }

  snapshot(): Uint8Array {
    return this.store.snapshot();
  }

  root(): Hex {
    return this.store.rootHex();
  }

  getBalance(address: Address): bigint {
    return getAccount(this.store, norm(address)).balance;
  }

  getNonce(address: Address): bigint {
    return getAccount(this.store, norm(address)).nonce;
  }

  /** 0xfe (INVALID) for module addresses, 0x for everything else. */
  getCode(address: Address): Hex {
    return this.registry.isModule(norm(address)) ? MODULE_CODE : '0x';
  }

  totalSupply(): bigint {
    return getTotalSupply(this.store);
  }

  /** Runs `msg` as eth_call does (no nonce, no fee) and undoes every change. */
  call(msg: CallMsg, env: BlockEnv): CallResult {
    const r = this.simulate(msg, env);
    const out: CallResult = { status: r.status, returnData: r.returnData, gasUsed: r.gasUsed, logs: r.logs };
    if (r.revertReason !== undefined) out.revertReason = r.revertReason;
    return out;
  }

  /** Gas a transaction needs for `msg`; throws RevertError (with revert data) when it would fail. */
  estimateGas(msg: CallMsg, env: BlockEnv): bigint {
    const r = this.simulate(msg, env);
    if (r.outOfGas) throw new GasAllowanceError(msg.gas ?? env.gasLimit);
    if (r.status === 0) throw new RevertError(r.revertReason ?? 'execution reverted', r.revertData);
    return r.gasUsed;
  }

  private simulate(msg: CallMsg, env: BlockEnv): MessageResult {
    this.store.checkpoint();
    try {
      return runMessage(
        this,
        {
          from: norm(msg.from ?? ZERO_ADDRESS),
          to: msg.to === null ? null : norm(msg.to),
          value: msg.value ?? 0n,
          data: msg.data ?? new Uint8Array(0),
          gas: msg.gas ?? env.gasLimit,
        },
        env,
      );
    } finally {
      this.store.revert();
    }
  }

  /** Inclusion/exclusion proof of a raw state key against root(). */
  prove(key: Bytes): StateProof {
    return this.store.prove(key);
  }

  /** Independent copy sharing the immutable tree nodes. */
  clone(): ChainState {
    const c = new ChainState(this.genesis, this.store.clone());
    c.assertSupply = this.assertSupply;
    return c;
  }

  /**
   * Always on, O(keys touched): since the block's checkpoint, the balances that changed must change by
   * exactly what the total supply changed by (zero until the bridge mints or burns). Value moves only
   * between accounts (fees to the vault, stake held by the stake module's account), so a mismatch is a
   * bug that must stop the block, never a root.
   */
  checkSupplyChange(): void {
    let balances = 0n;
    let supply = 0n;
    const balance = (v: Bytes | undefined): bigint => (v === undefined ? 0n : readWord(v, 1));
    const word0 = (v: Bytes | undefined): bigint => (v === undefined ? 0n : readWord(v, 0));
    for (const c of this.store.changesSinceCheckpoint()) {
      if (hasPrefix(c.key, ACCOUNT_KEY_PREFIX)) balances += balance(c.after) - balance(c.before);
      else if (equalBytes(c.key, SUPPLY_KEY)) supply += word0(c.after) - word0(c.before);
    }
    if (balances !== supply) {
      throw new SupplyInvariantError(`balances changed by ${balances} in this block, total supply by ${supply}`, { balances, supply });
    }
  }

  /**
   * Throws SupplyInvariantError unless the balances of all accounts sum to the total supply and every
   * module's own invariants hold (e.g. the stake account holds exactly what stakers are owed).
   */
  checkSupply(env?: BlockEnv): void {
    let sum = 0n;
    for (const [, v] of this.store.entriesWithPrefix(ACCOUNT_KEY_PREFIX)) sum += readWord(v, 1);
    const supply = this.totalSupply();
    if (sum !== supply) throw new SupplyInvariantError(`balances sum to ${sum}, total supply is ${supply}`, { sum, supply });
    const g = this.genesis;
    const hook = { store: this.store, genesis: g, env: env ?? genesisEnv(g) };
    for (const m of this.registry.modules) m.checkInvariants?.(hook);
  }
}
