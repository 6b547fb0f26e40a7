// The stake module's reverts: the custom errors of IStake.sol with a readable reason.
import { customError, type RevertError } from '../revert.ts';
import { stakeAbi } from './abi.ts';

export const stakeErrors = {
  zeroAmount: (what: string): RevertError => customError(stakeAbi, 'ZeroAmount', [], `${what}: zero amount`),
  belowMinimumBond: (bond: bigint, minBond: bigint, what: string): RevertError =>
    customError(stakeAbi, 'BelowMinimumBond', [bond, minBond], `${what}: bond ${bond} below minimum bond ${minBond}`),
  insufficientUnlocked: (unlocked: bigint, wanted: bigint, what: string): RevertError =>
    customError(stakeAbi, 'InsufficientUnlockedStake', [unlocked, wanted], `${what}: insufficient unlocked stake (${unlocked} < ${wanted})`),
  tooManyEntries: (max: number): RevertError =>
    customError(stakeAbi, 'TooManyUnbondingEntries', [BigInt(max)], `beginUnbond: too many unbonding entries (max ${max})`),
  nothingToWithdraw: (): RevertError => customError(stakeAbi, 'NothingToWithdraw', [], 'withdraw: nothing matured'),
};
