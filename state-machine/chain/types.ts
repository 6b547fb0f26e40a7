// Data types shared by the state machine, the node and the RPC server. The state machine owns them;
// node/ persists them (msgpack) and rpc/ formats them as Ethereum JSON.
import type { Bytes, Hex } from '../crypto/hash.ts';
import type { Address, Log } from '../types.ts';
import type { Deposit } from '../tx/deposit.ts';

/** 0: legacy, 2: EIP-1559, 0x7e: an L1 deposit (tx/deposit.ts), only ever put in a block by the sequencer. */
export type TxType = 0 | 2 | 0x7e;

/** EIP-2930 access list entry (type-2 transactions only). */
export interface AccessListItem {
  address: Address;
  storageKeys: Hex[];
}

/** A decoded, signature-checked Ethereum transaction (EIP-1559 type 2 or legacy EIP-155), or a deposit. */
export interface SignedTx {
  /** keccak256 of the raw bytes */
  hash: Hex;
  /** the exact bytes that were signed and submitted (typed envelope or legacy RLP) */
  raw: Bytes;
  type: TxType;
  chainId: bigint;
  nonce: bigint;
  from: Address;
  to: Address | null;
  value: bigint;
  data: Bytes;
  gasLimit: bigint;
  /** legacy: both fee fields equal gasPrice */
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  v: bigint;
  r: bigint;
  s: bigint;
  /** EIP-2930 access list; empty or absent for legacy transactions */
  accessList?: AccessListItem[];
  /** present exactly when type is 0x7e */
  deposit?: Deposit;
}

export interface Receipt {
  txHash: Hex;
  status: 0 | 1;
  gasUsed: bigint;
  cumulativeGasUsed: bigint;
  effectiveGasPrice: bigint;
  logs: Log[];
  logsBloom: Hex;
  /** decoded revert reason, when the call reverted with one */
  revertReason?: string;
}

export interface BlockHeader {
  number: bigint;
  parentHash: Hex;
  timestamp: bigint;
  l1OriginNumber: bigint;
  l1OriginHash: Hex;
  stateRoot: Hex;
  txRoot: Hex;
  receiptsRoot: Hex;
  withdrawalsRoot: Hex;
  logsBloom: Hex;
  gasUsed: bigint;
  gasLimit: bigint;
  baseFee: bigint;
  /** sequencer address; fees go to the fee vault, not here */
  sequencer: Address;
  /** 65-byte recoverable secp256k1 signature over the block hash (r ‖ s ‖ v), 0x for genesis */
  signature: Hex;
}

export interface Block {
  /** keccak256(RLP(header fields in the order above, signature excluded)) */
  hash: Hex;
  header: BlockHeader;
  /** raw signed transactions, in execution order */
  transactions: Bytes[];
}

/** An eth_call / eth_estimateGas message. */
export interface CallMsg {
  from?: Address;
  to: Address | null;
  data?: Bytes;
  value?: bigint;
  gas?: bigint;
}

export interface CallResult {
  status: 0 | 1;
  returnData: Bytes;
  gasUsed: bigint;
  logs: Log[];
  revertReason?: string;
}
