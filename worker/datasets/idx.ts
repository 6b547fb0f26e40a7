// IDX loader (the MNIST / Fashion-MNIST format), .gz or raw. A directory holds the four standard
// files; the samples are the training set followed by the t10k set, so the spec's test split is
// the last 10,000 samples. Images become f32 [rows, cols] with the raw 0..255 values.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DatasetError } from './errors.ts';
import type { Dataset } from './dataset.ts';

interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** Parses an unsigned-byte IDX array (magic 0x00 0x00 0x08 ndims, big-endian u32 dims). */
export function parseIdx(bytes: Uint8Array, what: string): IdxArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) throw new DatasetError(`${what}: not an IDX file`);
  if (bytes[2] !== 0x08) throw new DatasetError(`${what}: only unsigned-byte IDX data is supported`);
  const ndims = bytes[3];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 + 4 * ndims) throw new DatasetError(`${what}: truncated header`);
  const dims: number[] = [];
  let n = 1;
  for (let i = 0; i < ndims; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    dims.push(d);
    n *= d;
  }
  const start = 4 + 4 * ndims;
  if (bytes.length !== start + n) throw new DatasetError(`${what}: ${bytes.length - start} data bytes, header says ${n}`);
  return { dims, data: bytes.subarray(start) };
}

function readIdx(dir: string, base: string): IdxArray {
  for (const file of [join(dir, `${base}.gz`), join(dir, base)]) {
    if (existsSync(file)) {
      const raw: Uint8Array = readFileSync(file);
      return parseIdx(file.endsWith('.gz') ? gunzipSync(raw) : raw, file);
    }
  }
  throw new DatasetError(`IDX file ${base}[.gz] not found in ${dir}`, { dir, file: base });
}

export function loadIdx(name: string, dir: string): Dataset {
  const parts = [
    [readIdx(dir, 'train-images-idx3-ubyte'), readIdx(dir, 'train-labels-idx1-ubyte')],
    [readIdx(dir, 't10k-images-idx3-ubyte'), readIdx(dir, 't10k-labels-idx1-ubyte')],
  ];
  const [rows, cols] = parts[0][0].dims.slice(1);
  let count = 0;
  for (const [img, lab] of parts) {
    if (img.dims.length !== 3 || img.dims[1] !== rows || img.dims[2] !== cols) {
      throw new DatasetError(`${name}: images must be [n, ${rows}, ${cols}]`);
    }
    if (lab.dims.length !== 1 || lab.dims[0] !== img.dims[0]) throw new DatasetError(`${name}: label count differs from image count`);
    count += img.dims[0];
  }
  const x = new Float32Array(count * rows * cols);
  const y = new Int32Array(count);
  let o = 0;
  for (const [img, lab] of parts) {
    for (let i = 0; i < img.data.length; i++) x[o * rows * cols + i] = img.data[i];
    for (let i = 0; i < lab.data.length; i++) y[o + i] = lab.data[i];
    o += lab.data.length;
  }
  return { name, count, xDtype: 'f32', xShape: [rows, cols], yShape: [], x, y };
}
