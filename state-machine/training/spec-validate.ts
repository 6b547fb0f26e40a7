// Parses untrusted JSON into a TaskSpec. Every error is a ValidationError naming the dotted field.
import { ValidationError } from '../errors.ts';
import { bytesToHex, sha256, type Bytes, type Hex } from '../crypto/hash.ts';
import { bitsOf } from '../repops/f32.ts';
import { parseF32 } from './f32-param.ts';
import type {
  DatasetFormat,
  DatasetRef,
  ModelSpec,
  OptimizerSpec,
  TaskSpec,
} from './spec.ts';

type Obj = Record<string, unknown>;

const MAX_DIM = 1 << 16;
const MAX_STEPS = 10_000_000;
const MAX_SAMPLES = 1 << 21; // batch selection draws indices exactly in double arithmetic below this

function obj(v: unknown, field: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ValidationError(field, 'must be an object');
  return v as Obj;
}

function noExtraKeys(o: Obj, allowed: readonly string[], field: string): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw new ValidationError(field ? `${field}.${k}` : k, 'unknown field');
  }
}

function int(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new ValidationError(field, 'must be an integer');
  if (v < min || v > max) throw new ValidationError(field, `must be in ${min}..${max}`);
  return v;
}

function str(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 256) {
    throw new ValidationError(field, 'must be a non-empty string of at most 256 characters');
  }
  return v;
}

function intList(v: unknown, field: string, minLen: number): number[] {
  if (!Array.isArray(v) || v.length < minLen || v.length > 64) {
    throw new ValidationError(field, `must be an array of ${minLen}..64 integers`);
  }
  return v.map((x, i) => int(x, `${field}[${i}]`, 1, MAX_DIM));
}

function f32Field(o: Obj, key: string, field: string, min: number, max: number, minExclusive = false): number {
  const x = parseF32(o[key], `${field}.${key}`);
  if (x < min || x > max || (minExclusive && x === min)) {
    throw new ValidationError(`${field}.${key}`, `must be in ${minExclusive ? '(' : '['}${min}, ${max}]`);
  }
  return x;
}

function parseSeed(v: unknown, field: string): bigint {
  let s: bigint;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) s = BigInt(v);
  else if (typeof v === 'string' && /^(0|[1-9]\d{0,19}|0x[0-9a-fA-F]{1,16})$/.test(v)) s = BigInt(v);
  else throw new ValidationError(field, 'must be a non-negative integer, a decimal string or 0x hex');
  if (s >= 1n << 64n) throw new ValidationError(field, 'must be below 2^64');
  return s;
}

function parseModel(v: unknown): ModelSpec {
  const o = obj(v, 'model');
  switch (o.kind) {
    case 'mlp': {
      noExtraKeys(o, ['kind', 'layers'], 'model');
      return { kind: 'mlp', layers: intList(o.layers, 'model.layers', 2) };
    }
    case 'cnn': {
      noExtraKeys(o, ['kind', 'input', 'convs', 'hidden', 'classes'], 'model');
      const input = intList(o.input, 'model.input', 3);
      if (input.length !== 3) throw new ValidationError('model.input', 'must be [channels, height, width]');
      const convs = intList(o.convs, 'model.convs', 1);
      const hidden = Array.isArray(o.hidden) && o.hidden.length === 0 ? [] : intList(o.hidden, 'model.hidden', 1);
      let h = input[1];
      let w = input[2];
      for (let i = 0; i < convs.length; i++) {
        if (h % 2 !== 0 || w % 2 !== 0) {
          throw new ValidationError(`model.convs[${i}]`, `2x2 max-pool needs even height and width, got ${h}x${w}`);
        }
        h /= 2;
        w /= 2;
      }
      return {
        kind: 'cnn',
        input: [input[0], input[1], input[2]],
        convs,
        hidden,
        classes: int(o.classes, 'model.classes', 2, MAX_DIM),
      };
    }
    case 'transformer': {
      noExtraKeys(o, ['kind', 'vocab', 'dModel', 'heads', 'layers', 'context', 'ff'], 'model');
      const dModel = int(o.dModel, 'model.dModel', 1, 4096);
      const heads = int(o.heads, 'model.heads', 1, 64);
      if (dModel % heads !== 0) throw new ValidationError('model.heads', `must divide dModel (${dModel})`);
      return {
        kind: 'transformer',
        vocab: int(o.vocab, 'model.vocab', 2, MAX_DIM),
        dModel,
        heads,
        layers: int(o.layers, 'model.layers', 1, 64),
        context: int(o.context, 'model.context', 1, 4096),
        ff: int(o.ff, 'model.ff', 1, MAX_DIM),
      };
    }
    default:
      throw new ValidationError('model.kind', "must be 'mlp', 'cnn' or 'transformer'");
  }
}

const FORMATS: readonly DatasetFormat[] = ['csv', 'idx', 'text-bytes'];

function parseDataset(v: unknown): DatasetRef {
  const o = obj(v, 'dataset');
  noExtraKeys(o, ['name', 'format', 'root', 'path', 'samples', 'test', 'inputScale'], 'dataset');
  if (!FORMATS.includes(o.format as DatasetFormat)) {
    throw new ValidationError('dataset.format', `must be one of ${FORMATS.join(', ')}`);
  }
  if (typeof o.root !== 'string' || !/^0x[0-9a-f]{64}$/.test(o.root)) {
    throw new ValidationError('dataset.root', 'must be 0x followed by 64 lower-case hex digits');
  }
  const samples = int(o.samples, 'dataset.samples', 2, MAX_SAMPLES);
  const test = int(o.test, 'dataset.test', 1, samples - 1);
  return {
    name: str(o.name, 'dataset.name'),
    format: o.format as DatasetFormat,
    root: o.root as Hex,
    path: str(o.path, 'dataset.path'),
    samples,
    test,
    inputScale: o.inputScale === undefined ? 1 : f32Field(o, 'inputScale', 'dataset', 0, 1e30, true),
  };
}

