// Loads the data set a spec names, checks its shape against the model and its content root against
// the spec, and keeps the sample Merkle tree for proofs.
import { isAbsolute, resolve } from 'node:path';
import { bytesToHex, type Bytes, type Hex } from '../../state-machine/crypto/hash.ts';
import type { MerkleTree } from '../../state-machine/merkle/tree.ts';
import { datasetTree, sampleHash } from '../../state-machine/training/sample-hash.ts';
import { modelInputSize } from '../../state-machine/training/spec-validate.ts';
import type { DatasetRef, ModelSpec, TaskSpec } from '../../state-machine/training/spec.ts';
import { loadCsv } from './csv.ts';
import { sampleX, sampleY, type Dataset } from './dataset.ts';
import { numel } from '../../state-machine/repops/tensor.ts';
import { DatasetError } from './errors.ts';
import { loadIdx } from './idx.ts';
import { loadTextBytes } from './text-bytes.ts';

export interface CommittedDataset {
  data: Dataset;
  tree: MerkleTree;
  root: Hex;
}

export function readDataset(ref: DatasetRef, model: ModelSpec, baseDir: string): Dataset {
  const file = isAbsolute(ref.path) ? ref.path : resolve(baseDir, ref.path);
  switch (ref.format) {
    case 'csv':
      return loadCsv(ref.name, file);
    case 'idx':
      return loadIdx(ref.name, file);
    case 'text-bytes':
      if (model.kind !== 'transformer') throw new DatasetError("'text-bytes' data needs a transformer model");
      return loadTextBytes(ref.name, file, model.context);
  }
}

export function commitDataset(data: Dataset): CommittedDataset {
  const hashes: Bytes[] = new Array<Bytes>(data.count);
  for (let i = 0; i < data.count; i++) hashes[i] = sampleHash(sampleX(data, i), sampleY(data, i));
  const tree = datasetTree(hashes);
  return { data, tree, root: bytesToHex(tree.root) };
}

/**
 * Loads and commits the spec's data set. With `checkRoot` (the default) a root or sample count
 * that differs from the spec is an error; turn it off only to compute the root for a new spec.
 */
export function loadSpecDataset(spec: TaskSpec, baseDir: string, checkRoot = true): CommittedDataset {
  const data = readDataset(spec.dataset, spec.model, baseDir);
  if (numel(data.xShape) !== modelInputSize(spec.model)) {
    throw new DatasetError(`${data.name}: a sample has ${numel(data.xShape)} features, the model takes ${modelInputSize(spec.model)}`);
  }
  const committed = commitDataset(data);
  if (checkRoot) {
    if (data.count !== spec.dataset.samples) {
      throw new DatasetError(`${data.name}: ${data.count} samples, spec says ${spec.dataset.samples}`);
    }
    if (committed.root !== spec.dataset.root) {
      throw new DatasetError(`${data.name}: content root ${committed.root} differs from the spec's ${spec.dataset.root}`, {
        expected: spec.dataset.root,
        actual: committed.root,
      });
    }
  }
  return committed;
}
