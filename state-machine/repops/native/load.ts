// Loader for the native RepOps kernels (N-API addon built by build.mjs into build/repops.node).
//
// This file is the one place in state-machine/ that does I/O: it dlopens a shared object and reads
// VERITY_REPOPS_THREADS and VERITY_REPOPS_NATIVE. It never changes results: every native kernel is bit-identical to its
// TypeScript twin (a sample is re-checked at load), and a missing, broken or stale addon yields null
// with a reason (the caller falls back to TS and says so).
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { cpus } from 'node:os';
import type { Kernels, KernelName } from '../kernels.ts';
import { selfCheck } from './self-check.ts';

/** Shape of the compiled addon: kernel functions plus a few control entry points. */
interface NativeAddon {
  setThreads(n: number): number;
  getThreads(): number;
  kernelNames(): string[];
  [name: string]: unknown;
}

export const NATIVE_ADDON_PATH = join(dirname(fileURLToPath(import.meta.url)), 'build', 'repops.node');

/**
 * VERITY_REPOPS_NATIVE: unset, empty or `auto` loads the built addon; `off` disables it (the
 * backend then falls back to TypeScript, loudly, as if the addon were missing); any other value is
 * the path of the addon file to load instead.
 */
export const NATIVE_ENV = 'VERITY_REPOPS_NATIVE';

function addonPathFromEnv(): string | null {
  const raw = process.env[NATIVE_ENV]?.trim() ?? '';
  if (raw === '' || raw === 'auto') return NATIVE_ADDON_PATH;
  if (raw === 'off') return null;
  return raw;
}

let cached: { addon: NativeAddon | null; error: string | null } | undefined;

function loadAddon(): { addon: NativeAddon | null; error: string | null } {
  if (cached !== undefined) return cached;
  const path = addonPathFromEnv();
  if (path === null) {
    cached = { addon: null, error: `native addon disabled by ${NATIVE_ENV}=off` };
    return cached;
  }
  if (!existsSync(path)) {
    cached = { addon: null, error: `native addon not built (${path} missing; run npm run build:native)` };
    return cached;
  }
  try {
    const require = createRequire(import.meta.url);
    const addon = require(path) as NativeAddon;
    addon.setThreads(threadCountFromEnv());
    // A build older than the reference it ports must not be used: check a sample of kernels first.
    const mismatch = selfCheck(kernelTable(addon));
    cached = mismatch === null ? { addon, error: null } : { addon: null, error: `${mismatch}; the addon is stale or wrong, run npm run build:native` };
  } catch (e) {
    cached = { addon: null, error: `native addon failed to load: ${(e as Error).message}` };
  }
  return cached;
}

function threadCountFromEnv(): number {
  const raw = process.env.VERITY_REPOPS_THREADS;
  const n = raw === undefined ? NaN : Number.parseInt(raw, 10);
  if (Number.isInteger(n) && n >= 1) return Math.min(n, 64);
  return Math.max(1, cpus().length);
}

/** Why the addon is unavailable, or null when it loaded. For the backend's loud fallback message. */
export function nativeLoadError(): string | null {
  return loadAddon().error;
}

/**
 * The native kernel table: only the kernels the addon implements (all bit-identical to tsKernels);
 * the backend merges it over tsKernels. Null when the addon is absent or fails to load.
 */
export function loadNativeKernels(): Partial<Kernels> | null {
  const { addon } = loadAddon();
  return addon === null ? null : kernelTable(addon);
}

function kernelTable(addon: NativeAddon): Partial<Kernels> {
  // The addon's bindings take exactly the Kernels signatures (checked by the native tests against
  // the TypeScript kernels), so they are used as they are, without a wrapper per call.
  const table: Record<string, unknown> = {};
  for (const name of addon.kernelNames()) {
    const fn = addon[name];
    if (typeof fn === 'function') table[name] = fn;
  }
  return table as Partial<Kernels>;
}

/** Sets the worker-thread count of the native pool (rows/columns are split, never a sum). */
export function setNativeThreads(n: number): number {
  const { addon } = loadAddon();
  if (addon === null) return 0;
  return addon.setThreads(n);
}

/** Names of the kernels the addon provides (the rest run in TypeScript). */
export function nativeKernelNames(): KernelName[] {
  const { addon } = loadAddon();
  return addon === null ? [] : (addon.kernelNames() as KernelName[]);
}

export function getNativeThreads(): number {
  const { addon } = loadAddon();
  return addon === null ? 0 : addon.getThreads();
}
