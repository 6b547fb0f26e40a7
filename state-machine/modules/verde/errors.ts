// The verde module's reverts: IVerde.sol's custom errors with a readable reason.
import { customError, type RevertError } from '../revert.ts';
import type { Address } from '../../types.ts';
import { verdeAbi } from './abi.ts';

const e = customError;
const LEVELS = ['', 'Checkpoints', 'Steps', 'Ops', 'Referee', 'Resolved'];

export const verdeErrors = {
  unknown: (id: bigint): RevertError => e(verdeAbi, 'UnknownDispute', [id], `unknown dispute ${id}`),
  wrongLevel: (id: bigint, level: number, action: string): RevertError =>
    e(verdeAbi, 'WrongLevel', [id, level], `${action}: dispute ${id} is at level ${LEVELS[level] ?? level}`),
  notAParty: (id: bigint, caller: Address): RevertError => e(verdeAbi, 'NotAParty', [id, caller], `${caller} is not a party to dispute ${id}`),
  alreadyMoved: (id: bigint, party: Address): RevertError => e(verdeAbi, 'AlreadyMoved', [id, party], `${party} already moved this round of dispute ${id}`),
  clockExpired: (id: bigint, party: Address): RevertError => e(verdeAbi, 'ClockExpired', [id, party], `${party}'s clock ran out in dispute ${id}`),
  badReveal: (reason: string): RevertError => e(verdeAbi, 'BadReveal', [reason], `bad reveal: ${reason}`),
  badRoot: (reason: string): RevertError => e(verdeAbi, 'BadRoot', [reason], `bad root: ${reason}`),
  badInput: (reason: string): RevertError => e(verdeAbi, 'BadInput', [reason], `bad referee input: ${reason}`),
  notTimedOut: (id: bigint): RevertError => e(verdeAbi, 'NotTimedOut', [id], `no clock in dispute ${id} has run out`),
};
