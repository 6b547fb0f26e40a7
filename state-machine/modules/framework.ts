// The native-module framework. A module sits at a fixed address, publishes a Solidity interface and
// its ABI, and implements state-changing methods, views, events, begin/end-block hooks and genesis.
// Calls are dispatched by `to` address and 4-byte selector; every method has a fixed gas cost.
import { decodeAbiParameters, decodeFunctionData, toFunctionSelector, type Abi, type AbiFunction } from 'viem';
import type { Genesis } from '../genesis.ts';
import type { Address, Log } from '../types.ts';
import { bytesToHex, type Bytes, type Hex } from '../crypto/hash.ts';
import type { StateStore } from '../store/store.ts';
import { RevertError } from './revert.ts';

/** The block a call executes in. */
export interface BlockEnv {
  number: bigint;
  timestamp: bigint;
  baseFee: bigint;
  gasLimit: bigint;
  sequencer: Address;
  /** hash of the parent block (zero for genesis): the only randomness a block carries */
  parentHash: Hex;
}

/** What begin/end-block hooks and genesis see. */
export interface HookContext {
  store: StateStore;
  genesis: Genesis;
  env: BlockEnv;
}

/** What a method handler sees. msg.value has already moved from caller to the module's account. */
export interface CallContext extends HookContext {
  caller: Address;
  value: bigint;
  /** events emitted so far by this call; discarded if it reverts */
  logs: Log[];
  /**
   * Charges gas beyond the method's fixed cost, for work that grows with the input (a method's
   * fixed gas is charged before it runs). Throws OutOfGasError when the allowance is spent: the call
   * then fails and uses all its gas.
   */
  useGas(amount: bigint): void;
  /** gas still available to this call */
  gasLeft(): bigint;
  /**
   * Calls `to` as this module (msg.sender = this module's address), as an EVM CALL would: `value`
   * moves from this module's account; the callee's fixed method gas and extra gas come out of this
   * call's allowance; a revert undoes only the callee's changes and is returned, not thrown; the
   * callee's events join `logs` on success. Running out of gas still ends the whole call.
   */
  call(to: Address, value: bigint, data: Hex): SubCallResult;
}

/** What a sub-call made through CallContext.call returns. */
export interface SubCallResult {
  success: boolean;
  /** return data on success, ABI-encoded revert data on failure */
  returnData: Hex;
}

/** What a module-to-module call (a keeper) sees: a call's context without its gas meter. */
export type ModuleContext = Pick<CallContext, 'store' | 'genesis' | 'env' | 'logs'>;

export interface MethodMeta {
  /** gas charged on top of intrinsic gas */
  gas: bigint;
  payable: boolean;
}

export interface Module {
  readonly name: string;
  readonly address: Address;
  readonly abi: Abi;
  /** by function name; every function of the ABI must be listed */
  readonly methods: Readonly<Record<string, MethodMeta>>;
  /** Runs a decoded-selector call; returns ABI-encoded return data; throws RevertError to revert. */
  handle(ctx: CallContext, data: Hex): Hex;
  initGenesis?(ctx: HookContext): void;
  beginBlock?(ctx: HookContext): void;
  endBlock?(ctx: HookContext): void;
  /** Debug/test check of the module's own bookkeeping; throws on a broken invariant. O(state). */
  checkInvariants?(ctx: HookContext): void;
}

export interface ResolvedMethod {
  module: Module;
  name: string;
  meta: MethodMeta;
}

/** Modules by address, with selector tables built once. */
export class ModuleRegistry {
  readonly modules: readonly Module[];
  private readonly byAddress = new Map<Address, { module: Module; selectors: Map<Hex, string> }>();

  constructor(modules: readonly Module[]) {
    this.modules = modules;
    for (const m of modules) {
      const selectors = new Map<Hex, string>();
      for (const item of m.abi) {
        if (item.type !== 'function') continue;
        const fn: AbiFunction = item;
        if (!m.methods[fn.name]) throw new Error(`module ${m.name}: no gas entry for ${fn.name}`);
        selectors.set(toFunctionSelector(fn), fn.name);
      }
      this.byAddress.set(m.address, { module: m, selectors });
    }
  }

  isModule(address: Address): boolean {
    return this.byAddress.has(address);
  }

  get(address: Address): Module | undefined {
    return this.byAddress.get(address)?.module;
  }

  /** The method `data` selects at `address`, or undefined for an unknown selector. */
  resolve(address: Address, data: Bytes): ResolvedMethod | undefined {
    const entry = this.byAddress.get(address);
    if (!entry || data.length < 4) return undefined;
    const name = entry.selectors.get(bytesToHex(data.subarray(0, 4)));
    if (name === undefined) return undefined;
    return { module: entry.module, name, meta: entry.module.methods[name] };
  }
}

/** Per ABI: selector → function, so decoding skips viem's per-item selector hashing (≈ ⅓ of an eth_call). */
const selectorTables = new WeakMap<Abi, Map<string, AbiFunction>>();

function selectorTable(abi: Abi): Map<string, AbiFunction> {
  let table = selectorTables.get(abi);
  if (!table) {
    table = new Map();
    for (const item of abi) {
      // the first item with a selector wins, as in viem's find()
      if (item.type === 'function' && !table.has(toFunctionSelector(item))) table.set(toFunctionSelector(item), item);
    }
    selectorTables.set(abi, table);
  }
  return table;
}

/** decodeFunctionData that reverts (instead of throwing viem's error) on malformed calldata. */
export function decodeCall<const abi extends Abi>(abi: abi, data: Hex): ReturnType<typeof decodeFunctionData<abi>> {
  try {
    // what decodeFunctionData returns, without its search; an unknown selector goes to viem (it throws)
    const fn = selectorTable(abi).get(data.slice(0, 10));
    if (!fn) return decodeFunctionData({ abi, data });
    const args = fn.inputs.length > 0 ? decodeAbiParameters(fn.inputs, `0x${data.slice(10)}`) : undefined;
    return { functionName: fn.name, args } as ReturnType<typeof decodeFunctionData<abi>>;
  } catch {
    throw new RevertError('invalid calldata');
  }
}
