// Stacks data samples into the contiguous tensor a step graph's data reference names.
import { numel, tensorF32, tensorI32, type Tensor } from '../../state-machine/repops/tensor.ts';
import type { DataRef, DataSource } from '../../state-machine/training/executor.ts';
import type { Dataset } from './dataset.ts';
import { DatasetError } from './errors.ts';

export function gather(ds: Dataset, ref: DataRef): Tensor {
  const per = ref.field === 'x' ? numel(ds.xShape) : numel(ds.yShape);
  const total = per * ref.samples.length;
  if (numel(ref.shape) !== total) {
    throw new DatasetError(`data reference shape [${ref.shape.join(',')}] does not hold ${ref.samples.length} samples of ${per}`);
  }
  const src = ref.field === 'x' ? ds.x : ds.y;
  const out = ref.field === 'x' && ds.xDtype === 'f32' ? new Float32Array(total) : new Int32Array(total);
  ref.samples.forEach((s, r) => {
    if (!Number.isSafeInteger(s) || s < 0 || s >= ds.count) throw new DatasetError(`sample ${s} outside 0..${ds.count - 1}`);
    out.set(src.subarray(s * per, (s + 1) * per), r * per);
  });
  return out instanceof Float32Array ? tensorF32(ref.shape, out) : tensorI32(ref.shape, out);
}

export function dataSource(ds: Dataset): DataSource {
  return { gather: (ref) => gather(ds, ref) };
}
