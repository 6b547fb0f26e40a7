// Block hash and sequencer signature.
//   hash = keccak256(RLP([number, parentHash, timestamp, l1OriginNumber, l1OriginHash, stateRoot,
//          txRoot, receiptsRoot, withdrawalsRoot, logsBloom, gasUsed, gasLimit, baseFee, sequencer]))
// integers as minimal big-endian bytes (0 = empty), hashes/bloom/address as raw bytes.
// signature = secp256k1 over that hash, 65 bytes r ‖ s ‖ v with v = 27 + recovery id.
import { RLP } from '@ethereumjs/rlp';
import { bigIntToUnpaddedBytes } from '@ethereumjs/util';
import { bytesToHex, hexToBytes, keccak256, type Hex } from '../crypto/hash.ts';
import { recoverDigestSigner } from '../tx/recover.ts';
import type { BlockHeader } from './types.ts';
import type { Address } from '../types.ts';

export function blockHash(h: BlockHeader): Hex {
  const u = bigIntToUnpaddedBytes;
  const b = hexToBytes;
  return bytesToHex(
    keccak256(
      RLP.encode([
        u(h.number),
        b(h.parentHash),
        u(h.timestamp),
        u(h.l1OriginNumber),
        b(h.l1OriginHash),
        b(h.stateRoot),
        b(h.txRoot),
        b(h.receiptsRoot),
        b(h.withdrawalsRoot),
        b(h.logsBloom),
        u(h.gasUsed),
        u(h.gasLimit),
        u(h.baseFee),
        b(h.sequencer),
      ]),
    ),
  );
}

/** Address that signed the header, or null when the signature is malformed. */
export function blockSigner(h: BlockHeader): Address | null {
  try {
    return recoverDigestSigner(hexToBytes(blockHash(h)), hexToBytes(h.signature));
  } catch {
    return null;
  }
}
