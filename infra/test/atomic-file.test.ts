import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ATOMIC_WRITE_SOURCE, tempNameFor, writeFileAtomic, writeSteps, type AtomicWriteFs } from '../atomic-file.ts';

const dir = fs.mkdtempSync(join(tmpdir(), 'verity-atomic-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const leftovers = () => fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));

/** node:fs that stops dead (like a killed process: no cleanup runs) at its `stopAt`-th call. */
function crashingFs(stopAt: number): AtomicWriteFs {
  let calls = 0;
  const step = <A extends unknown[], R>(fn: (...a: A) => R) => (...a: A): R => {
    if (calls++ === stopAt) throw new Error('crash');
    return fn(...a);
  };
  return {
    openSync: step((path: string, flags: 'w' | 'r') => fs.openSync(path, flags)),
    writeSync: step((fd: number, b: Uint8Array, off: number, len: number) => fs.writeSync(fd, b, off, len)),
    fsyncSync: step(fs.fsyncSync),
    closeSync: step(fs.closeSync),
    renameSync: step(fs.renameSync),
    rmSync: () => undefined,
  };
}

describe('writeFileAtomic', () => {
  it('creates and replaces a file, leaving no temp file', () => {
    const file = join(dir, 'a.json');
    writeFileAtomic(file, '{"v":1}\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('{"v":1}\n');
    writeFileAtomic(file, new Uint8Array([1, 2, 3]));
    expect([...fs.readFileSync(file)]).toEqual([1, 2, 3]);
    expect(leftovers()).toEqual([]);
  });

  it('on a failed write keeps the old content and removes its temp file', () => {
    const file = join(dir, 'taken');
    fs.mkdirSync(file); // renaming a file over a directory fails
    expect(() => writeFileAtomic(file, 'x')).toThrow();
    expect(fs.statSync(file).isDirectory()).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  it('a crash at any step leaves the old bytes or the new ones', () => {
    const file = join(dir, 'crash.bin');
    for (let stopAt = 0; stopAt < 9; stopAt++) {
      writeFileAtomic(file, 'old');
      try {
        writeSteps(crashingFs(stopAt), file, tempNameFor(file), dir, Buffer.from('new'));
      } catch {
        // the simulated crash
      }
      // calls: open, write, fsync, close, rename (the commit point), open dir, fsync, close
      expect(fs.readFileSync(file, 'utf8')).toBe(stopAt <= 4 ? 'old' : 'new');
      for (const t of leftovers()) fs.rmSync(join(dir, t)); // a real crash leaves these behind
    }
  });

  it('exports the same sequence as plain JavaScript for eval-started worker threads', () => {
    const run = new Function('fs', 'args', `${ATOMIC_WRITE_SOURCE}\nwriteSteps(fs, ...args);`) as (f: AtomicWriteFs, args: unknown[]) => void;
    const file = join(dir, 'from-source');
    run(fs, [file, tempNameFor(file), dir, Buffer.from('js')]);
    expect(fs.readFileSync(file, 'utf8')).toBe('js');
    expect(leftovers()).toEqual([]);
  });
});
