// What a worker needs to run a task from chain: the spec (the bytes `specOf` returns, validated by
// parseTaskSpec) and its data set, found on local disk and re-checked against the spec's content
// root. A spec's `dataset.path` is only a hint written relative to some spec file, so it is looked
// up under each data set directory (`--datasets DIR`, then the shipped worker/datasets) by its
// trailing path segments and by the data set's name; `..` segments never leave those directories.
// Only a candidate whose content root equals `dataset.root` is used.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from '../../infra/logger.ts';
import type { Hex } from '../../state-machine/crypto/hash.ts';
import { ValidationError } from '../../state-machine/errors.ts';
import { parseTaskSpec, specHashHex } from '../../state-machine/training/spec-validate.ts';
import type { TaskSpec } from '../../state-machine/training/spec.ts';
import { loadSpecDataset, type CommittedDataset } from '../datasets/load.ts';

export const SHIPPED_DATASETS = resolve(import.meta.dirname, '..', 'datasets');

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The spec bytes of a task (UTF-8 JSON), validated. Throws ValidationError naming the field. */
export function parseSpecBytes(bytes: Uint8Array): TaskSpec {
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(bytes));
  } catch (e) {
    throw new ValidationError('(root)', `not UTF-8 JSON: ${(e as Error).message}`);
  }
  return parseTaskSpec(json);
}

/** Paths under `base` a spec's path hint may mean: its trailing segments, longest first, then the name. */
export function datasetCandidates(base: string, hint: string, name: string): string[] {
  const segs = hint.split(/[\\/]+/).filter((s) => s !== '' && s !== '.' && s !== '..');
  const out: string[] = [];
  for (let i = 0; i < segs.length; i++) out.push(join(base, ...segs.slice(i)));
  const safeName = name.replace(/[^\w.-]/g, '');
  if (safeName !== '' && segs.length > 0) out.push(join(base, safeName, segs[segs.length - 1]));
  if (safeName !== '') out.push(join(base, safeName));
  return [...new Set(out)];
}

export interface TaskInputs {
  spec: TaskSpec;
  specHash: Hex;
  dataset: CommittedDataset;
}

/** Finds and commits data sets for specs; remembers each root it found (and, for a while, each it did not). */
export class DatasetFinder {
  private readonly found = new Map<Hex, CommittedDataset>();
  /** root + path hint → when no file matched (the same root may be found under another hint) */
  private readonly missing = new Map<string, number>();

  constructor(
    private readonly dirs: readonly string[],
    private readonly log: Logger,
    private readonly retryMissingMs = 60_000,
  ) {}

  /** The spec's data set with its content root re-checked, or null when no local file matches. */
  find(spec: TaskSpec): CommittedDataset | null {
    const root = spec.dataset.root;
    const hit = this.found.get(root);
    if (hit) return hit;
    const missKey = `${root} ${spec.dataset.name} ${spec.dataset.path}`;
    const missedAt = this.missing.get(missKey);
    if (missedAt !== undefined && Date.now() - missedAt < this.retryMissingMs) return null;
    for (const dir of this.dirs) {
      for (const path of datasetCandidates(dir, spec.dataset.path, spec.dataset.name)) {
        if (!existsSync(path)) continue;
        try {
          // loadSpecDataset re-hashes every sample and refuses a root or sample count that differs
          const ds = loadSpecDataset({ ...spec, dataset: { ...spec.dataset, path } }, dir);
          this.found.set(root, ds);
          this.log.info({ dataset: spec.dataset.name, path, root }, 'data set found; content root matches the spec');
          return ds;
        } catch (e) {
          this.log.debug({ path, err: (e as Error).message }, 'data set candidate rejected');
        }
      }
    }
    this.missing.set(missKey, Date.now());
    this.log.info({ dataset: spec.dataset.name, root, dirs: this.dirs }, 'no local data set matches the spec; skipping its tasks');
    return null;
  }

  /** Spec and data set of a task's spec bytes, or why the task cannot run here (invalid spec, no data). */
  inputs(specBytes: Uint8Array): TaskInputs | { error: string } {
    let spec: TaskSpec;
    try {
      spec = parseSpecBytes(specBytes);
    } catch (e) {
      return { error: `invalid spec: ${(e as Error).message}` };
    }
    const dataset = this.find(spec);
    if (dataset === null) return { error: `no local data set with root ${spec.dataset.root}` };
    return { spec, specHash: specHashHex(spec), dataset };
  }
}
