// Every opcode on fixed inputs must give the committed output hash, on every backend that loads here.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { availableBackends } from '../backend.ts';
import { goldenHash, GOLDEN_SEED, type GoldenCase } from '../golden.ts';
import { OPS } from '../opcodes.ts';

const golden = JSON.parse(readFileSync(new URL('../golden.json', import.meta.url), 'utf8')) as { seed: number; cases: GoldenCase[] };

describe('golden vectors', () => {
  it('were generated with the seed the recipes use', () => {
    expect(golden.seed).toBe(GOLDEN_SEED);
  });

  it('cover every opcode', () => {
    const covered = new Set(golden.cases.map((c) => c.op));
    expect(OPS.filter((o) => !covered.has(o.name)).map((o) => o.name)).toEqual([]);
  });

  for (const backend of availableBackends()) {
    it(`match on the ${backend.name} backend`, () => {
      const mismatches: string[] = [];
      golden.cases.forEach((c, i) => {
        const got = goldenHash(backend, c);
        if (got !== c.hash) mismatches.push(`#${i} ${c.op} ${JSON.stringify(c.attrs)}`);
      });
      expect(mismatches).toEqual([]);
    });
  }
});
