// Builds the native RepOps kernels (build/repops.node) with the system C++ compiler.
//
// Never fails the install: on any error it prints a loud warning and exits 0, and the TypeScript
// kernels are used instead. Flags: -O3 -ffp-contract=off (no FMA contraction: the matmul and every
// kernel must round exactly like the TypeScript reference), never -ffast-math (which would also turn
// on flush-to-zero for the whole process). After linking, the object is disassembled and rejected if
// it contains any fused multiply-add instruction.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const srcDir = join(here, 'src');
const outDir = join(here, 'build');
const objDir = join(outDir, `obj-${process.pid}`); // per process: concurrent builds never share objects
const outFile = join(outDir, 'repops.node');

function warn(msg) {
  const bar = '!'.repeat(78);
  process.stderr.write(`\n${bar}\nverity: native RepOps backend UNAVAILABLE: ${msg}\n` +
    `verity: the TypeScript kernels will be used (same results, much slower).\n${bar}\n\n`);
}

function nodeIncludeDir() {
  const candidates = [
    join(dirname(process.execPath), '..', 'include', 'node'),
    process.config?.variables?.node_prefix ? join(process.config.variables.node_prefix, 'include', 'node') : '',
    process.env.npm_config_nodedir ? join(process.env.npm_config_nodedir, 'include', 'node') : '',
  ].filter((p) => p !== '');
  return candidates.find((p) => existsSync(join(p, 'node_api.h'))) ?? null;
}

const FLAGS = ['-std=c++17', '-O3', '-ffp-contract=off', '-fno-fast-math', '-fno-unsafe-math-optimizations',
  '-fno-math-errno', '-fPIC', '-pthread', '-fvisibility=hidden', '-Wall', '-Wextra'];

/** Compiles every src/*.cc (in parallel, one per core) and links the addon; returns its temp path. */
async function compile(cxx, include, march) {
  const sources = readdirSync(srcDir).filter((f) => f.endsWith('.cc')).sort();
  mkdirSync(objDir, { recursive: true });
  const objects = sources.map((f) => join(objDir, f.replace(/\.cc$/, '.o')));
  let next = 0;
  const worker = async () => {
    while (next < sources.length) {
      const i = next++;
      const { stderr } = await run(cxx, [...FLAGS, ...march, `-I${include}`, '-c', join(srcDir, sources[i]), '-o', objects[i]]);
      if (stderr) process.stderr.write(stderr);
    }
  };
  await Promise.all(Array.from({ length: Math.min(availableParallelism(), sources.length) }, worker));
  const tmp = `${outFile}.tmp-${process.pid}`;
  execFileSync(cxx, [...FLAGS, ...march, '-shared', ...objects, '-o', tmp], { stdio: ['ignore', 'inherit', 'inherit'] });
  return tmp;
}

/** Returns the FMA instructions found in the object, or null when objdump is not available. */
function fmaInstructions(file) {
  let asm;
  try {
    asm = execFileSync('objdump', ['-d', '--no-show-raw-insn', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  } catch {
    return null;
  }
  return asm.split('\n').filter((l) => /\bv?f(n)?m(add|sub)(sub|add)?\d{3}/.test(l));
}

async function main() {
  const include = nodeIncludeDir();
  if (include === null) return warn('Node headers (node_api.h) not found');
  const cxx = process.env.CXX ?? 'g++';
  mkdirSync(outDir, { recursive: true });
  let tmp;
  for (const march of [['-march=native'], []]) {
    try {
      tmp = await compile(cxx, include, march);
      break;
    } catch (e) {
      process.stderr.write(`verity: native build with ${march.join(' ') || 'default flags'} failed: ${e.stderr || e.message}\n`);
    }
  }
  rmSync(objDir, { recursive: true, force: true });
  if (tmp === undefined) {
    rmSync(outFile, { force: true }); // never leave a stale addon behind claiming to be current
    return warn(`compilation with ${cxx} failed`);
  }
  const fma = fmaInstructions(tmp);
  if (fma === null) {
    process.stderr.write('verity: objdump not found, could not check the addon for FMA instructions\n');
  } else if (fma.length > 0) {
    rmSync(tmp, { force: true });
    rmSync(outFile, { force: true });
    return warn(`compiled code contains fused multiply-add instructions (${fma.length}), e.g. ${fma[0].trim()}`);
  }
  renameSync(tmp, outFile);
  process.stdout.write(`verity: built native RepOps kernels: ${outFile}\n`);
}

try {
  await main();
} catch (e) {
  warn(e instanceof Error ? e.message : String(e));
}
process.exit(0);
