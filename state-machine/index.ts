// Public API of the deterministic chain core. node/, rpc/, bridge/ and worker/ import from here.
export type { Bytes, Hex } from './crypto/hash.ts';
export type { Address, Log } from './types.ts';
export type { AccessListItem, Block, BlockHeader, CallMsg, CallResult, Receipt, SignedTx } from './chain/types.ts';

// chain state, blocks, fees
export { ChainState, GasAllowanceError, MODULES, ZERO_ADDRESS } from './chain/state.ts';
export {
  applyBlock,
  applyDecodedBlock,
  receiptsRootOf,
  txRootOf,
  blockEnvFromHeader,
  buildBlock,
  genesisBlock,
  nextBlockEnv,
  EMPTY_BLOOM,
  EMPTY_WITHDRAWALS_ROOT,
  WITHDRAWALS_TREE_DEPTH,
  type BuildEnv,
  type BuildResult,
  type SkippedTx,
} from './chain/block.ts';
export { blockHash, blockSigner } from './chain/header.ts';
export { effectiveGasPrice, intrinsicGas, nextBaseFee } from './chain/fees.ts';
export { checkTxValidity, runMessage, type ExecutionState, type Message, type MessageResult } from './chain/execute.ts';
export { bloomAdd, bloomMayContain, bloomOr, logsBloom } from './chain/bloom.ts';
export { encodeReceipt } from './chain/receipt.ts';
export { BlockBuildError, BlockInvalidError, SupplyInvariantError, TxInvalidError, type TxInvalidCode } from './chain/errors.ts';

// transactions
export { decodeTransaction, decodeBlockTransaction, recoverSender, recoverSenders, MAX_TX_BYTES } from './tx/decode.ts';
export { DEPOSIT_TX_TYPE, ETH_TOKEN, encodeDepositTx, decodeDepositTx, type Deposit } from './tx/deposit.ts';
export { TxDecodeError, type TxDecodeCode } from './tx/errors.ts';
export { chainCommon } from './tx/common.ts';
export { privateKeyToAddress, recoverDigestSigner, recoveryBackend, signDigest } from './tx/recover.ts';

// state store and proofs
export { StateStore, StoreError } from './store/store.ts';
export { verifyStateProof, type StateProof } from './store/proof.ts';

// modules
export { DEFAULT_FEE_VAULT, MODULE_ADDRESSES, MODULE_CODE, MODULE_PREFIX, type ModuleName } from './modules/addresses.ts';
export type { BlockEnv, CallContext, HookContext, MethodMeta, Module } from './modules/framework.ts';
export { ModuleRegistry, decodeCall } from './modules/framework.ts';
export { OutOfGasError, RevertError, decodeRevertReason, panic, PANIC_ARITHMETIC } from './modules/revert.ts';
export { eventLog } from './modules/events.ts';
export { accountsAbi } from './modules/accounts/abi.ts';
export { accountKey, SUPPLY_KEY } from './modules/accounts/keys.ts';
export { stakeAbi } from './modules/stake/abi.ts';
export { stakerKey, unbondingKey } from './modules/stake/keys.ts';

// shared helpers re-exported for convenience
export { VerityError, ValidationError } from './errors.ts';
