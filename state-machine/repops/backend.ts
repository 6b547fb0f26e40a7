// Backend selection. 'ts' is the reference kernel table; 'native' merges the addon's kernels over it,
// so whatever the addon lacks runs the TypeScript kernel. A missing addon never fails silently: the
// first request for 'native' reports why through the warn callback (stderr by default) and uses 'ts'.
// The chain's referee imports reference.ts instead: this file reaches the native loader (I/O).
import type { Kernels } from './kernels.ts';
import { tsKernels } from './ts-kernels.ts';
import { loadNativeKernels, nativeLoadError } from './native/load.ts';
import { REFERENCE_BACKEND, type Backend, type BackendName } from './reference.ts';

export type { Backend, BackendName } from './reference.ts';

export type WarnFn = (message: string) => void;

const defaultWarn: WarnFn = (message) => {
  console.error(`[repops] WARNING: ${message}`);
};

const TS_BACKEND = REFERENCE_BACKEND;

let nativeBackend: Backend | null | undefined;
let warned = false;

function buildNative(): Backend | null {
  const native = loadNativeKernels();
  if (native === null) return null;
  const names = Object.keys(native).filter((k) => k in tsKernels);
  const kernels = { ...tsKernels, ...(native as Partial<Kernels>) } as Kernels;
  return Object.freeze({ requested: 'native' as const, name: 'native' as const, kernels, nativeKernels: Object.freeze(names) });
}

export function getBackend(name: BackendName = 'ts', warn: WarnFn = defaultWarn): Backend {
  if (name === 'ts') return TS_BACKEND;
  if (nativeBackend === undefined) nativeBackend = buildNative();
  if (nativeBackend !== null) return nativeBackend;
  if (!warned) {
    warned = true;
    warn(`native RepOps backend unavailable (${nativeLoadError() ?? 'unknown reason'}); falling back to the TypeScript kernels (same bits, slower)`);
  }
  return { ...TS_BACKEND, requested: 'native' };
}

/** The backends that can run here: always 'ts', plus 'native' when the addon loads. */
export function availableBackends(): Backend[] {
  if (nativeBackend === undefined) nativeBackend = buildNative();
  return nativeBackend === null ? [TS_BACKEND] : [TS_BACKEND, nativeBackend];
}
