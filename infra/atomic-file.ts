// Crash-safe file replacement: write a temp file in the same directory, fsync it, rename it over
// the target, fsync the directory. After a crash the target holds the old bytes or the new ones,
// never a torn mix; the rename is only durable once the directory entry is fsynced.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { dirname } from 'node:path';

/** The node:fs calls the write makes; passed in so that `writeSteps` closes over nothing. */
export interface AtomicWriteFs {
  openSync(path: string, flags: 'w' | 'r'): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  rmSync(path: string, options: { force: true }): void;
}

/** A fresh temp name beside `file` (same directory, so the rename cannot cross file systems). */
export function tempNameFor(file: string): string {
  return `${file}.${randomBytes(6).toString('hex')}.tmp`;
}

/**
 * The write sequence. It uses only its arguments and plain JavaScript, because a worker thread
 * started with `eval` (which has no TypeScript loader) runs its source: see ATOMIC_WRITE_SOURCE.
 */
export function writeSteps(f: AtomicWriteFs, file: string, tmp: string, dir: string, bytes: Uint8Array): void {
  try {
    const fd = f.openSync(tmp, 'w');
    try {
      let off = 0;
      while (off < bytes.length) off += f.writeSync(fd, bytes, off, bytes.length - off);
      f.fsyncSync(fd);
    } finally {
      f.closeSync(fd);
    }
    f.renameSync(tmp, file);
  } catch (e) {
    f.rmSync(tmp, { force: true });
    throw e;
  }
  const dfd = f.openSync(dir, 'r');
  try {
    f.fsyncSync(dfd);
  } finally {
    f.closeSync(dfd);
  }
}

/** `writeSteps` as JavaScript (a `function writeSteps(f, file, tmp, dir, bytes)` declaration), for eval'd worker sources. */
export const ATOMIC_WRITE_SOURCE: string = writeSteps.toString();

/** Replaces `file` with `data` atomically and durably (strings are written as UTF-8). */
export function writeFileAtomic(file: string, data: Uint8Array | string): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  writeSteps(fs, file, tempNameFor(file), dirname(file), bytes);
}
