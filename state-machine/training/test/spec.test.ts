import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '../../errors.ts';
import { bitsOf } from '../../repops/f32.ts';
import { parseF32 } from '../f32-param.ts';
import { canonicalSpecJson, parseTaskSpec, specHashHex } from '../spec-validate.ts';

function base(): Record<string, unknown> {
  return {
    version: 1,
    name: 'digits-mlp',
    model: { kind: 'mlp', layers: [64, 32, 10] },
    dataset: {
      name: 'digits',
      format: 'csv',
      root: `0x${'ab'.repeat(32)}`,
      path: 'digits.csv.gz',
      samples: 1797,
      test: 297,
      inputScale: '0.0625',
    },
    optimizer: { kind: 'sgd-momentum', lr: '0.05', momentum: 0.9 },
    steps: 100,
    batchSize: 32,
    seed: '42',
    checkpointInterval: 10,
  };
}

function fieldOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof ValidationError) return e.field;
    throw e;
  }
  throw new Error('no error');
}

function withField(path: string[], value: unknown): Record<string, unknown> {
  const s = base();
  let o: Record<string, unknown> = s;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string, unknown>;
  o[path[path.length - 1]] = value;
  return s;
}

describe('task spec validation', () => {
  it('accepts a good spec and turns floats into f32 by the defined path', () => {
    const spec = parseTaskSpec(base());
    expect(spec.optimizer.lr).toBe(Math.fround(0.05));
    expect(spec.dataset.inputScale).toBe(0.0625);
    expect(spec.seed).toBe(42n);
  });

  it.each([
    [['version'], 2, 'version'],
    [['model', 'kind'], 'rnn', 'model.kind'],
    [['model', 'layers'], [64], 'model.layers'],
    [['model', 'layers'], [64, 0, 10], 'model.layers[1]'],
    [['dataset', 'root'], '0x12', 'dataset.root'],
    [['dataset', 'format'], 'parquet', 'dataset.format'],
    [['dataset', 'test'], 1797, 'dataset.test'],
    [['optimizer', 'lr'], 'fast', 'optimizer.lr'],
    [['optimizer', 'lr'], 0, 'optimizer.lr'],
    [['optimizer', 'lr'], '1e60', 'optimizer.lr'],
    [['optimizer', 'momentum'], 1, 'optimizer.momentum'],
    [['optimizer', 'kind'], 'lbfgs', 'optimizer.kind'],
    [['steps'], 0, 'steps'],
    [['steps'], 1.5, 'steps'],
    [['batchSize'], 1501, 'batchSize'],
    [['seed'], -1, 'seed'],
    [['seed'], '18446744073709551616', 'seed'],
    [['checkpointInterval'], 101, 'checkpointInterval'],
    [['extra'], 1, 'extra'],
  ])('rejects %j = %j naming the field', (path, value, field) => {
    expect(fieldOf(() => parseTaskSpec(withField(path as string[], value)))).toBe(field);
  });

  it('checks model-specific structure', () => {
    expect(
      fieldOf(() => parseTaskSpec(withField(['model'], { kind: 'cnn', input: [1, 6, 6], convs: [4, 4], hidden: [], classes: 10 }))),
    ).toBe('model.convs[1]');
    expect(
      fieldOf(() =>
        parseTaskSpec(withField(['model'], { kind: 'transformer', vocab: 256, dModel: 30, heads: 4, layers: 1, context: 8, ff: 32 })),
      ),
    ).toBe('model.heads');
    expect(
      fieldOf(() =>
        parseTaskSpec(withField(['model'], { kind: 'transformer', vocab: 256, dModel: 32, heads: 4, layers: 1, context: 8, ff: 32 })),
      ),
    ).toBe('dataset.format');
  });

  it('canonical JSON round-trips to the same spec and hash', () => {
    const spec = parseTaskSpec(base());
    const again = parseTaskSpec(JSON.parse(canonicalSpecJson(spec)));
    expect(again).toEqual(spec);
    expect(specHashHex(again)).toBe(specHashHex(spec));
    const other = parseTaskSpec(withField(['seed'], 43));
    expect(specHashHex(other)).not.toBe(specHashHex(spec));
  });

  it('never throws anything but ValidationError on hostile input', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom('model', 'dataset', 'optimizer', 'steps', 'seed', 'batchSize'), (v, key) => {
        try {
          parseTaskSpec({ ...base(), [key]: v });
        } catch (e) {
          expect(e).toBeInstanceOf(ValidationError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('spec floats', () => {
  it('bit patterns are exact and decimals go through f64 then f32', () => {
    expect(bitsOf(parseF32('0x3d4ccccd', 'x'))).toBe(0x3d4ccccd);
    expect(parseF32('0.1', 'x')).toBe(Math.fround(0.1));
    expect(parseF32(0.1, 'x')).toBe(Math.fround(0.1));
    expect(() => parseF32('0.1f', 'x')).toThrow(ValidationError);
    expect(() => parseF32('1e39', 'x')).toThrow(ValidationError);
  });
});
