// Public surface of RepOps: tensors and their hash, the opcode table, backends and the RNG.
export type { Tensor, F32Tensor, I32Tensor, DType } from './tensor.ts';
export { tensorF32, tensorI32, zerosF32, scalarF32, numel, sameShape, cloneTensor, MAX_TENSOR_ELEMENTS } from './tensor.ts';
export { tensorHash, tensorHashHex } from './tensor-hash.ts';
export type { Kernels, KernelName } from './kernels.ts';
export { tsKernels } from './ts-kernels.ts';
export type { Backend, BackendName, WarnFn } from './backend.ts';
export { REFERENCE_BACKEND } from './reference.ts';
export { getBackend, availableBackends } from './backend.ts';
export type { OpDef, OpFn } from './opcodes.ts';
export { OPS, opByCode, opByName, runOp } from './opcodes.ts';
export type { Attrs, AttrValue } from './ops/attrs.ts';
export { PhiloxStream, philoxKey, permutation, uniformF32, normalF32 } from './rng.ts';
export { f32, bitsOf, fl } from './f32.ts';
export { RepOpsError, ShapeError, DTypeError, AttrError, UnknownOpError, IndexRangeError } from './errors.ts';
