// The bridge module's reverts: the custom errors of IBridge.sol with a readable reason.
import { customError, type RevertError } from '../revert.ts';
import { bridgeAbi } from './abi.ts';
import type { Address } from '../../types.ts';

export const bridgeErrors = {
  zeroAmount: (what: string): RevertError => customError(bridgeAbi, 'ZeroAmount', [], `${what}: zero amount`),
  zeroRecipient: (what: string): RevertError => customError(bridgeAbi, 'ZeroRecipient', [], `${what}: zero recipient`),
  notAToken: (what: string): RevertError => customError(bridgeAbi, 'NotAToken', [], `${what}: address(0) is ETH; use withdraw()`),
  insufficient: (token: Address, account: Address, balance: bigint, needed: bigint): RevertError =>
    customError(bridgeAbi, 'InsufficientTokenBalance', [token, account, balance, needed], `insufficient bridged balance of ${token}: ${balance} < ${needed}`),
  indexOutOfRange: (index: bigint, count: bigint): RevertError =>
    customError(bridgeAbi, 'WithdrawalIndexOutOfRange', [index, count], `withdrawal index ${index} out of range (count ${count})`),
};
