// What the RPC server needs from a node. node/ implements it; rpc/ only formats and validates.
// Keeping this seam narrow lets the server be tested against a real node and keeps rpc/ free of
// LevelDB and sequencing concerns.
import type { EventEmitter } from 'node:events';
import type { Bytes, Hex } from '../state-machine/crypto/hash.ts';
import type { Block, CallMsg, CallResult, Receipt, SignedTx } from '../state-machine/chain/types.ts';
import type { Address, Log } from '../state-machine/types.ts';
import type { StateProof } from '../state-machine/store/proof.ts';

/** 'latest' | 'pending' | 'earliest' | 'safe' | 'finalized' | a block number */
export type BlockTag = 'latest' | 'pending' | 'earliest' | 'safe' | 'finalized' | bigint;

export interface TxLocation {
  blockNumber: bigint;
  blockHash: Hex;
  index: number;
}

export interface LogFilter {
  fromBlock: bigint;
  toBlock: bigint;
  /** any of these addresses; empty = all */
  addresses: Address[];
  /** per position: null = wildcard, else any of the listed topics */
  topics: (Hex[] | null)[];
  blockHash?: Hex;
}

/** A log with its position, as eth_getLogs returns it. */
export interface LocatedLog extends Log {
  blockNumber: bigint;
  blockHash: Hex;
  transactionHash: Hex;
  transactionIndex: number;
  logIndex: number;
}

export interface StateProofJson {
  key: Hex;
  value: Hex | null;
  stateRoot: Hex;
  blockNumber: bigint;
  /** verifiable with state-machine's verifyStateProof(stateRoot, key, value, proof) */
  proof: StateProof;
}

export interface SyncStatus {
  role: 'sequencer' | 'follower';
  headNumber: bigint;
  headHash: Hex;
  /** highest block known from peers or L1; equals headNumber when caught up */
  targetNumber: bigint;
  pendingTxs: number;
  snapshotNumber: bigint | null;
  /** connected p2p peers; absent when the node runs without the network */
  peers?: number;
}

export interface FeeHistory {
  oldestBlock: bigint;
  baseFeePerGas: bigint[];
  gasUsedRatio: number[];
  reward?: bigint[][];
}

/**
 * Events: 'block' (block: Block, receipts: Receipt[]) once a block is sealed or imported and its
 * indexes are readable; 'pendingTx' (hash: Hex) when a transaction enters the pool.
 *
 * Conventions the server relies on:
 * - getBlock('pending') may return the latest block (Verity seals on a timer; there is no pending block).
 * - Numbers above headNumber() never reach the state reads: the server answers "header not found".
 * - Errors: throw a VerityError with geth's text ("nonce too low") — the server returns -32000 with
 *   that message. Anything else becomes -32603 and is logged.
 * - eth_call reverts are CallResult.status 0 (not a throw); the server turns them into code 3.
 */
export interface RpcBackend {
  readonly chainId: bigint;
  readonly clientVersion: string;
  readonly events: EventEmitter;

  headNumber(): bigint;
  getBlock(tag: BlockTag | Hex): Promise<Block | undefined>;
  getReceipts(blockNumber: bigint): Promise<Receipt[] | undefined>;
  getTransaction(hash: Hex): Promise<{ tx: SignedTx; location: TxLocation | null } | undefined>;
  getReceipt(hash: Hex): Promise<{ receipt: Receipt; tx: SignedTx; location: TxLocation } | undefined>;
  getLogs(filter: LogFilter): Promise<LocatedLog[]>;

  getBalance(address: Address, tag: BlockTag): Promise<bigint>;
  getNonce(address: Address, tag: BlockTag): Promise<bigint>;
  getCode(address: Address, tag: BlockTag): Promise<Hex>;
  call(msg: CallMsg, tag: BlockTag): Promise<CallResult>;
  estimateGas(msg: CallMsg, tag: BlockTag): Promise<bigint>;
  getProof(key: Bytes, tag: BlockTag): Promise<StateProofJson>;

  /** Validates and pools a raw transaction; throws a VerityError with a geth-compatible message. */
  sendRawTransaction(raw: Bytes): Promise<Hex>;
  /** Pooled transactions, for newPendingTransactions and 'pending' queries. */
  pendingTransactions(): SignedTx[];

  gasPrice(): bigint;
  maxPriorityFeePerGas(): bigint;
  feeHistory(blockCount: number, newest: BlockTag, percentiles: number[]): Promise<FeeHistory>;
  accounts(): Address[];
  syncStatus(): SyncStatus;

  /**
   * Optional: a block's transactions decoded with their stored senders (no ecrecover), for
   * full-transaction block queries. Without it the server decodes the raw bytes itself.
   */
  getBlockTransactions?(blockNumber: bigint): Promise<SignedTx[] | undefined>;

  /**
   * Optional: the node's metrics in the Prometheus text format (e.g. `() => registry.render()`),
   * appended to the server's own on /metrics.
   */
  metricsText?(): string | Promise<string>;

  /**
   * Devnet only (`verity devnet --unlocked`): accounts whose keys the node holds. eth_accounts lists
   * them and eth_sendTransaction signs for them; absent, eth_accounts is accounts() and
   * eth_sendTransaction is refused.
   */
  unlocked?: UnlockedAccounts;
}

/** A transaction eth_sendTransaction has filled in, ready to sign. */
export interface TxToSign {
  chainId: bigint;
  from: Address;
  to: Address;
  nonce: bigint;
  value: bigint;
  data: Bytes;
  gasLimit: bigint;
  /** 2: EIP-1559; 0: legacy with gasPrice = maxFeePerGas */
  type: 0 | 2;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

export interface UnlockedAccounts {
  /** what eth_accounts returns */
  addresses(): Address[];
  /** The raw signed transaction; `tx.from` is one of addresses(). */
  sign(tx: TxToSign): Bytes;
}
