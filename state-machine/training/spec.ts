// The task spec: everything that fixes a training run. The step graph, the initial state and every
// commitment are pure functions of it, so the chain and the worker derive the same ones.
import type { Hex } from '../crypto/hash.ts';

export interface MlpModel {
  kind: 'mlp';
  /** layer widths, input first, classes last: [64, 128, 10] */
  layers: number[];
}

export interface CnnModel {
  kind: 'cnn';
  /** input image [channels, height, width] */
  input: [number, number, number];
  /** output channels of each conv3x3 (padding 1, stride 1) → relu → maxpool 2x2 block */
  convs: number[];
  /** widths of the hidden dense layers after flattening (may be empty) */
  hidden: number[];
  classes: number;
}

export interface TransformerModel {
  kind: 'transformer';
  vocab: number;
  dModel: number;
  heads: number;
  layers: number;
  context: number;
  /** hidden width of each block's feed-forward layer */
  ff: number;
}

export type ModelSpec = MlpModel | CnnModel | TransformerModel;

export type DatasetFormat = 'csv' | 'idx' | 'text-bytes';

export interface DatasetRef {
  name: string;
  format: DatasetFormat;
  /** content root: merkleRoot(sampleHash_i) over every sample, training then test (0x + 64 hex) */
  root: Hex;
  /** where a worker may find the files; not part of the commitment's meaning */
  path: string;
  /** total number of samples (training + test) */
  samples: number;
  /** the last `test` samples are the test split, never trained on */
  test: number;
  /** f32 multiplier applied to the input features as the first op (e.g. 1/16 for 0..16 pixels) */
  inputScale: number;
}

export interface SgdMomentum {
  kind: 'sgd-momentum';
  lr: number;
  momentum: number;
  weightDecay: number;
}

export interface AdamW {
  kind: 'adamw';
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

export type OptimizerSpec = SgdMomentum | AdamW;

/** A validated spec. Every float field holds an exact float32 value. */
export interface TaskSpec {
  version: 1;
  name: string;
  model: ModelSpec;
  dataset: DatasetRef;
  optimizer: OptimizerSpec;
  /** number of training steps T */
  steps: number;
  batchSize: number;
  /** RNG seed, 0 ≤ seed < 2^64 */
  seed: bigint;
  /** checkpoint interval k */
  checkpointInterval: number;
}
