// The pure reference backend: the TypeScript kernels and nothing else. The chain's referee uses this
// (through opcodes.ts) so that its import graph never reaches the native loader, which does I/O.
import type { Kernels } from './kernels.ts';
import { tsKernels } from './ts-kernels.ts';

export type BackendName = 'ts' | 'native';

export interface Backend {
  /** What was asked for. */
  readonly requested: BackendName;
  /** What runs: 'native' only when the addon loaded. */
  readonly name: BackendName;
  readonly kernels: Kernels;
  /** Kernel names served by native code (empty for 'ts'). */
  readonly nativeKernels: readonly string[];
}

export const REFERENCE_BACKEND: Backend = Object.freeze({ requested: 'ts', name: 'ts', kernels: tsKernels, nativeKernels: Object.freeze([]) });
