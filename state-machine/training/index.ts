// Public API of the training core: what the worker trains with and the chain's referee checks with.
export type { TaskSpec, ModelSpec, MlpModel, CnnModel, TransformerModel, DatasetRef, DatasetFormat, OptimizerSpec, SgdMomentum, AdamW } from './spec.ts';
export { parseTaskSpec, canonicalSpecJson, specHash, specHashHex, modelInputSize } from './spec-validate.ts';
export { parseF32 } from './f32-param.ts';
export type { GraphOp, InputRef, StepGraph, StateSlot, Attrs } from './graph.ts';
export { stepGraph, evalGraph, stateLayout, modelParams } from './step-graph.ts';
export { initGraph } from './init.ts';
export { batchIndices, testIndices, trainCount, SHUFFLE_STREAM_BASE } from './batches.ts';
export { runOps, runStep, resolveInput, constTensor, type DataSource, type DataRef, type OpVisitor, type StepResult } from './executor.ts';
export { StepRunner } from './step-runner.ts';
export { stateRoot, stateTree, traceTree, opLeaf, opTree, checkpointSteps, checkpointLeafIndex, segmentSteps } from './commitments.ts';
export { sampleHash, datasetTree } from './sample-hash.ts';
export { verifyStateTensor, verifyOpLeaf, verifySample, verifyCheckpoint } from './proofs.ts';
export { TrainingError } from './errors.ts';
