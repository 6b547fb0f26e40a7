// Loss reports: only the committed solver and the drawn verifiers may publish, well-formed reports
// become one LossesReported event with the bit patterns unchanged, and bad reports revert.
import { decodeEventLog } from 'viem';
import { describe, expect, it } from 'vitest';
import { taskAbi } from '../abi.ts';
import { Market, OTHER, SOLVER, fakeTrace } from './market-harness.ts';

describe('task module: reportLosses', () => {
  it('the solver after its commit and drawn verifiers publish losses; others and bad reports revert', () => {
    const m = new Market();
    const id = m.submit();
    m.ok(SOLVER, 'claim', [id]);
    expect(m.task(SOLVER, 'reportLosses', [id, [50n], [0x3f800000]]).revertReason).toMatch(/reportLosses: task \d+ is Claimed/);
    const trace = fakeTrace(10);
    m.ok(SOLVER, 'commit', [id, trace.traceRoot, 500n, trace.roots[10], 'http://127.0.0.1:1/ckpt']);
    const bits = [0x40135d8e, 0x3f9d70a4, 0x3f2e147b];
    const r = m.ok(SOLVER, 'reportLosses', [id, [0n, 250n, 500n], bits]);
    const ev = decodeEventLog({ abi: taskAbi, data: r.logs[0].data, topics: r.logs[0].topics as [`0x${string}`, ...`0x${string}`[]] });
    expect(ev.eventName).toBe('LossesReported');
    expect(ev.args).toMatchObject({ taskId: id, steps: [0n, 250n, 500n], lossBits: bits });
    expect(m.task(OTHER, 'reportLosses', [id, [1n], [1]]).revertReason).toMatch(/is not the solver of task/);
    expect(m.task(SOLVER, 'reportLosses', [id, [1n, 2n], [1]]).revertReason).toBe('reportLosses: 2 steps for 1 losses');
    expect(m.task(SOLVER, 'reportLosses', [id, [2n, 2n], [1, 2]]).revertReason).toBe('reportLosses: steps must be strictly increasing');
    expect(m.task(SOLVER, 'reportLosses', [id, [501n], [1]]).revertReason).toBe("reportLosses: step 501 is past the task's 500 steps");
    expect(m.task(SOLVER, 'reportLosses', [id, [], []]).revertReason).toBe('reportLosses: 1..1024 entries per report');
    const t = m.view('getTask', [id]);
    m.advanceTo(t.drawBlock + 1n);
    m.ok(OTHER, 'draw', [id]);
    const v = m.view('getTask', [id]).verifiers[0].toLowerCase() as `0x${string}`;
    m.ok(v, 'reportLosses', [id, [100n], [0x3f000000]]);
    m.checkSupply();
  });
});
