// Tokenised text for the decoder-only transformer: byte-level tokens (vocabulary 256), samples are
// non-overlapping windows. Sample i: x = bytes[i·c … i·c+c), y = bytes[i·c+1 … i·c+c] (next token).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DatasetError } from './errors.ts';
import type { Dataset } from './dataset.ts';

export function textBytesDataset(name: string, bytes: Uint8Array, context: number): Dataset {
  const count = Math.floor((bytes.length - 1) / context);
  if (count < 2) throw new DatasetError(`${name}: ${bytes.length} bytes give fewer than 2 windows of ${context}`);
  const x = new Int32Array(count * context);
  const y = new Int32Array(count * context);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < context; j++) {
      x[i * context + j] = bytes[i * context + j];
      y[i * context + j] = bytes[i * context + j + 1];
    }
  }
  return { name, count, xDtype: 'i32', xShape: [context], yShape: [context], x, y };
}

export function loadTextBytes(name: string, file: string, context: number): Dataset {
  let raw: Uint8Array = readFileSync(file);
  if (file.endsWith('.gz')) raw = gunzipSync(raw);
  return textBytesDataset(name, raw, context);
}
