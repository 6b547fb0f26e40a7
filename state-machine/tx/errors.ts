// Why a raw transaction was refused before execution. Codes are stable; messages follow geth where
// geth has one, so wallets show familiar text.
import { VerityError } from '../errors.ts';

export type TxDecodeCode =
  | 'TX_EMPTY'
  | 'TX_TOO_LARGE'
  | 'TX_TYPE_UNSUPPORTED'
  | 'TX_MALFORMED'
  | 'TX_UNPROTECTED'
  | 'TX_WRONG_CHAIN'
  | 'TX_BAD_SIGNATURE'
  | 'TX_CONTRACT_CREATION';

export class TxDecodeError extends VerityError {
  declare readonly code: TxDecodeCode;
  constructor(code: TxDecodeCode, message: string) {
    super(code, message);
  }
}
