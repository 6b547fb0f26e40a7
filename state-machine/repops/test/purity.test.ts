// The referee's path (opcodes.ts + reference.ts) must stay pure: no native loader, no node: modules
// other than node:crypto through the hash helper, no clocks or randomness.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, resolve, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function runtimeImports(entry: string): { files: string[]; external: string[] } {
  const seen = new Set<string>();
  const external = new Set<string>();
  const walk = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/^(?:import|export) (?!type\b)[^;]*? from '([^']+)'/gm)) {
      if (m[1].startsWith('.')) walk(resolve(dirname(file), m[1]));
      else external.add(m[1]);
    }
  };
  walk(resolve(root, entry));
  return { files: [...seen].map((f) => relative(root, f)), external: [...external] };
}

describe('referee import graph', () => {
  for (const entry of ['opcodes.ts', 'reference.ts', 'golden.ts']) {
    it(`${entry} reaches no native code and no I/O`, () => {
      const { files, external } = runtimeImports(entry);
      expect(files.length).toBeGreaterThan(3);
      expect(files.filter((f) => f.startsWith('native') || f === 'backend.ts')).toEqual([]);
      expect(external.filter((e) => !['node:crypto', 'js-sha3'].includes(e))).toEqual([]);
      for (const f of files) expect(readFileSync(resolve(root, f), 'utf8'), f).not.toMatch(/Math\.random|Date\.now|new Date|process\.env|Math\.(exp|log|sin|cos|tanh|pow)\(/);
    });
  }
});
