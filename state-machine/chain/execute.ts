// Executing one message or transaction against the state: validity (geth's messages), the value
// transfer, module dispatch with per-method gas, fee payment to the fee vault, receipts.
import { bytesToHex, hexToBytes, type Hex } from '../crypto/hash.ts';
import { ArithmeticError, checkedAdd, checkedMul } from '../errors.ts';
import type { Genesis } from '../genesis.ts';
import { bumpNonce, credit, debit, getAccount, transfer } from '../modules/accounts/ledger.ts';
import type { BlockEnv, CallContext, ModuleRegistry, SubCallResult } from '../modules/framework.ts';
import { OutOfGasError, PANIC_ARITHMETIC, RevertError, panic } from '../modules/revert.ts';
import type { StateStore } from '../store/store.ts';
import { applyDeposit } from '../modules/bridge/module.ts';
import { bridgeEnabled } from '../modules/bridge/params.ts';
import { nextDepositNonce, setNextDepositNonce } from '../modules/bridge/records.ts';
import type { Deposit } from '../tx/deposit.ts';
import { logsBloomHex } from './bloom.ts';
import { TxInvalidError } from './errors.ts';
import { effectiveGasPrice, intrinsicGas } from './fees.ts';
import type { AccessListItem, CallResult, Receipt, SignedTx } from './types.ts';
import type { Address, Log } from '../types.ts';

/** What execution needs from a ChainState. */
export interface ExecutionState {
  readonly store: StateStore;
  readonly genesis: Genesis;
  readonly registry: ModuleRegistry;
}

export interface Message {
  from: Address;
  to: Address | null;
  value: bigint;
  data: Uint8Array;
  gas: bigint;
  accessList?: readonly AccessListItem[];
}

export interface MessageResult extends CallResult {
  /** true when the gas allowance did not cover intrinsic + method gas */
  outOfGas: boolean;
  revertData?: Hex;
}

function failed(gasUsed: bigint, reason: string, revertData: Hex = '0x', outOfGas = false): MessageResult {
  return { status: 0, returnData: new Uint8Array(Buffer.from(revertData.slice(2), 'hex')), gasUsed, logs: [], revertReason: reason, outOfGas, revertData };
}

/**
 * Runs a message: no nonce, no fees. State changes are kept on success and undone on failure.
 * A failure costs intrinsic + method gas (the whole allowance when that allowance is too small).
 */
export function runMessage(state: ExecutionState, msg: Message, env: BlockEnv): MessageResult {
  const { store, registry } = state;
  const intrinsic = intrinsicGas(msg);
  if (msg.gas < intrinsic) return failed(msg.gas, 'out of gas', '0x', true);
  if (msg.to === null) return failed(intrinsic, 'contract creation is not supported');
  const to = msg.to;
  const module = registry.get(to);
  let gasUsed = intrinsic;
  if (module !== undefined) {
    const method = registry.resolve(to, msg.data);
    if (method === undefined) {
      const e = new RevertError(msg.data.length === 0 ? 'module does not accept plain transfers' : 'unknown function selector');
      return failed(gasUsed, e.reason, e.revertData);
    }
    gasUsed = intrinsic + method.meta.gas;
    if (msg.gas < gasUsed) return failed(msg.gas, 'out of gas', '0x', true);
    if (msg.value > 0n && !method.meta.payable) {
      const e = new RevertError('non-payable method');
      return failed(gasUsed, e.reason, e.revertData);
    }
  }
  const allowance = msg.gas - gasUsed;
  let extra = 0n;
  // methods, not named arrows: the TypeScript loader keeps function names with a defineProperty
  // call per closure created, which per transaction shows in the sealing profile
  const meter = {
    use(amount: bigint): void {
      if (amount < 0n) throw new RangeError('negative gas');
      if (extra + amount > allowance) throw new OutOfGasError();
      extra += amount;
    },
    left(): bigint {
      return allowance - extra;
    },
  };
  const useGas = meter.use;
  store.checkpoint();
  try {
    transfer(store, msg.from, to, msg.value);
    let returnData: Hex = '0x';
    const logs: CallResult['logs'] = [];
    if (module !== undefined) {
      const gasLeft = meter.left;
      returnData = module.handle(
        { store, genesis: state.genesis, env, caller: msg.from, value: msg.value, logs, useGas, gasLeft, call: subCaller(state, env, to, logs, useGas, gasLeft, 1) },
        bytesToHex(msg.data),
      );
    }
    store.commit();
    return { status: 1, returnData: returnData === '0x' ? new Uint8Array(0) : new Uint8Array(Buffer.from(returnData.slice(2), 'hex')), gasUsed: gasUsed + extra, logs, outOfGas: false };
  } catch (e) {
    store.revert();
    if (e instanceof OutOfGasError) return failed(msg.gas, 'out of gas', '0x', true);
    if (e instanceof RevertError) return failed(gasUsed + extra, e.reason, e.revertData);
    if (e instanceof ArithmeticError) {
      const p = panic(PANIC_ARITHMETIC, 'arithmetic overflow or underflow');
      return failed(gasUsed + extra, p.reason, p.revertData);
    }
    throw e;
  }
}

