// The RepOps tensor: row-major, contiguous, float32 or int32. Shapes are small arrays of
// non-negative safe integers; a scalar has shape [].
import { ShapeError, DTypeError } from './errors.ts';

export type DType = 'f32' | 'i32';

export interface F32Tensor {
  readonly dtype: 'f32';
  readonly shape: number[];
  readonly data: Float32Array;
}

export interface I32Tensor {
  readonly dtype: 'i32';
  readonly shape: number[];
  readonly data: Int32Array;
}

export type Tensor = F32Tensor | I32Tensor;

/** Largest tensor RepOps allocates (4 GiB of float32): a hostile shape fails with a ShapeError, not an OOM. */
export const MAX_TENSOR_ELEMENTS = 2 ** 30;

/** Number of elements of a shape (1 for a scalar). Throws on a malformed or oversized shape. */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw new ShapeError('tensor', `bad dimension ${String(d)}`);
    n *= d;
  }
  if (n > MAX_TENSOR_ELEMENTS) throw new ShapeError('tensor', `${n} elements exceed the limit of ${MAX_TENSOR_ELEMENTS}`);
  return n;
}

export function tensorF32(shape: readonly number[], data?: Float32Array | readonly number[]): F32Tensor {
  const n = numel(shape);
  const arr = data === undefined ? new Float32Array(n) : data instanceof Float32Array ? data : Float32Array.from(data);
  if (arr.length !== n) throw new ShapeError('tensor', `data has ${arr.length} elements, shape [${shape.join(',')}] needs ${n}`);
  return { dtype: 'f32', shape: [...shape], data: arr };
}

export function tensorI32(shape: readonly number[], data?: Int32Array | readonly number[]): I32Tensor {
  const n = numel(shape);
  const arr = data === undefined ? new Int32Array(n) : data instanceof Int32Array ? data : Int32Array.from(data);
  if (arr.length !== n) throw new ShapeError('tensor', `data has ${arr.length} elements, shape [${shape.join(',')}] needs ${n}`);
  return { dtype: 'i32', shape: [...shape], data: arr };
}

export function zerosF32(shape: readonly number[]): F32Tensor {
  return tensorF32(shape);
}

export function scalarF32(x: number): F32Tensor {
  return tensorF32([], [x]);
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function expectF32(op: string, t: Tensor, name: string): F32Tensor {
  if (t.dtype !== 'f32') throw new DTypeError(op, `${name} must be f32, got ${t.dtype}`);
  return t;
}

export function expectI32(op: string, t: Tensor, name: string): I32Tensor {
  if (t.dtype !== 'i32') throw new DTypeError(op, `${name} must be i32, got ${t.dtype}`);
  return t;
}

/** Deep copy (the data is copied, never shared). */
export function cloneTensor<T extends Tensor>(t: T): T {
  return { ...t, shape: [...t.shape], data: t.data.slice() } as T;
}
