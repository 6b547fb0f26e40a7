// The task module's reverts: the custom errors of ITask.sol, each with a readable reason.
import { customError, type RevertError } from '../revert.ts';
import type { Address } from '../../types.ts';
import { taskAbi } from './abi.ts';
import { STATUS_NAMES } from './records.ts';

const e = customError;

export const taskErrors = {
  invalidSpec: (field: string, reason: string): RevertError => e(taskAbi, 'InvalidSpec', [field, reason], `invalid task spec: ${field}: ${reason}`),
  specTooLarge: (size: number, max: number): RevertError =>
    e(taskAbi, 'SpecTooLarge', [BigInt(size), BigInt(max)], `task spec is ${size} bytes, over the ${max}-byte cap`),
  invalidAmount: (what: string): RevertError => e(taskAbi, 'InvalidAmount', [what], `invalid amount: ${what}`),
  invalidCoverage: (reason: string): RevertError => e(taskAbi, 'InvalidCoverage', [reason], `invalid coverage: ${reason}`),
  invalidDeadline: (reason: string): RevertError => e(taskAbi, 'InvalidDeadline', [reason], `invalid deadline: ${reason}`),
  unknownTask: (id: bigint): RevertError => e(taskAbi, 'UnknownTask', [id], `unknown task ${id}`),
  wrongStatus: (id: bigint, status: number, action: string): RevertError =>
    e(taskAbi, 'WrongStatus', [id, status], `${action}: task ${id} is ${STATUS_NAMES[status] ?? status}`),
  insufficientStake: (unlocked: bigint, required: bigint): RevertError =>
    e(taskAbi, 'InsufficientStake', [unlocked, required], `claim: unlocked stake ${unlocked} below the task's minimum ${required}`),
  jailed: (a: Address, until: bigint): RevertError => e(taskAbi, 'StakerJailed', [a, until], `${a} is jailed until block ${until}`),
  notSolver: (id: bigint, caller: Address, action: string): RevertError =>
    e(taskAbi, 'NotSolver', [id, caller], `${action}: ${caller} is not the solver of task ${id}`),
  notSubmitter: (id: bigint, caller: Address): RevertError =>
    e(taskAbi, 'NotSubmitter', [id, caller], `cancel: ${caller} is not the submitter of task ${id}`),
  notDrawn: (id: bigint, caller: Address, segment: number, action: string): RevertError =>
    e(taskAbi, 'NotDrawnVerifier', [id, caller, segment], `${action}: ${caller} was not drawn to verify segment ${segment} of task ${id}`),
  deadlinePassed: (id: bigint, deadline: bigint, action: string): RevertError =>
    e(taskAbi, 'DeadlinePassed', [id, deadline], `${action}: task ${id}'s deadline (block ${deadline}) has passed`),
  tooEarly: (id: bigint, notBefore: bigint, action: string): RevertError =>
    e(taskAbi, 'TooEarly', [id, notBefore], `${action}: task ${id} cannot do this before block ${notBefore}`),
  wrongSteps: (steps: bigint, expected: bigint): RevertError =>
    e(taskAbi, 'WrongSteps', [steps, expected], `commit: ${steps} steps, the spec says ${expected}`),
  badProof: (what: string): RevertError => e(taskAbi, 'BadProof', [what], `bad proof: ${what}`),
  alreadyDone: (what: string): RevertError => e(taskAbi, 'AlreadyDone', [what], `already done: ${what}`),
  dataChallengeOpen: (id: bigint): RevertError => e(taskAbi, 'DataChallengeOpen', [id], `task ${id} has an open data challenge`),
  noDataChallenge: (id: bigint): RevertError => e(taskAbi, 'NoDataChallenge', [id], `task ${id} has no open data challenge`),
  badData: (reason: string): RevertError => e(taskAbi, 'BadData', [reason], `bad checkpoint data: ${reason}`),
  badLosses: (reason: string): RevertError => e(taskAbi, 'BadLosses', [reason], `reportLosses: ${reason}`),
  disputesUnavailable: (): RevertError => e(taskAbi, 'DisputesUnavailable', [], 'challenge: this chain runs no dispute game yet'),
};