/** Deepest chain of module-to-module calls, as the EVM's call depth limit. */
const MAX_CALL_DEPTH = 1024;

function subCallFailure(reason: string): SubCallResult {
  return { success: false, returnData: new RevertError(reason).revertData };
}

/**
 * CallContext.call for a handler running at `self`: the same dispatch rules as runMessage (reserved
 * addresses, unknown selectors, non-payable methods revert; a plain account just receives the value),
 * with the callee's gas drawn from the caller's meter and its state changes in a nested checkpoint.
 */
function subCaller(
  state: ExecutionState, env: BlockEnv, self: Address, logs: Log[], useGas: (amount: bigint) => void, gasLeft: () => bigint, depth: number,
): CallContext['call'] {
  return (target, value, data) => {
    if (depth > MAX_CALL_DEPTH) return subCallFailure('call depth exceeded');
    const { store, registry } = state;
    const to = target.toLowerCase() as Address;
    const module = registry.get(to);
    if (module !== undefined) {
      const method = registry.resolve(to, hexToBytes(data));
      if (method === undefined) return subCallFailure(data === '0x' ? 'module does not accept plain transfers' : 'unknown function selector');
      useGas(method.meta.gas);
      if (value > 0n && !method.meta.payable) return subCallFailure('non-payable method');
    }
    const own: Log[] = [];
    store.checkpoint();
    try {
      transfer(store, self, to, value);
      const returnData = module === undefined
        ? '0x'
        : module.handle(
            { store, genesis: state.genesis, env, caller: self, value, logs: own, useGas, gasLeft, call: subCaller(state, env, to, own, useGas, gasLeft, depth + 1) },
            data,
          );
      store.commit();
      logs.push(...own);
      return { success: true, returnData };
    } catch (e) {
      store.revert();
      if (e instanceof RevertError) return { success: false, returnData: e.revertData };
      if (e instanceof ArithmeticError) return { success: false, returnData: panic(PANIC_ARITHMETIC, 'arithmetic overflow or underflow').revertData };
      throw e;
    }
  };
}

/** Why `tx` cannot be included in a block with `gasLeft` gas left, or null when it can. */
export function checkTxValidity(state: ExecutionState, tx: SignedTx, env: BlockEnv, gasLeft: bigint): TxInvalidError | null {
  if (tx.chainId !== state.genesis.chainId) return new TxInvalidError('WRONG_CHAIN', 'invalid chain id for signer');
  const account = getAccount(state.store, tx.from);
  if (tx.nonce < account.nonce) {
    return new TxInvalidError('NONCE_TOO_LOW', `nonce too low: address ${tx.from}, tx: ${tx.nonce} state: ${account.nonce}`);
  }
  if (tx.nonce > account.nonce) {
    return new TxInvalidError('NONCE_TOO_HIGH', `nonce too high: address ${tx.from}, tx: ${tx.nonce} state: ${account.nonce}`);
  }
  if (tx.gasLimit > gasLeft) return new TxInvalidError('GAS_LIMIT_REACHED', 'gas limit reached');
  if (tx.maxPriorityFeePerGas > tx.maxFeePerGas) {
    return new TxInvalidError(
      'TIP_ABOVE_FEE_CAP',
      `max priority fee per gas higher than max fee per gas: address ${tx.from}, maxPriorityFeePerGas: ${tx.maxPriorityFeePerGas}, maxFeePerGas: ${tx.maxFeePerGas}`,
    );
  }
  if (tx.maxFeePerGas < env.baseFee) {
    return new TxInvalidError(
      'FEE_CAP_TOO_LOW',
      `max fee per gas less than block base fee: address ${tx.from}, maxFeePerGas: ${tx.maxFeePerGas}, baseFee: ${env.baseFee}`,
    );
  }
  const intrinsic = intrinsicGas(tx);
  if (tx.gasLimit < intrinsic) {
    return new TxInvalidError('INTRINSIC_GAS_TOO_LOW', `intrinsic gas too low: have ${tx.gasLimit}, want ${intrinsic}`);
  }
  let cost: bigint;
  try {
    cost = checkedAdd(checkedMul(tx.gasLimit, tx.maxFeePerGas), tx.value);
  } catch {
    cost = -1n;
  }
  if (cost < 0n || account.balance < cost) {
    return new TxInvalidError(
      'INSUFFICIENT_FUNDS',
      `insufficient funds for gas * price + value: address ${tx.from} have ${account.balance} want ${cost < 0n ? 'overflow' : cost}`,
    );
  }
  return null;
}

