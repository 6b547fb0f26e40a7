// Builds and signs raw transactions for devnet tools (the ingest benchmark, tests, scripts) with the
// native libsecp256k1 signer (several times faster than the libraries' own noble path).
import { createFeeMarket1559Tx, createLegacyTx } from '@ethereumjs/tx';
import { bytesToUint, type Bytes, type Hex } from '../../state-machine/crypto/hash.ts';
import { signDigest } from '../../state-machine/tx/recover.ts';
import { chainCommon } from '../../state-machine/tx/common.ts';
import type { Address } from '../../state-machine/types.ts';

export interface TxFields {
  chainId: bigint;
  nonce: bigint;
  to: Address;
  value?: bigint;
  data?: Bytes | Hex;
  gasLimit: bigint;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  /** 2 = EIP-1559 (default), 0 = legacy EIP-155 with gasPrice = maxFeePerGas */
  type?: 0 | 2;
}

/** The signed raw transaction (typed envelope or legacy RLP). */
export function signTx(f: TxFields, privateKey: Bytes): Bytes {
  const common = chainCommon(f.chainId);
  const base = { nonce: f.nonce, to: f.to, value: f.value ?? 0n, data: f.data ?? '0x', gasLimit: f.gasLimit };
  if (f.type === 0) {
    const tx = createLegacyTx({ ...base, gasPrice: f.maxFeePerGas }, { common });
    const sig = signDigest(tx.getHashedMessageToSign(), privateKey);
    const v = BigInt(sig[64] - 27) + 35n + 2n * f.chainId;
    return tx.addSignature(v, bytesToUint(sig.subarray(0, 32)), bytesToUint(sig.subarray(32, 64))).serialize();
  }
  const tx = createFeeMarket1559Tx(
    { ...base, chainId: f.chainId, maxFeePerGas: f.maxFeePerGas, maxPriorityFeePerGas: f.maxPriorityFeePerGas },
    { common },
  );
  const sig = signDigest(tx.getHashedMessageToSign(), privateKey);
  return tx.addSignature(BigInt(sig[64] - 27), bytesToUint(sig.subarray(0, 32)), bytesToUint(sig.subarray(32, 64))).serialize();
}
