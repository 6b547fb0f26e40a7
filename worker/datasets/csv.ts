// CSV loader: one sample per line, numeric features then an integer label in the last column
// (the 8x8 digits layout). Accepts .gz. Features become f32 exactly as written (no scaling here:
// scaling is an op of the step graph, so the data set root commits to the raw values).
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { DatasetError } from './errors.ts';
import type { Dataset } from './dataset.ts';

export function parseCsv(name: string, text: string): Dataset {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new DatasetError(`${name}: empty CSV`);
  const width = lines[0].split(',').length;
  if (width < 2) throw new DatasetError(`${name}: a row needs at least one feature and a label`);
  const features = width - 1;
  const x = new Float32Array(lines.length * features);
  const y = new Int32Array(lines.length);
  lines.forEach((line, r) => {
    const cells = line.split(',');
    if (cells.length !== width) throw new DatasetError(`${name}: line ${r + 1} has ${cells.length} columns, want ${width}`);
    for (let c = 0; c < features; c++) {
      const v = Number(cells[c]);
      if (!Number.isFinite(v) || cells[c].trim() === '') throw new DatasetError(`${name}: line ${r + 1} column ${c + 1} is not a number`);
      x[r * features + c] = v;
    }
    const label = Number(cells[features]);
    if (!Number.isInteger(label) || label < 0 || label > 0x7fffffff) {
      throw new DatasetError(`${name}: line ${r + 1} label is not a non-negative integer`);
    }
    y[r] = label;
  });
  return { name, count: lines.length, xDtype: 'f32', xShape: [features], yShape: [], x, y };
}

export function loadCsv(name: string, file: string): Dataset {
  let raw: Uint8Array = readFileSync(file);
  if (file.endsWith('.gz')) raw = gunzipSync(raw);
  return parseCsv(name, new TextDecoder().decode(raw));
}
