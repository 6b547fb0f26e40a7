// The rollup end to end on anvil, an L1 client no one here wrote (the suite: test/rollup-suite.ts).
import { it } from 'vitest';
import { ANVIL, HAVE_ANVIL } from './test/l1-harness.ts';
import { rollupSuite } from './test/rollup-suite.ts';

if (HAVE_ANVIL) rollupSuite('anvil');
else it.skip(`rollup on anvil: no anvil binary at ${ANVIL} (optional dependency)`, () => undefined);
