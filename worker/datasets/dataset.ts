// An in-memory, content-addressed data set: every sample is (features x, label y), stored packed.
// Sample i's tensors are views into the packed arrays, so gathering a batch is a copy, not a parse.
import { numel, type Tensor } from '../../state-machine/repops/tensor.ts';

export interface Dataset {
  name: string;
  count: number;
  xDtype: 'f32' | 'i32';
  /** shape of one sample's features, e.g. [64] or [28, 28] or [context] */
  xShape: number[];
  /** shape of one sample's label: [] for a class, [context] for next-token targets */
  yShape: number[];
  /** all features, sample-major */
  x: Float32Array | Int32Array;
  /** all labels, sample-major */
  y: Int32Array;
}

export function sampleX(ds: Dataset, i: number): Tensor {
  const n = numel(ds.xShape);
  const data = ds.x.subarray(i * n, (i + 1) * n);
  return ds.xDtype === 'f32'
    ? { dtype: 'f32', shape: ds.xShape.slice(), data: data as Float32Array }
    : { dtype: 'i32', shape: ds.xShape.slice(), data: data as Int32Array };
}

export function sampleY(ds: Dataset, i: number): Tensor {
  const n = numel(ds.yShape);
  return { dtype: 'i32', shape: ds.yShape.slice(), data: ds.y.subarray(i * n, (i + 1) * n) };
}
