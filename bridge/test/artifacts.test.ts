// The committed artifacts are exactly what the pinned compiler and settings produce from the sources:
// rebuilding in memory must give byte-identical JSON and an identical bridge/artifacts.ts.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS_DIR, artifactsModule, compileContracts, SOLC_SETTINGS } from '../compile.ts';

describe('bridge contract artifacts', () => {
  it('rebuild byte-identically from bridge/contracts with the pinned solc and settings', () => {
    const built = compileContracts();
    expect(Object.keys(built).sort()).toEqual(['BatchInbox', 'OutputOracle', 'Portal', 'TestToken']);
    const committed = readdirSync(ARTIFACTS_DIR).filter((f) => f.endsWith('.json')).sort();
    expect(committed).toEqual(Object.keys(built).sort().map((n) => `${n}.json`));
    for (const [name, text] of Object.entries(built)) {
      expect(readFileSync(join(ARTIFACTS_DIR, `${name}.json`), 'utf8'), `${name}.json is stale: npm run build:contracts`).toBe(text);
      const a = JSON.parse(text) as { bytecode: string; compiler: { settings: unknown } };
      expect(a.bytecode).toMatch(/^0x[0-9a-f]+$/);
      expect(a.compiler.settings).toEqual(SOLC_SETTINGS);
    }
    const ts = readFileSync(join(ARTIFACTS_DIR, '..', 'artifacts.ts'), 'utf8');
    expect(ts, 'bridge/artifacts.ts is stale: npm run build:contracts').toBe(artifactsModule(built));
  }, 120_000);
});
