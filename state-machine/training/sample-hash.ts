// Data set content addressing. sampleHash_i = sha256(utf8("verity/sample/v1") ‖ tensorHash(x_i) ‖
// tensorHash(y_i)); the data set root is merkleRoot(sampleHash_0 … sampleHash_{n-1}) over training
// then test samples. The tag keeps a sample hash from ever equalling an inner Merkle node's input.
import { sha256, type Bytes } from '../crypto/hash.ts';
import { MerkleTree } from '../merkle/tree.ts';
import { tensorHash } from '../repops/tensor-hash.ts';
import type { Tensor } from '../repops/tensor.ts';

const SAMPLE_TAG = new TextEncoder().encode('verity/sample/v1');

export function sampleHash(x: Tensor, y: Tensor): Bytes {
  return sha256(SAMPLE_TAG, tensorHash(x), tensorHash(y));
}

export function datasetTree(sampleHashes: readonly Bytes[]): MerkleTree {
  return new MerkleTree(sampleHashes);
}
