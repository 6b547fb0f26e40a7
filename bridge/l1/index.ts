// The L1 side of the bridge, for the node and the devnet:
// - startEmbeddedL1: a development L1 in process (see docs/l1.md);
// - L1Client: any Ethereum JSON-RPC with timeouts, retry, answer validation and reorg detection.
export { startEmbeddedL1, devAccounts, DEV_MNEMONIC, type EmbeddedL1, type EmbeddedL1Options } from './embedded/index.ts';
export type { DevAccount, BlockRecord, ReceiptRecord, LogRecord, EmbeddedChain } from './embedded/chain.ts';
export * from './errors.ts';
export {
  L1Client,
  L1HeadTracker,
  parseBlock,
  parseLog,
  type L1Block,
  type L1Log,
  type L1ClientOptions,
  type LogQuery,
  type BlockTag,
  type HeadUpdate,
  type HeadTrackerOptions,
  type Reorg,
} from './client.ts';