function parseOptimizer(v: unknown): OptimizerSpec {
  const o = obj(v, 'optimizer');
  switch (o.kind) {
    case 'sgd-momentum':
      noExtraKeys(o, ['kind', 'lr', 'momentum', 'weightDecay'], 'optimizer');
      return {
        kind: 'sgd-momentum',
        lr: f32Field(o, 'lr', 'optimizer', 0, 10, true),
        momentum: o.momentum === undefined ? 0 : f32Field(o, 'momentum', 'optimizer', 0, 0.9999999),
        weightDecay: o.weightDecay === undefined ? 0 : f32Field(o, 'weightDecay', 'optimizer', 0, 1),
      };
    case 'adamw':
      noExtraKeys(o, ['kind', 'lr', 'beta1', 'beta2', 'eps', 'weightDecay'], 'optimizer');
      return {
        kind: 'adamw',
        lr: f32Field(o, 'lr', 'optimizer', 0, 10, true),
        beta1: o.beta1 === undefined ? Math.fround(0.9) : f32Field(o, 'beta1', 'optimizer', 0, 0.9999999),
        beta2: o.beta2 === undefined ? Math.fround(0.999) : f32Field(o, 'beta2', 'optimizer', 0, 0.9999999),
        eps: o.eps === undefined ? Math.fround(1e-8) : f32Field(o, 'eps', 'optimizer', 0, 1, true),
        weightDecay: o.weightDecay === undefined ? 0 : f32Field(o, 'weightDecay', 'optimizer', 0, 1),
      };
    default:
      throw new ValidationError('optimizer.kind', "must be 'sgd-momentum' or 'adamw'");
  }
}

/** Number of input features one sample carries for this model. */
export function modelInputSize(model: ModelSpec): number {
  switch (model.kind) {
    case 'mlp':
      return model.layers[0];
    case 'cnn':
      return model.input[0] * model.input[1] * model.input[2];
    case 'transformer':
      return model.context;
  }
}

export function parseTaskSpec(json: unknown): TaskSpec {
  const o = obj(json, 'spec');
  noExtraKeys(
    o,
    ['version', 'name', 'model', 'dataset', 'optimizer', 'steps', 'batchSize', 'seed', 'checkpointInterval'],
    '',
  );
  if (o.version !== 1) throw new ValidationError('version', 'must be 1');
  const model = parseModel(o.model);
  const dataset = parseDataset(o.dataset);
  const steps = int(o.steps, 'steps', 1, MAX_STEPS);
  const spec: TaskSpec = {
    version: 1,
    name: str(o.name, 'name'),
    model,
    dataset,
    optimizer: parseOptimizer(o.optimizer),
    steps,
    batchSize: int(o.batchSize, 'batchSize', 1, dataset.samples - dataset.test),
    seed: parseSeed(o.seed, 'seed'),
    checkpointInterval: int(o.checkpointInterval, 'checkpointInterval', 1, steps),
  };
  if (model.kind === 'transformer' && dataset.format !== 'text-bytes') {
    throw new ValidationError('dataset.format', "a transformer trains on 'text-bytes' data");
  }
  if (model.kind !== 'transformer' && dataset.format === 'text-bytes') {
    throw new ValidationError('dataset.format', "'text-bytes' data needs a transformer model");
  }
  if (model.kind === 'transformer' && model.vocab < 256) {
    throw new ValidationError('model.vocab', "must be at least 256 for 'text-bytes' tokens");
  }
  return spec;
}

/** Canonical JSON of a validated spec: fixed key order, floats as f32 bit patterns, seed as decimal. */
export function canonicalSpecJson(spec: TaskSpec): string {
  const f = (x: number): string => `0x${bitsOf(x).toString(16).padStart(8, '0')}`;
  const opt: Record<string, string> =
    spec.optimizer.kind === 'sgd-momentum'
      ? {
          kind: spec.optimizer.kind,
          lr: f(spec.optimizer.lr),
          momentum: f(spec.optimizer.momentum),
          weightDecay: f(spec.optimizer.weightDecay),
        }
      : {
          kind: spec.optimizer.kind,
          lr: f(spec.optimizer.lr),
          beta1: f(spec.optimizer.beta1),
          beta2: f(spec.optimizer.beta2),
          eps: f(spec.optimizer.eps),
          weightDecay: f(spec.optimizer.weightDecay),
        };
  return JSON.stringify({
    version: spec.version,
    name: spec.name,
    model: spec.model,
    dataset: { ...spec.dataset, inputScale: f(spec.dataset.inputScale) },
    optimizer: opt,
    steps: spec.steps,
    batchSize: spec.batchSize,
    seed: spec.seed.toString(),
    checkpointInterval: spec.checkpointInterval,
  });
}

/** sha256 of the canonical JSON: names a run (checkpoint store manifests) and a task on chain. */
export function specHash(spec: TaskSpec): Bytes {
  return sha256(new TextEncoder().encode(canonicalSpecJson(spec)));
}

export function specHashHex(spec: TaskSpec): Hex {
  return bytesToHex(specHash(spec));
}
