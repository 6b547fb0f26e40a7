import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseCsv } from '../datasets/csv.ts';
import { sampleX, sampleY } from '../datasets/dataset.ts';
import { DatasetError } from '../datasets/errors.ts';
import { gather } from '../datasets/gather.ts';
import { loadIdx, parseIdx } from '../datasets/idx.ts';
import { commitDataset, loadSpecDataset } from '../datasets/load.ts';
import { textBytesDataset } from '../datasets/text-bytes.ts';
import { readSpecFile } from '../trainer/spec-file.ts';
import { verifySample } from '../../state-machine/training/proofs.ts';
import { sampleProof } from '../trainer/reexecute.ts';
import { hexToBytes } from '../../state-machine/crypto/hash.ts';
import { tensorI32 } from '../../state-machine/repops/tensor.ts';

const dir = mkdtempSync(join(tmpdir(), 'verity-ds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function idx(dims: number[], data: number[]): Uint8Array {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = 0x08;
  head[3] = dims.length;
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(data)]);
}

describe('IDX loader', () => {
  it('reads train then t10k, gzipped or raw, as f32 images and i32 labels', () => {
    const imgs = (n: number, base: number) => idx([n, 2, 3], Array.from({ length: n * 6 }, (_, i) => (base + i) % 256));
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(imgs(3, 0)));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idx([3], [7, 8, 9]));
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), imgs(2, 100));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), gzipSync(idx([2], [1, 2])));
    const ds = loadIdx('tiny', dir);
    expect(ds.count).toBe(5);
    expect(ds.xShape).toEqual([2, 3]);
    expect(Array.from(sampleX(ds, 1).data)).toEqual([6, 7, 8, 9, 10, 11]);
    expect(Array.from(sampleX(ds, 3).data)).toEqual([100, 101, 102, 103, 104, 105]);
    expect(Array.from(ds.y)).toEqual([7, 8, 9, 1, 2]);
  });

  it('rejects malformed files with a DatasetError', () => {
    expect(() => parseIdx(new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]), 'f')).toThrow(DatasetError);
    expect(() => parseIdx(idx([4], [1, 2, 3]), 'f')).toThrow(DatasetError);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        try {
          parseIdx(b, 'fuzz');
        } catch (e) {
          expect(e).toBeInstanceOf(DatasetError);
        }
      }),
    );
  });
});

describe('CSV and text loaders', () => {
  it('CSV: features then label; bad rows are errors', () => {
    const ds = parseCsv('c', '1,2,3,4\n5,6,7,8\n');
    expect(ds.xShape).toEqual([3]);
    expect(Array.from(ds.y)).toEqual([4, 8]);
    expect(() => parseCsv('c', '1,2,3\n1,2\n')).toThrow(DatasetError);
    expect(() => parseCsv('c', '1,x,3\n')).toThrow(DatasetError);
    expect(() => parseCsv('c', '1,2,3.5\n')).toThrow(DatasetError);
  });

  it('text: non-overlapping windows with next-byte targets', () => {
    const ds = textBytesDataset('t', new TextEncoder().encode('abcdefghij'), 4);
    expect(ds.count).toBe(2);
    expect(String.fromCharCode(...sampleX(ds, 1).data)).toBe('efgh');
    expect(String.fromCharCode(...sampleY(ds, 1).data)).toBe('fghi');
  });
});

describe('content addressing', () => {
  it('the shipped digits set matches the example spec root, and proves its samples', () => {
    const { spec, baseDir } = readSpecFile(join(import.meta.dirname, '..', 'examples', 'digits-mlp.json'));
    const ds = loadSpecDataset(spec, baseDir);
    expect(ds.data.count).toBe(1797);
    const root = hexToBytes(ds.root);
    for (const i of [0, 1000, 1796]) {
      const p = sampleProof(ds, i);
      expect(verifySample(root, p.x, p.y, i, ds.data.count, p.proof)).toBe(true);
      const wrongLabel = tensorI32([], [(p.y.data[0] + 1) % 10]);
      expect(verifySample(root, p.x, wrongLabel, i, ds.data.count, p.proof)).toBe(false);
      expect(verifySample(root, p.x, p.y, (i + 1) % 1797, ds.data.count, { ...p.proof, index: (i + 1) % 1797 })).toBe(false);
    }
    expect(() => loadSpecDataset({ ...spec, dataset: { ...spec.dataset, root: `0x${'00'.repeat(32)}` } }, baseDir)).toThrow(DatasetError);
  });

  it('changing one value changes the root', () => {
    const a = commitDataset(parseCsv('c', '1,2,0\n3,4,1\n5,6,0\n'));
    const b = commitDataset(parseCsv('c', '1,2,0\n3,4.5,1\n5,6,0\n'));
    expect(a.root).not.toBe(b.root);
  });

  it('gathers a batch as the concatenation of samples', () => {
    const ds = parseCsv('c', '1,2,0\n3,4,1\n5,6,0\n');
    const x = gather(ds, { kind: 'data', field: 'x', samples: [2, 0], shape: [2, 2] });
    expect(Array.from(x.data)).toEqual([5, 6, 1, 2]);
    expect(() => gather(ds, { kind: 'data', field: 'x', samples: [3], shape: [1, 2] })).toThrow(DatasetError);
    expect(() => gather(ds, { kind: 'data', field: 'y', samples: [0], shape: [2] })).toThrow(DatasetError);
  });
});
