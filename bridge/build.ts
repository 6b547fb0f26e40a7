// `npm run build:contracts`: compiles bridge/contracts/*.sol and writes bridge/artifacts/<Name>.json.
// Also regenerates bridge/artifacts.ts (typed ABIs and bytecode). Removes artifacts of contracts that no longer exist. The output is byte-for-byte reproducible.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS_DIR, artifactsModule, compileContracts } from './compile.ts';

const artifacts = compileContracts();
mkdirSync(ARTIFACTS_DIR, { recursive: true });
for (const f of readdirSync(ARTIFACTS_DIR)) {
  if (f.endsWith('.json') && artifacts[f.slice(0, -'.json'.length)] === undefined) rmSync(join(ARTIFACTS_DIR, f));
}
for (const [name, text] of Object.entries(artifacts)) {
  writeFileSync(join(ARTIFACTS_DIR, `${name}.json`), text);
  console.log(`bridge/artifacts/${name}.json`);
}
writeFileSync(join(import.meta.dirname, 'artifacts.ts'), artifactsModule(artifacts));
console.log('bridge/artifacts.ts');
