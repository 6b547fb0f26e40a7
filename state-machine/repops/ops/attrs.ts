// Attribute readers and input checks shared by the tensor-level ops. Attributes are a small JSON-able
// record; float32 values travel as their u32 bit pattern (attr `lr: 0x3a83126f`), never as decimals,
// so a step graph hashes and replays them exactly.
import { AttrError, ShapeError } from '../errors.ts';
import type { Tensor, F32Tensor, I32Tensor } from '../tensor.ts';
import { expectF32, expectI32 } from '../tensor.ts';
import { f32 } from '../f32.ts';

export type AttrValue = number | boolean | string | readonly number[];
export type Attrs = Readonly<Record<string, AttrValue>>;

export function checkArity(op: string, inputs: readonly Tensor[], min: number, max: number = min): void {
  if (inputs.length < min || inputs.length > max) {
    throw new ShapeError(op, `expects ${min === max ? min : `${min}..${max}`} inputs, got ${inputs.length}`);
  }
}

export function f32In(op: string, inputs: readonly Tensor[], i: number, name: string): F32Tensor {
  return expectF32(op, inputs[i], name);
}

export function i32In(op: string, inputs: readonly Tensor[], i: number, name: string): I32Tensor {
  return expectI32(op, inputs[i], name);
}

export function intAttr(op: string, attrs: Attrs, name: string, min: number, dflt?: number): number {
  const v = attrs[name];
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw new AttrError(op, name, `must be an integer >= ${min}`);
  return v;
}

export function boolAttr(op: string, attrs: Attrs, name: string, dflt: boolean): boolean {
  const v = attrs[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new AttrError(op, name, 'must be a boolean');
  return v;
}

/** A float32 attribute given as its u32 bit pattern. */
export function f32Attr(op: string, attrs: Attrs, name: string, dfltBits?: number): number {
  const v = attrs[name] ?? dfltBits;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw new AttrError(op, name, 'must be a float32 bit pattern (u32 integer)');
  }
  return f32(v);
}

/** A float32 attribute that must be finite (learning rates, eps, probabilities). */
export function finiteF32Attr(op: string, attrs: Attrs, name: string, dfltBits?: number): number {
  const x = f32Attr(op, attrs, name, dfltBits);
  if (!Number.isFinite(x)) throw new AttrError(op, name, 'must be finite');
  return x;
}

export function shapeAttr(op: string, attrs: Attrs, name: string): number[] {
  const v = attrs[name];
  if (!Array.isArray(v) || !v.every((d: unknown) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    throw new AttrError(op, name, 'must be an array of non-negative integers');
  }
  return [...(v as readonly number[])];
}

/** Seed: a safe integer or a decimal / 0x-hex string below 2^64. */
export function seedAttr(op: string, attrs: Attrs, name: string): string | number {
  const v = attrs[name];
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^(0x[0-9a-fA-F]{1,16}|[0-9]{1,20})$/.test(v)) return v;
  throw new AttrError(op, name, 'must be a non-negative integer or a decimal/0x-hex string < 2^64');
}

export function rank(op: string, t: Tensor, r: number, name: string): void {
  if (t.shape.length !== r) throw new ShapeError(op, `${name} must have rank ${r}, got [${t.shape.join(',')}]`);
}

export function minRank(op: string, t: Tensor, r: number, name: string): void {
  if (t.shape.length < r) throw new ShapeError(op, `${name} must have rank >= ${r}, got [${t.shape.join(',')}]`);
}

export function product(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

/** [rows, cols] view of a tensor over its last axis. */
export function lastAxis(t: Tensor): [number, number] {
  const cols = t.shape.length === 0 ? 1 : t.shape[t.shape.length - 1];
  return [cols === 0 ? 0 : t.data.length / cols, cols];
}
