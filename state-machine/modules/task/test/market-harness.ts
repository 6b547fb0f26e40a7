// Test harness for the market modules: a chain state with the app's modules (or a task module wired
// to a dispute double), messages run directly through runMessage (no signatures, no fees), blocks
// advanced with their hooks, and the whole-state supply check after every step.
import { decodeEventLog, decodeFunctionResult, encodeFunctionData, type Hex } from 'viem';
import { readFileSync } from 'node:fs';
import { defaultDevnetGenesis, devnetAccounts, type Genesis } from '../../../../genesis/index.ts';
import { ChainState } from '../../../chain/state.ts';
import { runMessage, type ExecutionState, type MessageResult } from '../../../chain/execute.ts';
import { bytesToHex, hexToBytes, sha256, uintToBytes } from '../../../crypto/hash.ts';
import { MerkleTree } from '../../../merkle/tree.ts';
import type { Address, Log } from '../../../types.ts';
import { accountsModule } from '../../accounts/module.ts';
import { MODULE_ADDRESSES } from '../../addresses.ts';
import { ModuleRegistry, type BlockEnv, type Module } from '../../framework.ts';
import { createSlashing } from '../../slashing/module.ts';
import { slashingAbi } from '../../slashing/abi.ts';
import { stakeKeeper } from '../../stake/keeper.ts';
import { stakeModule } from '../../stake/module.ts';
import { stakeAbi } from '../../stake/abi.ts';
import { taskAbi } from '../abi.ts';
import type { TaskDisputes } from '../expected.ts';
import { createTask, type TaskKeeper } from '../module.ts';
import { createVerde } from '../../verde/module.ts';
import { verdeAbi } from '../../verde/abi.ts';

export const ETH = 10n ** 18n;
export const ACCOUNTS = devnetAccounts(10).map((a) => a.address);
export const [SEQUENCER, SOLVER, V1, V2, V3, V4, OTHER, , , SUBMITTER] = ACCOUNTS;
export const TASK = MODULE_ADDRESSES.task;
export const DIGITS_SPEC = readFileSync(new URL('../../../../worker/examples/digits-mlp.json', import.meta.url));

/** Devnet genesis with short deadlines; accounts 1-8 staked 100 ETH, account 9 (submitter) not. */
export function marketGenesis(): Genesis {
  const g = defaultDevnetGenesis({ timestamp: 1_700_000_000n });
  const bonds: Record<Address, bigint> = {};
  for (const a of ACCOUNTS.slice(1, 9)) bonds[a] = 100n * ETH;
  return {
    ...g,
    modules: {
      ...g.modules,
      stake: { ...g.modules.stake, bonds, unbondingPeriodBlocks: 20n },
      task: { ...g.modules.task, commitBlocks: 10n, windowBlocks: 12n, drawDelayBlocks: 2n, daResponseBlocks: 5n, daGraceBlocks: 4n, maxReopens: 1n },
    },
  };
}

type TaskFn = Parameters<typeof encodeFunctionData<typeof taskAbi>>[0]['functionName'];

export class Market {
  readonly state: ChainState;
  readonly exec: ExecutionState;
  readonly modules: Module[];
  readonly taskKeeper: TaskKeeper;
  number = 0n;
  private parentHash: Hex = `0x${'00'.repeat(32)}`;
  readonly logs: Log[] = [];

  /** `disputes`: a dispute game double, or 'verde' for the real game module. */
  constructor(readonly genesis: Genesis = marketGenesis(), disputes?: TaskDisputes | 'verde') {
    this.state = ChainState.fromGenesis(genesis);
    const slashing = createSlashing(stakeKeeper);
    let verde: ReturnType<typeof createVerde> | undefined;
    const hook: TaskDisputes | undefined = disputes === 'verde' ? { open: (ctx, req) => verde!.disputes.open(ctx, req) } : disputes;
    const task = createTask({ stake: stakeKeeper, slashing: slashing.keeper, disputes: hook });
    this.taskKeeper = task.keeper;
    this.modules = [accountsModule, stakeModule, slashing.module, task.module];
    if (disputes === 'verde') {
      verde = createVerde(task.keeper);
      this.modules.push(verde.module);
    }
    this.exec = { store: this.state.store, genesis, registry: new ModuleRegistry(this.modules) };
    this.advance(1);
  }

  env(): BlockEnv {
    const g = this.genesis;
    return { number: this.number, timestamp: g.timestamp + this.number, baseFee: 0n, gasLimit: g.gasLimit, sequencer: g.sequencer, parentHash: this.parentHash };
  }

  /** Ends the current block and starts `n` more (hooks run; an empty block's hash is derived from its number). */
  advance(n = 1): void {
    for (let i = 0; i < n; i++) {
      const hook = { store: this.state.store, genesis: this.genesis, env: this.env() };
      if (this.number > 0n) for (const m of this.modules) m.endBlock?.(hook);
      this.parentHash = bytesToHex(sha256(uintToBytes(this.number, 8), hexToBytes(this.parentHash)));
      this.number++;
      for (const m of this.modules) m.beginBlock?.({ ...hook, env: this.env() });
      this.checkSupply();
    }
  }

  advanceTo(block: bigint): void {
    while (this.number < block) this.advance();
  }

