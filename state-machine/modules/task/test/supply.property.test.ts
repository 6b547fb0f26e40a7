// Random sequences of market calls and block advances: whatever happens (most random calls revert),
// balances always sum to the total supply, every module's escrow invariant holds (checked after each
// call and block by the harness), and the supply only ever falls, by exactly what slashing burned.
import fc from 'fast-check';
import { decodeFunctionResult, encodeFunctionData } from 'viem';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../../crypto/hash.ts';
import { MODULE_ADDRESSES } from '../../addresses.ts';
import { slashingAbi } from '../../slashing/abi.ts';
import { stakeAbi } from '../../stake/abi.ts';
import { ACCOUNTS, ETH, Market, fakeTrace, proofOf } from './market-harness.ts';

const actors = ACCOUNTS.slice(1);
const op = fc.oneof(
  fc.record({ kind: fc.constant('submit' as const), who: fc.nat(8), reward: fc.bigInt(1n, 5n * ETH), verifiers: fc.nat(3) }),
  fc.record({ kind: fc.constantFrom('claim' as const, 'commit' as const, 'draw' as const, 'finalize' as const, 'expire' as const, 'cancel' as const, 'resolveData' as const), who: fc.nat(8), task: fc.nat(4) }),
  fc.record({ kind: fc.constantFrom('attest' as const, 'requestData' as const), task: fc.nat(4), honest: fc.boolean(), pick: fc.nat(20) }),
  fc.record({ kind: fc.constant('advance' as const), blocks: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constantFrom('bond' as const, 'unbond' as const), who: fc.nat(8), amount: fc.bigInt(1n, 50n * ETH) }),
);

function burned(m: Market): bigint {
  const r = m.send(ACCOUNTS[0], MODULE_ADDRESSES.slashing, encodeFunctionData({ abi: slashingAbi, functionName: 'totalBurned' }));
  return decodeFunctionResult({ abi: slashingAbi, functionName: 'totalBurned', data: bytesToHex(r.returnData) });
}

describe('market supply property', () => {
  it('supply is conserved (less burns) across random market sequences', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 10, maxLength: 40 }), (ops) => {
        const m = new Market();
        const supply = m.state.totalSupply();
        const trace = fakeTrace(10);
        const ids = () => m.view('taskCount') as bigint;
        for (const o of ops) {
          const id = 'task' in o ? BigInt(o.task) + 1n : 0n;
          const exists = id > 0n && id <= ids();
          switch (o.kind) {
            case 'submit':
              m.task(actors[o.who], 'submitTask', [bytesToHex(m.submitSpecBytes()), ETH / 10n, 0n, { verifiers: o.verifiers, segmentsEach: 0 }, { commitBlocks: 0n, windowBlocks: 0n }], o.reward + ETH / 10n);
              break;
            case 'commit':
              if (exists) m.task(m.view('getTask', [id]).solver.toLowerCase() as `0x${string}`, 'commit', [id, trace.traceRoot, 500n, trace.roots[10], 'x']);
              break;
            case 'attest':
            case 'requestData': {
              if (!exists) break;
              const t = m.view('getTask', [id]);
              if (t.verifiers.length === 0) break;
              const v = o.pick % t.verifiers.length;
              const segs = t.verifierSegments[v];
              const s = o.honest ? segs[o.pick % segs.length] : (o.pick % 11);
              const who = t.verifiers[v].toLowerCase() as `0x${string}`;
              if (o.kind === 'attest') m.task(who, 'attest', [id, s, trace.roots[s] ?? trace.roots[0], proofOf(trace.tree, s % 11)]);
              else m.task(who, 'requestData', [id, s]);
              break;
            }
            case 'advance':
              m.advance(o.blocks);
              break;
            case 'bond':
              m.send(actors[o.who], MODULE_ADDRESSES.stake, encodeFunctionData({ abi: stakeAbi, functionName: 'bond' }), o.amount);
              break;
            case 'unbond':
              m.send(actors[o.who], MODULE_ADDRESSES.stake, encodeFunctionData({ abi: stakeAbi, functionName: 'beginUnbond', args: [o.amount] }));
              break;
            default:
              m.task(actors[o.who], o.kind, [id]);
          }
        }
        expect(m.state.totalSupply()).toBe(supply - burned(m));
      }),
      { numRuns: 40, seed: 4242 },
    );
  });
});
