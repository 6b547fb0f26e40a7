// Generates corpus.txt: sentences of a small synthetic English grammar, for the tiny transformer
// example. Deterministic (integer LCG, fixed seed): `npx tsx worker/datasets/tiny-grammar/generate.ts`
// rewrites the same bytes.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const subjects = ['the cat', 'the dog', 'a bird', 'my friend', 'the old man', 'a child', 'the robot', 'our teacher'];
const verbs = ['sees', 'likes', 'finds', 'follows', 'draws', 'helps', 'watches', 'calls'];
const objects = ['the ball', 'a red box', 'the river', 'a small tree', 'the moon', 'an apple', 'the door', 'a song'];
const endings = ['.', ' today.', ' again.', ' at night.', ' in the park.'];

let state = 0x2545f491;
function next(n: number): number {
  // 32-bit LCG (Numerical Recipes constants), integer-only
  state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
  return Math.floor((state / 4294967296) * n);
}

const lines: string[] = [];
let size = 0;
while (size < 16_384) {
  const s = `${subjects[next(subjects.length)]} ${verbs[next(verbs.length)]} ${objects[next(objects.length)]}${endings[next(endings.length)]}`;
  lines.push(s);
  size += s.length + 1;
}
writeFileSync(join(dirname(fileURLToPath(import.meta.url)), 'corpus.txt'), `${lines.join('\n')}\n`);
