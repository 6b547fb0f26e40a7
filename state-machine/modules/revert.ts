// How a module call fails: an ABI-encoded revert, exactly as a Solidity contract would revert, so
// viem/ethers decode reasons and custom errors unchanged.
import { decodeErrorResult, encodeErrorResult, type Abi, type ContractErrorName, type Hex } from 'viem';
import { VerityError } from '../errors.ts';

const solidityErrors = [
  { type: 'error', name: 'Error', inputs: [{ name: 'message', type: 'string' }] },
  { type: 'error', name: 'Panic', inputs: [{ name: 'code', type: 'uint256' }] },
] as const;

/** Solidity panic codes used by the modules. */
export const PANIC_ARITHMETIC = 0x11n;

/** Thrown inside a module handler to revert the call; `data` is the ABI-encoded revert data. */
export class RevertError extends VerityError {
  readonly revertData: Hex;
  readonly reason: string;
  constructor(reason: string, revertData?: Hex) {
    super('EXECUTION_REVERTED', `execution reverted: ${reason}`);
    this.reason = reason;
    this.revertData = revertData ?? encodeErrorResult({ abi: solidityErrors, errorName: 'Error', args: [reason] });
  }
}

/** Thrown by CallContext.useGas when the call's gas allowance is exhausted. */
export class OutOfGasError extends VerityError {
  constructor() {
    super('OUT_OF_GAS', 'out of gas');
  }
}

export function panic(code: bigint, reason: string): RevertError {
  return new RevertError(reason, encodeErrorResult({ abi: solidityErrors, errorName: 'Panic', args: [code] }));
}

/** Error(string) reason of revert data, if it is one. */
export function decodeRevertReason(data: Hex): string | undefined {
  try {
    const r = decodeErrorResult({ abi: solidityErrors, data });
    return r.errorName === 'Error' ? r.args[0] : `panic 0x${r.args[0].toString(16)}`;
  } catch {
    return undefined;
  }
}

/**
 * A revert with one of a module's Solidity custom errors (declared in its I<Name>.sol): the revert
 * data is the ABI-encoded error, as a contract would return, and `reason` a readable line for
 * receipts and JSON-RPC messages.
 */
export function customError<const abi extends Abi>(abi: abi, errorName: ContractErrorName<abi>, args: readonly unknown[], reason: string): RevertError {
  const data = encodeErrorResult({ abi: abi as Abi, errorName: errorName as string, args } as Parameters<typeof encodeErrorResult>[0]);
  return new RevertError(reason, data);
}
