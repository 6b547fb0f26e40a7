// Errors of block building, block application and transaction validity. Codes are stable.
import { VerityError } from '../errors.ts';

export type TxInvalidCode =
  | 'NONCE_TOO_LOW'
  | 'NONCE_TOO_HIGH'
  | 'INTRINSIC_GAS_TOO_LOW'
  | 'GAS_LIMIT_REACHED'
  | 'FEE_CAP_TOO_LOW'
  | 'TIP_ABOVE_FEE_CAP'
  | 'INSUFFICIENT_FUNDS'
  | 'WRONG_CHAIN'
  | 'DEPOSIT_NO_BRIDGE'
  | 'DEPOSIT_AFTER_USER_TX'
  | 'DEPOSIT_NONCE'
  | 'DEPOSIT_AHEAD_OF_L1_ORIGIN'
  | 'DEPOSIT_LIMIT';

/** A transaction that cannot be included in a block; messages are geth's. */
export class TxInvalidError extends VerityError {
  declare readonly code: TxInvalidCode;
  constructor(code: TxInvalidCode, message: string) {
    super(code, message);
  }
}

/** A block that does not follow from its parent and the state (applyBlock). */
export class BlockInvalidError extends VerityError {
  constructor(message: string, data?: Record<string, unknown>) {
    super('BLOCK_INVALID', message, data);
  }
}

/** buildBlock was asked for something it cannot build (wrong key, time going backwards). */
export class BlockBuildError extends VerityError {
  constructor(message: string) {
    super('BLOCK_BUILD', message);
  }
}

/** The supply invariant (sum of balances = total supply) broke: a bug, never a user error. */
export class SupplyInvariantError extends VerityError {
  constructor(message: string, data?: Record<string, unknown>) {
    super('SUPPLY_INVARIANT', message, data);
  }
}
