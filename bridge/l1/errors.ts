// Errors of the L1 side: the embedded L1 and the L1 client. Stable codes, never renamed once shipped.
import { VerityError } from '../../state-machine/errors.ts';

/** The L1 RPC did not answer in time, refused the connection, or answered with an HTTP error. */
export class L1TransportError extends VerityError {
  constructor(message: string, data?: Record<string, unknown>) {
    super('L1_TRANSPORT', message, data);
  }
}

/** The L1 RPC answered, but the answer is not what the method promises (garbage, wrong shape). */
export class L1BadResponseError extends VerityError {
  constructor(method: string, message: string, data?: Record<string, unknown>) {
    super('L1_BAD_RESPONSE', `${method}: ${message}`, { method, ...data });
  }
}

/** The L1 RPC answered with a JSON-RPC error (a revert, a rejected transaction, bad params). */
export class L1RpcError extends VerityError {
  readonly rpcCode: number;
  readonly rpcData: unknown;
  constructor(method: string, rpcCode: number, message: string, rpcData?: unknown) {
    super('L1_RPC_ERROR', `${method}: ${message}`, { method, rpcCode });
    this.rpcCode = rpcCode;
    this.rpcData = rpcData;
  }
}

/** Every retry failed; `cause` is the last transport error. */
export class L1RetriesExhaustedError extends VerityError {
  constructor(method: string, attempts: number, cause: unknown) {
    super('L1_RETRIES_EXHAUSTED', `${method}: gave up after ${attempts} attempts: ${cause instanceof Error ? cause.message : String(cause)}`, { method, attempts });
    this.cause = cause;
  }
}

/** A reorg deeper than the tracker remembers: the caller must resync from an older checkpoint. */
export class L1ReorgTooDeepError extends VerityError {
  constructor(depthAtLeast: number, oldest: bigint) {
    super('L1_REORG_TOO_DEEP', `L1 reorg deeper than the ${depthAtLeast} remembered blocks (oldest remembered ${oldest})`, { depthAtLeast, oldest: oldest.toString() });
  }
}

/** The embedded L1's durable block log does not replay to what it recorded (corrupt or foreign data dir). */
export class L1LogReplayError extends VerityError {
  constructor(message: string, data?: Record<string, unknown>) {
    super('L1_LOG_REPLAY', message, data);
  }
}

/** A JSON-RPC request to the embedded L1 that it refuses; `rpcCode` is the JSON-RPC error code sent back. */
export class L1RequestError extends VerityError {
  readonly rpcCode: number;
  readonly rpcData: unknown;
  constructor(rpcCode: number, message: string, rpcData?: unknown) {
    super('L1_REQUEST', message, { rpcCode });
    this.rpcCode = rpcCode;
    this.rpcData = rpcData;
  }
}

/** JSON-RPC error codes the embedded L1 answers with (geth's where geth has one). */
export const L1RpcCode = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internal: -32603,
  /** geth: a transaction the pool refuses (nonce too low, insufficient funds, …) */
  txRejected: -32000,
  /** geth: execution reverted, revert data in `data` */
  executionReverted: 3,
} as const;
