// Enforces the "may import" column of ARCHITECTURE.md's folder table on every .ts file: each
// relative import (static, `export … from`, dynamic `import()`, `typeof import()`) is resolved to its
// top-level folder and checked against the importing folder's row. Package imports are not checked.
// Folders without a row (this `test/`, root files) are not checked as importers.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

/** Importing folder (`node/`) → what it may import: '*' for everything, else path prefixes (`rpc/client.ts`, `infra/`). */
type Rules = Map<string, '*' | string[]>;

// Test files (`*.test.ts`, and files under a `test/` subfolder) may also import these, beyond their
// folder's row. Each entry is the narrowest one today's tests need.
const TEST_EXTRA: Record<string, string[]> = {
  // block and transaction tests take the devnet genesis and its funded accounts as fixtures
  'state-machine/': ['genesis/'],
  // end-to-end tests start a real node in process and talk to it over HTTP and WebSocket
  'rpc/': ['node/'],
};

/** Parses the folder table under "## Folders": | `folder/` | what | may import |. */
function readRules(markdown: string): Rules {
  const section = markdown.split(/^## Folders$/m)[1]?.split(/^## /m)[0] ?? '';
  const rules: Rules = new Map();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const folder = /^`([\w-]+\/)`$/.exec(cells[1] ?? '')?.[1];
    const may = cells[3];
    if (folder === undefined || may === undefined || may === '—') continue;
    if (/^everything/.test(may)) rules.set(folder, '*');
    else if (/^nothing/.test(may)) rules.set(folder, []);
    else rules.set(folder, [...may.matchAll(/`([^`]+)`/g)].map((m) => m[1]));
  }
  return rules;
}

function isTestFile(file: string): boolean {
  return file.endsWith('.test.ts') || file.split('/').slice(1, -1).includes('test');
}

/** Why `file` may not import `target` (both repository-relative, `/`-separated), or null when it may. */
function violation(rules: Rules, file: string, target: string): string | null {
  const folder = `${file.split('/')[0]}/`;
  const allowed = rules.get(folder);
  if (allowed === undefined || allowed === '*' || target.startsWith(folder)) return null;
  const extra = isTestFile(file) ? (TEST_EXTRA[folder] ?? []) : [];
  if ([...allowed, ...extra].some((prefix) => target.startsWith(prefix))) return null;
  return `${file} → ${target}`;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules' || e.name.startsWith('.')) return [];
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every relative import of every .ts file, as [importer, imported file], repository-relative. */
function relativeImports(): [string, string][] {
  const toRepo = (p: string) => relative(ROOT, p).split(sep).join('/');
  return tsFiles(ROOT).flatMap((path) =>
    ts
      .preProcessFile(readFileSync(path, 'utf8'), true, true)
      .importedFiles.filter((f) => f.fileName.startsWith('.'))
      .map((f): [string, string] => [toRepo(path), toRepo(normalize(join(dirname(path), f.fileName)))]),
  );
}

describe('import rules (ARCHITECTURE.md folder table)', () => {
  const rules = readRules(readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8'));
  const imports = relativeImports();

  it('reads a rule for every source folder and sees the imports', () => {
    expect([...rules.keys()].sort()).toEqual(['bench/', 'bridge/', 'genesis/', 'infra/', 'node/', 'rpc/', 'state-machine/', 'worker/']);
    expect(rules.get('infra/')).toEqual([]);
    expect(rules.get('worker/')).toEqual(['state-machine/', 'rpc/client.ts', 'infra/']);
    // the scanner finds a known cross-folder import (node's CLI mounts the worker commands)
    expect(imports).toContainEqual(['node/cli/main.ts', 'worker/cli/train-command.ts']);
  });

  it('flags what the table forbids', () => {
    expect(violation(rules, 'worker/trainer/train.ts', 'node/chain/chain.ts')).toBe('worker/trainer/train.ts → node/chain/chain.ts');
    expect(violation(rules, 'worker/cli/x.ts', 'rpc/server.ts')).not.toBeNull();
    expect(violation(rules, 'worker/cli/x.ts', 'rpc/client.ts')).toBeNull();
    expect(violation(rules, 'infra/metrics.ts', 'state-machine/errors.ts')).not.toBeNull();
    expect(violation(rules, 'state-machine/chain/block.ts', 'genesis/schema.ts')).not.toBeNull();
    expect(violation(rules, 'state-machine/test/chain-harness.ts', 'genesis/index.ts')).toBeNull();
    expect(violation(rules, 'worker/test/cli.test.ts', 'node/cli/main.ts')).not.toBeNull();
  });

  it('every import in the repository follows the table', () => {
    const bad = imports.map(([file, target]) => violation(rules, file, target)).filter((v) => v !== null);
    expect(bad, `imports that break ARCHITECTURE.md's "may import" column:\n${bad.join('\n')}`).toEqual([]);
  });
});