  /** Balances sum to the total supply and every module's invariant holds. */
  checkSupply(): void {
    this.state.checkSupply(this.env());
    const hook = { store: this.state.store, genesis: this.genesis, env: this.env() };
    for (const m of this.modules) m.checkInvariants?.(hook);
  }

  send(from: Address, to: Address, data: Hex, value = 0n): MessageResult {
    const r = runMessage(this.exec, { from, to, value, data: hexToBytes(data), gas: 30_000_000n }, this.env());
    this.logs.push(...r.logs);
    this.checkSupply();
    return r;
  }

  task(from: Address, functionName: TaskFn, args: readonly unknown[] = [], value = 0n): MessageResult {
    return this.send(from, TASK, encodeFunctionData({ abi: taskAbi, functionName, args } as never), value);
  }

  /** Like task(), but throws with the revert reason when the call fails. */
  ok(from: Address, functionName: TaskFn, args: readonly unknown[] = [], value = 0n): MessageResult {
    const r = this.task(from, functionName, args, value);
    if (r.status !== 1) throw new Error(`${functionName} reverted: ${r.revertReason}`);
    return r;
  }

  view<F extends 'getTask' | 'scoreOf' | 'taskCount' | 'tasksOf' | 'leaderboard' | 'dataChallengeOf' | 'specOf'>(functionName: F, args: readonly unknown[] = []) {
    const r = this.task(SEQUENCER, functionName, args);
    if (r.status !== 1) throw new Error(`${functionName} reverted: ${r.revertReason}`);
    return decodeFunctionResult({ abi: taskAbi, functionName, data: bytesToHex(r.returnData) } as never) as ReturnType<typeof decodeFunctionResult<typeof taskAbi, F>>;
  }

  verde(from: Address, functionName: Parameters<typeof encodeFunctionData<typeof verdeAbi>>[0]['functionName'], args: readonly unknown[] = []): MessageResult {
    return this.send(from, MODULE_ADDRESSES.verde, encodeFunctionData({ abi: verdeAbi, functionName, args } as never));
  }

  verdeOk(from: Address, functionName: Parameters<typeof encodeFunctionData<typeof verdeAbi>>[0]['functionName'], args: readonly unknown[] = []): MessageResult {
    const r = this.verde(from, functionName, args);
    if (r.status !== 1) throw new Error(`${functionName} reverted: ${r.revertReason}`);
    return r;
  }

  dispute(id: bigint) {
    const r = this.verdeOk(SEQUENCER, 'getDispute', [id]);
    return decodeFunctionResult({ abi: verdeAbi, functionName: 'getDispute', data: bytesToHex(r.returnData) });
  }

  stake(fn: 'stakeOf' | 'lockedOf' | 'isJailed', who: Address): bigint | boolean {
    const r = this.send(SEQUENCER, MODULE_ADDRESSES.stake, encodeFunctionData({ abi: stakeAbi, functionName: fn, args: [who] }));
    return decodeFunctionResult({ abi: stakeAbi, functionName: fn, data: bytesToHex(r.returnData) } as never) as bigint | boolean;
  }

  slashCount(who: Address): bigint {
    const r = this.send(SEQUENCER, MODULE_ADDRESSES.slashing, encodeFunctionData({ abi: slashingAbi, functionName: 'slashCount', args: [who] }));
    return decodeFunctionResult({ abi: slashingAbi, functionName: 'slashCount', data: bytesToHex(r.returnData) });
  }

  balance(a: Address): bigint {
    return this.state.getBalance(a);
  }

  /** Names of the task module's events emitted so far, in order. */
  eventNames(): string[] {
    return this.logs.filter((l) => l.address === TASK).map((l) => decodeEventLog({ abi: taskAbi, data: l.data, topics: l.topics as [Hex, ...Hex[]] }).eventName);
  }

  submitSpecBytes(): Uint8Array {
    return DIGITS_SPEC;
  }

  submit(spec: Uint8Array = DIGITS_SPEC, reward = 10n * ETH, fee = 2n * ETH, opts: { verifiers?: number; each?: number; minStake?: bigint } = {}): bigint {
    const r = this.ok(SUBMITTER, 'submitTask', [
      bytesToHex(spec), fee, opts.minStake ?? 0n, { verifiers: opts.verifiers ?? 0, segmentsEach: opts.each ?? 0 }, { commitBlocks: 0n, windowBlocks: 0n },
    ], reward + fee);
    return decodeFunctionResult({ abi: taskAbi, functionName: 'submitTask', data: bytesToHex(r.returnData) });
  }
}

/** A fake but consistent trace: `segments + 1` checkpoint roots and their tree. */
export function fakeTrace(segments: number, salt = 0): { tree: MerkleTree; roots: Hex[]; traceRoot: Hex } {
  const leaves = Array.from({ length: segments + 1 }, (_, i) => sha256(uintToBytes(BigInt(i), 4), uintToBytes(BigInt(salt), 4)));
  const tree = new MerkleTree(leaves);
  return { tree, roots: leaves.map((l) => bytesToHex(l)), traceRoot: bytesToHex(tree.root) };
}

export function proofOf(tree: MerkleTree, leaf: number): Hex[] {
  return tree.proof(leaf).siblings.map((s) => bytesToHex(s));
}
