import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bytesToHex } from '../../state-machine/crypto/hash.ts';
import { tensorF32, tensorI32 } from '../../state-machine/repops/tensor.ts';
import { stateRoot } from '../../state-machine/training/commitments.ts';
import { CheckpointError, CheckpointStore } from '../store/checkpoint-store.ts';
import { BackgroundWriteError } from '../store/background-writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'verity-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('checkpoint store', () => {
  const state = [tensorF32([2, 3], [1, -2, 3.5, Number.NaN, -0, 1e-40]), tensorI32([2], [7, -9]), tensorF32([], [0.25])];

  it('stores by C_t and reads back the exact bits', () => {
    const store = new CheckpointStore(dir);
    const root = store.put(state);
    expect(root).toBe(bytesToHex(stateRoot(state)));
    const back = store.get(root);
    expect(back.map((t) => t.shape)).toEqual(state.map((t) => t.shape));
    back.forEach((t, i) => expect(new Uint8Array(t.data.buffer)).toEqual(new Uint8Array(state[i].data.buffer)));
    expect(store.put(state)).toBe(root);
    expect(readdirSync(join(dir, 'checkpoints')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(new CheckpointStore(dir).has(root)).toBe(true);
  });

  it('refuses a corrupted checkpoint and an unknown root', () => {
    const store = new CheckpointStore(dir);
    const root = store.put([tensorF32([4], [1, 2, 3, 4])]);
    const file = join(dir, 'checkpoints', `${root.slice(2)}.ckpt`);
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(file, bytes);
    expect(() => store.get(root)).toThrow(CheckpointError);
    expect(() => store.get(`0x${'ab'.repeat(32)}`)).toThrow(CheckpointError);
    expect(() => store.get('0x12' as `0x${string}`)).toThrow(CheckpointError);
  });

  it('keeps run manifests', () => {
    const store = new CheckpointStore(dir);
    const m = { specHash: `0x${'cd'.repeat(32)}` as const, steps: 4, checkpointInterval: 2, checkpoints: [{ step: 0, root: `0x${'01'.repeat(32)}` as const }] };
    store.writeManifest(m);
    expect(store.readManifest(m.specHash)).toEqual(m);
    expect(store.readManifest(`0x${'ef'.repeat(32)}`)).toBeUndefined();
  });

  it('in background mode, writes off-thread, reads see queued writes, failures surface on flush', async () => {
    const bgDir = join(dir, 'bg');
    const store = new CheckpointStore(bgDir, { background: true });
    const roots = [0, 1, 2].map((r) => store.put([tensorF32([3], [r, r + 1, r + 2])]));
    expect(roots.every((r) => store.has(r))).toBe(true);
    expect(Array.from(store.get(roots[2])[0].data)).toEqual([2, 3, 4]);
    store.flush();
    expect(readdirSync(join(bgDir, 'checkpoints')).sort()).toEqual(roots.map((r) => `${r.slice(2)}.ckpt`).sort());
    rmSync(join(bgDir, 'checkpoints'), { recursive: true });
    store.put([tensorF32([1], [42])]);
    expect(() => store.flush()).toThrow(BackgroundWriteError);
    await store.close().catch(() => undefined);
  });
});

