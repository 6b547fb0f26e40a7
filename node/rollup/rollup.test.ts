// The rollup end to end on the embedded L1 (the suite: test/rollup-suite.ts).
import { rollupSuite } from './test/rollup-suite.ts';

rollupSuite('embedded');
