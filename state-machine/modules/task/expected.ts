// What the task module needs of other modules (wired in app.ts): stake locks and the draw's
// candidates, the one slashing path, and the dispute game a challenge opens.
import type { ModuleContext } from '../framework.ts';
import type { SlashOutcome, SlashRequest } from '../slashing/module.ts';
import type { Address, } from '../../types.ts';
import type { Hex } from '../../crypto/hash.ts';

export interface TaskStake {
  unlockedOf(ctx: Pick<ModuleContext, 'store'>, a: Address): bigint;
  jailedUntil(ctx: Pick<ModuleContext, 'store'>, a: Address): bigint;
  isJailedAt(until: bigint, block: bigint): boolean;
  lock(ctx: ModuleContext, a: Address, amount: bigint, what: string): void;
  unlock(ctx: ModuleContext, a: Address, amount: bigint): void;
  /** unjailed stakers with at least `minUnlocked` unlocked, sorted by address, weighted by unlocked stake */
  candidates(ctx: Pick<ModuleContext, 'store'>, minUnlocked: bigint, block: bigint): { address: Address; weight: bigint }[];
}

export interface TaskSlashing {
  slash(ctx: ModuleContext, req: SlashRequest): SlashOutcome;
}

/** What a challenge hands the dispute game. */
export interface DisputeRequest {
  taskId: bigint;
  solver: Address;
  challenger: Address;
  /** 0: a whistleblower's whole traceRoot; i ≥ 1: the challenger's C_{i·k} for segment i */
  segment: number;
  /** the challenger's root (traceRoot when segment is 0) */
  root: Hex;
  /** the solver's committed traceRoot */
  traceRoot: Hex;
  /** escrowed by the task module with the challenge */
  bond: bigint;
}

/**
 * The dispute game (the verde module, once it lands). open() returns the dispute id; the game later
 * calls the task keeper's resolveDispute with the outcome.
 */
export interface TaskDisputes {
  open(ctx: ModuleContext, req: DisputeRequest): bigint;
}
