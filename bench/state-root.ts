// State commitment cost: building the root over N keys, then re-rooting after each block touches K
// keys (O(K log N) sha256), and proof size. Run: npx tsx bench/state-root.ts
import { encodeWords } from '../state-machine/store/words.ts';
import { StateStore } from '../state-machine/store/store.ts';
import { verifyStateProof } from '../state-machine/store/proof.ts';

function key(i: number): Uint8Array {
  const k = new Uint8Array(22);
  k[0] = 0x01;
  k[1] = 0x01;
  new DataView(k.buffer).setUint32(18, i);
  return k;
}

function seconds(f: () => void): number {
  const t0 = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

console.log(`node ${process.version}`);
for (const n of [10_000, 100_000, 500_000]) {
  const s = new StateStore();
  const build = seconds(() => {
    for (let i = 0; i < n; i++) s.set(key(i), encodeWords(BigInt(i), 10n ** 18n));
    s.root();
  });
  const touched = 1_000;
  let blocks = 0;
  const update = seconds(() => {
    for (let b = 0; b < 10; b++) {
      for (let j = 0; j < touched; j++) s.set(key((b * 7919 + j * 104_729) % n), encodeWords(BigInt(b), BigInt(j)));
      s.root();
      blocks++;
    }
  });
  const proof = s.prove(key(n >> 1));
  const ok = verifyStateProof(s.root(), key(n >> 1), s.get(key(n >> 1)) ?? null, proof);
  console.log(
    `${String(n).padStart(7)} keys: full root ${build.toFixed(2)} s (${Math.round(n / build).toLocaleString('en-US')} keys/s); ` +
      `${touched} touched keys/block → ${((update / blocks) * 1000).toFixed(1)} ms/block; proof ${proof.siblings.length} siblings, verifies: ${ok}`,
  );
}
