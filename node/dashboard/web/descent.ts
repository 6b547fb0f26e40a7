// The descent of one level, as ranges of leaves: the whole tree, each node the parties walked to
// (binary heights: a node at height h, index i covers leaves [i·2^h, (i+1)·2^h)), and the leaf located.
import type { DisputeState } from './state.ts';

export interface Range {
  label: string;
  from: number;
  /** exclusive */
  to: number;
}

export interface LevelView {
  level: 1 | 2 | 3;
  /** leaves of the level's tree, when known */
  leafCount: number | null;
  ranges: Range[];
  located: number | null;
  /** entered directly (a verifier's spot check starts at a segment) */
  skipped: boolean;
  /** added to a leaf index to name it: at level 2, leaf j of segment i is step (i-1)·k + j + 1 */
  offset: number;
}

export function levelViews(ds: DisputeState, checkpointInterval: bigint | null, steps: bigint | null): LevelView[] {
  const d = ds.d;
  const startLevel = ds.opened?.level ?? d?.level ?? 1;
  const out: LevelView[] = [];
  for (const level of [1, 2, 3] as const) {
    const narrowed = ds.narrowed.get(level) ?? [];
    const located = ds.located.get(level) ?? null;
    let leafCount = ds.leafCounts.get(level) ?? null;
    if (leafCount === null && level === 1 && ds.opened?.level === 1) leafCount = ds.opened.leafCount;
    if (leafCount === null && level === 2 && d && checkpointInterval && steps && d.segment > 0) {
      const k = checkpointInterval;
      const seg = BigInt(d.segment);
      const end = seg * k < steps ? seg * k : steps;
      leafCount = Number(end - (seg - 1n) * k);
    }
    if (leafCount === null && narrowed.length > 0) {
      // unknown count: the first node's parent covers at most this much
      const first = narrowed[0];
      leafCount = 2 ** (first.height + 1) * (first.index + 1);
    }
    const ranges: Range[] = [];
    if (leafCount !== null) ranges.push({ label: 'both roots differ', from: 0, to: leafCount });
    narrowed.forEach((n, i) => {
      const size = 2 ** n.height;
      const from = n.index * size;
      const to = leafCount === null ? from + size : Math.min(from + size, leafCount);
      ranges.push({ label: `round ${i + 1}`, from, to: Math.max(to, from + 1) });
    });
    const offset = level === 2 && d && checkpointInterval && d.segment > 0 ? Number((BigInt(d.segment) - 1n) * checkpointInterval) + 1 : 0;
    out.push({ level, leafCount, ranges, located, skipped: level < startLevel, offset });
  }
  return out;
}
