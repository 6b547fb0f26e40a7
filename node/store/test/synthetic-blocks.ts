// Deterministic blocks for storage tests: fields are well-formed but carry no chain semantics,
// which is all the event log looks at (numbers, hashes, receipts, logs).
import { bytesToHex, concatBytes, keccak256, type Hex } from '../../../state-machine/crypto/hash.ts';
import { logsBloomHex } from '../../../state-machine/chain/bloom.ts';
import type { Block, Receipt } from '../../../state-machine/chain/types.ts';
import type { Address, Log } from '../../../state-machine/types.ts';
import { u64 } from '../keys.ts';
import type { BlockWrite } from '../event-log.ts';

export const ZERO32: Hex = `0x${'00'.repeat(32)}`;
export const LOG_ADDRESS: Address = '0x0000000000000000000000000000000000000a03';
export const TOPIC_EVEN: Hex = bytesToHex(keccak256(new TextEncoder().encode('Even()')));

export function txHashOf(n: bigint, i: number): Hex {
  return bytesToHex(keccak256(concatBytes(u64(n), u64(BigInt(i)))));
}

export function blockHashOf(n: bigint): Hex {
  return bytesToHex(keccak256(concatBytes(new TextEncoder().encode('block'), u64(n))));
}

/** Block n with `txs` transactions; txs with an even index emit one log. */
export function syntheticBlock(n: bigint, txs: number): BlockWrite {
  const transactions = Array.from({ length: txs }, (_, i) => concatBytes(u64(n), u64(BigInt(i))));
  const receipts: Receipt[] = transactions.map((_, i) => {
    const logs: Log[] = i % 2 === 0 ? [{ address: LOG_ADDRESS, topics: [TOPIC_EVEN, txHashOf(n, i)], data: '0x01' }] : [];
    return { txHash: txHashOf(n, i), status: 1, gasUsed: 21_000n, cumulativeGasUsed: 21_000n * BigInt(i + 1), effectiveGasPrice: 1_000_000_000n, logs, logsBloom: logsBloomHex(logs) };
  });
  const block: Block = {
    hash: blockHashOf(n),
    header: {
      number: n,
      parentHash: n === 0n ? ZERO32 : blockHashOf(n - 1n),
      timestamp: 1_700_000_000n + n,
      l1OriginNumber: 0n,
      l1OriginHash: ZERO32,
      stateRoot: ZERO32,
      txRoot: ZERO32,
      receiptsRoot: ZERO32,
      withdrawalsRoot: ZERO32,
      logsBloom: `0x${'00'.repeat(256)}`,
      gasUsed: 21_000n * BigInt(txs),
      gasLimit: 30_000_000n,
      baseFee: 1_000_000_000n,
      sequencer: '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266',
      signature: '0x',
    },
    transactions,
  };
  return { block, senders: transactions.map(() => '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'), receipts };
}