/** Where a deposit may go in the block being built or applied. */
export interface DepositSlot {
  /** the block's l1OriginNumber: deposits from later L1 blocks are not yet confirmed there */
  l1OriginNumber: bigint;
  /** deposits already in this block */
  deposits: bigint;
  /** a user transaction came earlier in this block (deposits must come first) */
  userTxSeen: boolean;
}

/** Why deposit `tx` cannot go in `slot`, or null when it can. */
export function checkDepositValidity(state: ExecutionState, tx: SignedTx, slot: DepositSlot): TxInvalidError | null {
  const d = tx.deposit;
  const p = state.genesis.modules.bridge;
  if (d === undefined || !bridgeEnabled(p)) return new TxInvalidError('DEPOSIT_NO_BRIDGE', 'deposit transaction on a chain without a bridge');
  if (slot.userTxSeen) return new TxInvalidError('DEPOSIT_AFTER_USER_TX', 'deposit transaction after a user transaction');
  if (slot.deposits >= p.maxDepositsPerBlock) return new TxInvalidError('DEPOSIT_LIMIT', `more than ${p.maxDepositsPerBlock} deposits in a block`);
  const next = nextDepositNonce(state.store);
  if (d.nonce !== next) return new TxInvalidError('DEPOSIT_NONCE', `deposit nonce ${d.nonce}, next is ${next}`);
  if (d.l1BlockNumber > slot.l1OriginNumber) {
    return new TxInvalidError('DEPOSIT_AHEAD_OF_L1_ORIGIN', `deposit from L1 block ${d.l1BlockNumber} after the block's L1 origin ${slot.l1OriginNumber}`);
  }
  return null;
}

/**
 * Credits a deposit that passed checkDepositValidity. It uses no gas and pays no fee. A deposit
 * whose credit fails (an overflowing amount) still consumes its nonce, with status 0, so one bad
 * L1 event cannot stall every later deposit.
 */
export function executeDeposit(state: ExecutionState, tx: SignedTx, env: BlockEnv): Receipt {
  const d = tx.deposit as Deposit;
  const { store } = state;
  const logs: CallResult['logs'] = [];
  let status: 0 | 1 = 1;
  store.checkpoint();
  try {
    applyDeposit({ store, genesis: state.genesis, env, logs }, d);
    store.commit();
  } catch (e) {
    store.revert();
    if (!(e instanceof ArithmeticError)) throw e;
    setNextDepositNonce(store, d.nonce + 1n);
    logs.length = 0;
    status = 0;
  }
  return { txHash: tx.hash, status, gasUsed: 0n, cumulativeGasUsed: 0n, effectiveGasPrice: 0n, logs, logsBloom: logsBloomHex(logs) };
}

/**
 * Executes a transaction that passed checkTxValidity: bumps the nonce, runs the message (whose
 * failure undoes only its own changes), then pays gasUsed × effective price to the fee vault.
 * cumulativeGasUsed is filled in by the caller.
 */
export function executeTx(state: ExecutionState, tx: SignedTx, env: BlockEnv): Receipt {
  const { store } = state;
  const price = effectiveGasPrice(tx, env.baseFee);
  bumpNonce(store, tx.from);
  const r = runMessage(
    state,
    { from: tx.from, to: tx.to, value: tx.value, data: tx.data, gas: tx.gasLimit, accessList: tx.accessList },
    env,
  );
  const fee = checkedMul(r.gasUsed, price);
  debit(store, tx.from, fee);
  credit(store, state.genesis.modules.accounts.feeVault, fee);
  const receipt: Receipt = {
    txHash: tx.hash,
    status: r.status,
    gasUsed: r.gasUsed,
    cumulativeGasUsed: 0n,
    effectiveGasPrice: price,
    logs: r.logs,
    logsBloom: logsBloomHex(r.logs),
  };
  if (r.revertReason !== undefined) receipt.revertReason = r.revertReason;
  return receipt;
}
