// Gas and fee rules: intrinsic gas (Ethereum's, without contract creation), the EIP-1559 base fee,
// and the effective gas price. Fees go whole to the fee vault (no burn).
import type { BaseFeeParams } from '../genesis.ts';
import type { AccessListItem, BlockHeader } from './types.ts';

export const TX_BASE_GAS = 21_000n;
export const CALLDATA_ZERO_GAS = 4n;
export const CALLDATA_NONZERO_GAS = 16n;
export const ACCESS_LIST_ADDRESS_GAS = 2_400n;
export const ACCESS_LIST_STORAGE_KEY_GAS = 1_900n;

export function calldataGas(data: Uint8Array): bigint {
  let zeros = 0;
  for (let i = 0; i < data.length; i++) if (data[i] === 0) zeros++;
  return BigInt(zeros) * CALLDATA_ZERO_GAS + BigInt(data.length - zeros) * CALLDATA_NONZERO_GAS;
}

/** 21000 + calldata (4 per zero byte, 16 per other) + access list (2400 per address, 1900 per key). */
export function intrinsicGas(tx: { data: Uint8Array; accessList?: readonly AccessListItem[] }): bigint {
  let g = TX_BASE_GAS + calldataGas(tx.data);
  for (const item of tx.accessList ?? []) {
    g += ACCESS_LIST_ADDRESS_GAS + BigInt(item.storageKeys.length) * ACCESS_LIST_STORAGE_KEY_GAS;
  }
  return g;
}

/** EIP-1559 base fee of the child of `parent`, floored at params.min. */
export function nextBaseFee(parent: Pick<BlockHeader, 'baseFee' | 'gasUsed' | 'gasLimit'>, params: BaseFeeParams): bigint {
  const target = parent.gasLimit / params.elasticityMultiplier;
  let fee: bigint;
  if (parent.gasUsed === target || target === 0n) {
    fee = parent.baseFee;
  } else if (parent.gasUsed > target) {
    const delta = (parent.baseFee * (parent.gasUsed - target)) / target / params.changeDenominator;
    fee = parent.baseFee + (delta > 1n ? delta : 1n);
  } else {
    const delta = (parent.baseFee * (target - parent.gasUsed)) / target / params.changeDenominator;
    fee = parent.baseFee - delta;
  }
  return fee < params.min ? params.min : fee;
}

/** min(maxFeePerGas, baseFee + maxPriorityFeePerGas); legacy transactions pay gasPrice. */
export function effectiveGasPrice(tx: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }, baseFee: bigint): bigint {
  const withTip = baseFee + tx.maxPriorityFeePerGas;
  return withTip < tx.maxFeePerGas ? withTip : tx.maxFeePerGas;
}
