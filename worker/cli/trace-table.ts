// `verity trace` for people: the step's roots, then one row per op (or one op's inputs and proofs
// with --op). Hashes in rows are cut to a prefix; the roots are printed whole so they can be compared
// with a commitment. `--json` prints everything, whole.
import type { OpRecord } from '../trainer/reexecute.ts';
import type { OpDetail, TraceResult } from './trace-command.ts';

const PREFIX = 10; // 0x + 8 hex digits

function short(h: string): string {
  return h.length > PREFIX + 2 ? `${h.slice(0, PREFIX)}…` : h;
}

function shape(s: readonly number[]): string {
  return `[${s.join('×')}]`;
}

function input(ref: OpRecord['inputs'][number]): string {
  switch (ref.kind) {
    case 'op':
      return `op ${ref.index}`;
    case 'state':
      return `state ${ref.index}`;
    case 'data':
      return `${ref.field}${shape(ref.shape)}`;
    case 'const':
      return `const${shape(ref.shape)}`;
  }
}

function attrs(a: OpRecord['attrs']): string {
  return Object.entries(a)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join(' ');
}

/** Left-aligned columns, two spaces apart; the last column is not padded. */
export function columns(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd());
}

function header(r: TraceResult): string[] {
  const from = r.replayedFrom.step === 0 ? 'C_0 (initial state)' : `checkpoint C_${r.replayedFrom.step}`;
  const lines = [
    `step ${r.step}: ${r.opCount} ops, replayed from ${from}`,
    ...columns([
      ['prevStateRoot', r.prevStateRoot],
      ['stateRoot', r.stateRoot],
      ['opRoot', r.opRoot],
      ['datasetRoot', r.datasetRoot],
      ['loss', String(r.loss)],
    ]).map((l) => `  ${l}`),
  ];
  if (r.checkpoint) {
    const c = r.checkpoint;
    lines.push(`  checkpoint    ${c.matches ? 'matches' : 'DIFFERS from'} the committed C_${r.step} ${short(c.committed)} (traceRoot ${short(c.traceRoot)}, leaf ${c.proof.index})`);
  }
  return lines;
}

function opTable(ops: NonNullable<TraceResult['ops']>): string[] {
  return columns([
    ['j', 'op', 'opcode', 'inputs', 'shape', 'output hash', 'attrs'],
    ...ops.map((o) => [String(o.j), o.name, String(o.opcode), o.inputs.map(input).join(', '), shape(o.shape), short(o.outputHash), attrs(o.attrs)]),
  ]);
}

function opDetail(op: OpDetail): string[] {
  return [
    `op ${op.j}: ${op.name} (opcode ${op.opcode})${Object.keys(op.attrs).length > 0 ? ` ${attrs(op.attrs)}` : ''}`,
    `  output ${op.output.dtype}${shape(op.output.shape)} ${op.output.hash}`,
    `  leaf   ${op.leaf} (index ${op.leafProof.index}, ${op.leafProof.siblings.length} siblings, against opRoot)`,
    '',
    ...columns([
      ['input', 'ref', 'tensor', 'hash', 'proven against'],
      ...op.inputs.map((i, k) => [
        String(k),
        input(i.ref),
        `${i.tensor.dtype}${shape(i.tensor.shape)}`,
        short(i.tensor.hash),
        i.against === undefined ? '(constant in the graph)' : `${i.against}${i.samples ? ` (${i.samples.length} samples)` : ` (index ${i.proof?.index})`}`,
      ]),
    ]),
  ];
}

/** The table `verity trace` prints without --json. */
export function traceTable(r: TraceResult): string {
  const body = r.op !== undefined ? opDetail(r.op) : opTable(r.ops ?? []);
  return [...header(r), '', ...body, '', `(--json prints every field and proof in full)`].join('\n');
}
