// What the slashing module needs of the stake module (wired in app.ts).
import type { ModuleContext } from '../framework.ts';
import type { Address } from '../../types.ts';

export interface SlashingStake {
  /** takes up to `amount` (bond first, then unbonding entries begun at or after offenceBlock); returns what it took */
  slash(ctx: ModuleContext, offender: Address, amount: bigint, offenceBlock: bigint): bigint;
  jail(ctx: ModuleContext, offender: Address, until: bigint): void;
  jailedUntil(ctx: Pick<ModuleContext, 'store'>, offender: Address): bigint;
}
