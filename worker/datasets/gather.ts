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
  const samples = ref.samples;
  for (let r = 0; r < samples.length; r++) {
    const s = samples[r];
    if (!Number.isSafeInteger(s) || s < 0 || s >= ds.count) throw new DatasetError(`sample ${s} outside 0..${ds.count - 1}`);
    const from = s * per;
    const to = r * per;
    // short rows copy faster element by element than through a subarray view
    if (per < 256) for (let i = 0; i < per; i++) out[to + i] = src[from + i];
    else out.set(src.subarray(from, from + per), to);
  }
  return out instanceof Float32Array ? tensorF32(ref.shape, out) : tensorI32(ref.shape, out);
}

export function dataSource(ds: Dataset): DataSource {
  return { gather: (ref) => gather(ds, ref) };
}
