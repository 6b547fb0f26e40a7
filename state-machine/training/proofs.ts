// Verifiers for the Merkle proofs the referee checks (pure; the worker's re-execution produces them):
//   a state tensor against C_t, an op leaf against opRoot_t, a data sample against the data set root,
//   a checkpoint C_t against traceRoot. Each pins the tree size, so no proof can claim a padding slot.
import type { Bytes } from '../crypto/hash.ts';
import { verifyMerkleProof, type MerkleProof } from '../merkle/tree.ts';
import { tensorHash } from '../repops/tensor-hash.ts';
import type { Tensor } from '../repops/tensor.ts';
import { checkpointLeafIndex, checkpointSteps, opLeaf } from './commitments.ts';
import { sampleHash } from './sample-hash.ts';

export function verifyStateTensor(stateRoot: Bytes, tensor: Tensor, index: number, stateCount: number, proof: MerkleProof): boolean {
  return proof.index === index && verifyMerkleProof(stateRoot, tensorHash(tensor), proof, stateCount);
}

export function verifyOpLeaf(opRoot: Bytes, j: number, opcode: number, outputHash: Bytes, opCount: number, proof: MerkleProof): boolean {
  return proof.index === j && verifyMerkleProof(opRoot, opLeaf(j, opcode, outputHash), proof, opCount);
}

export function verifySample(datasetRoot: Bytes, x: Tensor, y: Tensor, index: number, samples: number, proof: MerkleProof): boolean {
  return proof.index === index && verifyMerkleProof(datasetRoot, sampleHash(x, y), proof, samples);
}

export function verifyCheckpoint(traceRoot: Bytes, checkpoint: Bytes, step: number, steps: number, interval: number, proof: MerkleProof): boolean {
  const index = checkpointLeafIndex(step, steps, interval);
  if (index < 0 || proof.index !== index) return false;
  return verifyMerkleProof(traceRoot, checkpoint, proof, checkpointSteps(steps, interval).length);
}
