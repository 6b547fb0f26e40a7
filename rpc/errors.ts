// JSON-RPC errors. Codes follow JSON-RPC 2.0, EIP-1474 and geth, so wallets and libraries that
// special-case them (viem, ethers, cast) behave as they do against geth.
import { VerityError } from '../state-machine/errors.ts';
import type { Hex } from '../state-machine/crypto/hash.ts';

export const RpcCode = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internal: -32603,
  /** geth's code for transaction rejections and "header not found" */
  server: -32000,
  /** geth's code for subscriptions over a transport without notifications (HTTP) */
  notificationsUnsupported: -32001,
  /** EIP-1474 "limit exceeded" */
  limitExceeded: -32005,
  /** geth's code for eth_call / eth_estimateGas reverts; data = revert bytes */
  executionReverted: 3,
} as const;

export interface RpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export class RpcError extends VerityError {
  readonly rpcCode: number;
  readonly rpcData?: unknown;

  constructor(rpcCode: number, message: string, rpcData?: unknown) {
    super('RPC_ERROR', message, { rpcCode });
    this.rpcCode = rpcCode;
    if (rpcData !== undefined) this.rpcData = rpcData;
  }

  toJSON(): RpcErrorObject {
    return this.rpcData === undefined
      ? { code: this.rpcCode, message: this.message }
      : { code: this.rpcCode, message: this.message, data: this.rpcData };
  }
}

export function invalidParams(message: string): RpcError {
  return new RpcError(RpcCode.invalidParams, message);
}

export function executionReverted(returnData: Hex, reason: string | undefined): RpcError {
  const message = reason ? `execution reverted: ${reason}` : 'execution reverted';
  return new RpcError(RpcCode.executionReverted, message, returnData);
}

/**
 * Maps anything a handler throws to a JSON-RPC error object. VerityErrors from the node carry
 * geth-compatible messages ("nonce too low") and become -32000; anything else is a bug and is
 * reported as -32603 without internals (the caller logs it).
 */
export function toRpcError(err: unknown): { error: RpcErrorObject; internal: boolean } {
  if (err instanceof RpcError) return { error: err.toJSON(), internal: false };
  if (err instanceof VerityError) return { error: { code: RpcCode.server, message: err.message }, internal: false };
  return { error: { code: RpcCode.internal, message: 'internal error' }, internal: true };
}
