// The Verde adversarial matrix on a real node with real worker processes: one cheating solver per
// `--misbehave` mode, each on its own task (its own subset of the digits, so only it can claim it),
// two honest verifiers and a verifier that challenges honest work, all three drawn for every task
// (the false challenger can run only its own two tasks: on the others it is silent and slashed). For each
// row: who wins, where the game ended, what was slashed; then the honest solver re-solves the task
// the op cheat lost, a claim that is never committed expires and is finished by an honest solver,
// and total supply equals genesis supply minus what slashing burned.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEventLogs, toHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODULE_ADDRESSES } from '../../state-machine/modules/addresses.ts';
import { accountsAbi } from '../../state-machine/modules/accounts/abi.ts';
import { slashingAbi } from '../../state-machine/modules/slashing/abi.ts';
import { taskAbi } from '../../state-machine/modules/task/abi.ts';
import { verdeAbi } from '../../state-machine/modules/verde/abi.ts';
import { descentRounds } from '../../state-machine/modules/verde/descent.ts';
import { parseTaskSpec } from '../../state-machine/training/spec-validate.ts';
import { graphOfStep } from '../../state-machine/training/graph-of-step.ts';
import { Proc, clientsFor, devKey, freePort, subsetTask, until, type DevKey } from './worker-harness.ts';

const ETHER = 10n ** 18n;
const dir = mkdtempSync(join(tmpdir(), 'verity-verde-e2e-'));
const procs: Proc[] = [];
const SHORT = { steps: 20, checkpointInterval: 5 };

type RowName = 'op' | 'checkpoint' | 'skip' | 'data' | 'lazy' | 'silent' | 'refuse' | 'falseChallenge';
interface Row {
  key: DevKey;
  misbehave?: string;
  samples: number;
}
const rows: Record<RowName, Row> = {
  op: { key: devKey(1), misbehave: 'op:10:16', samples: 1500 },
  checkpoint: { key: devKey(2), misbehave: 'checkpoint:10', samples: 1501 },
  skip: { key: devKey(3), misbehave: 'skip:10', samples: 1502 },
  data: { key: devKey(4), misbehave: 'data:10', samples: 1503 },
  lazy: { key: devKey(5), misbehave: 'lazy', samples: 1504 },
  silent: { key: devKey(6), misbehave: 'silent-after:1', samples: 1505 },
  refuse: { key: devKey(7), misbehave: 'refuse-data', samples: 1506 },
  falseChallenge: { key: devKey(8), samples: 1507 },
};
const keys = { seq: devKey(0), V1: devKey(9), V2: devKey(10), FV: devKey(11), submitter: devKey(12), H2: devKey(13), idle: devKey(14) };
const ids = {} as Record<RowName, bigint>;
/** a task claimed by an account that never commits: it expires, and an honest solver takes it over */
let expireId = 0n;
let rpc = '';
let pub: ReturnType<typeof clientsFor>['pub'];
let genesisSupply = 0n;

function keyFile(k: DevKey): string {
  const f = join(dir, `key-${k.index}`);
  writeFileSync(f, `${k.privateKey}\n`);
  return f;
}

function start(name: string, args: string[]): Proc {
  const p = new Proc(name, args);
  procs.push(p);
  return p;
}

/** running workers by name, and how each was started (to restart it after a SIGKILL) */
const running = new Map<string, { proc: Proc; args: [DevKey, string, string[], string | undefined] }>();

/** SIGKILLs a worker and starts it again with the same key, data dir and flags. */
async function restart(name: string): Promise<Proc> {
  const w = running.get(name);
  if (!w) throw new Error(`no worker ${name}`);
  await w.proc.stop('SIGKILL');
  return worker(name, ...w.args);
}

function worker(name: string, k: DevKey, role: string, datasets: string[], misbehave?: string): Proc {
  const proc = start(name, [
    'worker', '--rpc', rpc, '--key-file', keyFile(k), '--role', role, '--data', join(dir, `data-${name}`), '--serve', '127.0.0.1:0',
    '--poll-ms', '100', '--fetch-timeout-ms', '1500', '--fetch-retries', '0', '--no-progress',
    ...datasets.flatMap((d) => ['--datasets', join(dir, d)]), ...(misbehave ? ['--misbehave', misbehave] : []),
  ]);
  running.set(name, { proc, args: [k, role, datasets, misbehave] });
  return proc;
}

async function task(id: bigint) {
  return pub.readContract({ address: MODULE_ADDRESSES.task, abi: taskAbi, functionName: 'getTask', args: [id] });
}

async function dispute(taskId: bigint) {
  const id = await pub.readContract({ address: MODULE_ADDRESSES.verde, abi: verdeAbi, functionName: 'disputeOf', args: [taskId] });
  return id === 0n ? undefined : pub.readContract({ address: MODULE_ADDRESSES.verde, abi: verdeAbi, functionName: 'getDispute', args: [id] });
}

async function slashes(who: string) {
  return pub.readContract({ address: MODULE_ADDRESSES.slashing, abi: slashingAbi, functionName: 'slashesOf', args: [who as `0x${string}`] });
}

/**
 * Waits until the task's solver has lost it: slashed, and the task reopened (or refunded). Both stay
 * true when, its jail over, the cheater claims the task again.
 */
function lost(name: RowName, timeoutMs = 90_000) {
  return until(`${name}: the cheating solver loses the task`, async () => {
    const t = await task(ids[name]);
    if (t.reopenCount === 0 && t.status !== 6) return undefined;
    const s = await slashes(rows[name].key.address);
    return s.length > 0 ? { t, s } : undefined;
  }, timeoutMs, 200);
}

beforeAll(async () => {
  const genesisFile = join(dir, 'genesis.json');
  const gen = start('genesis', ['genesis', 'init', '--out', genesisFile, '--accounts', '15']);
  expect(await gen.exited).toBe(0);
  const g = JSON.parse(readFileSync(genesisFile, 'utf8')) as {
    blockIntervalMs: number; alloc: Record<string, string>;
    modules: { stake: { bonds: Record<string, string> }; task: Record<string, string>; verde: Record<string, string> };
  };
  g.blockIntervalMs = 50;
  // solvers bond 20 ETH (enough to claim); only the verifiers, with 100, are above the draw's minimum
  g.modules.stake.bonds = Object.fromEntries([
    ...[...Object.values(rows).map((r) => r.key), keys.H2, keys.idle].map((k) => [k.address, `${20n * ETHER}`]),
    ...[keys.V1, keys.V2, keys.FV].map((k) => [k.address, `${100n * ETHER}`]),
  ]);
  Object.assign(g.modules.task, { commitBlocks: '1200', windowBlocks: '400', drawDelayBlocks: '2', verifierMinStake: `${50n * ETHER}`, daResponseBlocks: '200', daGraceBlocks: '100', maxReopens: '3' });
  Object.assign(g.modules.verde, { arity: '4', clockBlocks: '600' });
  writeFileSync(genesisFile, JSON.stringify(g));
  genesisSupply = [...Object.values(g.alloc), ...Object.values(g.modules.stake.bonds)].reduce((s, v) => s + BigInt(v), 0n);

  rpc = `http://127.0.0.1:${await freePort()}`;
  const node = start('node', ['node', '--genesis', genesisFile, '--datadir', join(dir, 'node'), '--rpc-port', rpc.split(':')[2], '--sequencer-key-file', keyFile(keys.seq), '--log-level', 'warn']);
  const tasks = Object.fromEntries(Object.entries(rows).map(([name, r], i) => [name, subsetTask(dir, `ds-${name}`, name, r.samples, { ...SHORT, seed: String(10 + i) })])) as Record<RowName, ReturnType<typeof subsetTask>>;
  const expiring = subsetTask(dir, 'ds-expire', 'expire', 1508, { ...SHORT, seed: '30' });
  const all = [...Object.keys(rows).map((n) => `ds-${n}`), 'ds-expire'];
  for (const [name, r] of Object.entries(rows) as [RowName, Row][]) {
    if (name === 'falseChallenge') continue; // solved by the honest solver, started below
    worker(name, r.key, 'solver', [`ds-${name}`], r.misbehave);
  }
  worker('V1', keys.V1, 'verifier', all);
  worker('V2', keys.V2, 'verifier', all);
  worker('FV', keys.FV, 'verifier', ['ds-silent', 'ds-falseChallenge'], 'false-challenge');
  worker('H', rows.falseChallenge.key, 'solver', ['ds-falseChallenge']);
  await node.waitFor(/rpc listening on/, 60_000);
  ({ pub } = clientsFor(rpc, 271828));
  await Promise.all(procs.filter((p) => p.name !== 'node' && p.name !== 'genesis').map((w) => w.waitFor(/"msg":"worker started"/, 90_000)));

  const { wallet } = clientsFor(rpc, 271828, keys.submitter.privateKey);
  if (!wallet) throw new Error('no wallet');
  for (const [name, r] of Object.entries(rows) as [RowName, Row][]) {
    const hash = await wallet.writeContract({
      address: MODULE_ADDRESSES.task, abi: taskAbi, functionName: 'submitTask',
      // every drawn verifier re-runs every segment: one honest verifier among those drawn is enough
      args: [toHex(Buffer.from(JSON.stringify(tasks[name].spec))), ETHER, 0n, { verifiers: 3, segmentsEach: 4 }, { commitBlocks: 0n, windowBlocks: 0n }],
      value: 3n * ETHER,
    });
    const receipt = await pub.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    ids[name] = parseEventLogs({ abi: taskAbi, logs: receipt.logs, eventName: 'TaskSubmitted' })[0].args.taskId;
  }
  const submitted = await wallet.writeContract({
    address: MODULE_ADDRESSES.task, abi: taskAbi, functionName: 'submitTask',
    args: [toHex(Buffer.from(JSON.stringify(expiring.spec))), ETHER, 0n, { verifiers: 3, segmentsEach: 4 }, { commitBlocks: 40n, windowBlocks: 0n }],
    value: 3n * ETHER,
  });
  expireId = parseEventLogs({ abi: taskAbi, logs: (await pub.waitForTransactionReceipt({ hash: submitted, pollingInterval: 50 })).logs, eventName: 'TaskSubmitted' })[0].args.taskId;
  const idle = clientsFor(rpc, 271828, keys.idle.privateKey).wallet;
  if (!idle) throw new Error('no wallet');
  await pub.waitForTransactionReceipt({ hash: await idle.writeContract({ address: MODULE_ADDRESSES.task, abi: taskAbi, functionName: 'claim', args: [expireId] }), pollingInterval: 50 });
}, 180_000);

afterAll(async () => {
  await Promise.all(procs.filter((p) => p.name !== 'node').map((p) => p.stop()));
  await Promise.all(procs.map((p) => p.stop()));
  if (process.env.VERITY_E2E_LOGS) for (const p of procs) writeFileSync(join(process.env.VERITY_E2E_LOGS, `${p.name}.log`), p.output);
  rmSync(dir, { recursive: true, force: true });
});

describe('Verde on real processes: every cheat loses', () => {
  it('op:T:J — the referee re-runs exactly the flipped op, through a SIGKILL of both players mid-dispute; the solver is slashed; an honest solver re-solves the task', async () => {
    // as soon as the game opens, kill both players and start them again: the chain holds the game
    const opened = await until('op dispute opened', () => dispute(ids.op), 90_000, 20);
    const challenger = [['V1', keys.V1], ['V2', keys.V2]].find(([, k]) => (k as DevKey).address === opened.challenger.toLowerCase())?.[0] as string;
    const wasOpen = opened.level < 5;
    const restarted = await Promise.all([restart('op'), restart(challenger)]);
    await Promise.all(restarted.map((p) => p.waitFor(/"msg":"worker started"/, 60_000)));
    const { s } = await lost('op');
    expect(wasOpen).toBe(true);
    expect(restarted[0].logs(/dispute move|playing the dispute/).length + restarted[1].logs(/dispute move|playing the dispute/).length).toBeGreaterThan(0);
    const d = await dispute(ids.op);
    expect(d).toBeDefined();
    expect(d).toMatchObject({ outcome: 2, step: 10n, op: 16 });
    expect(d?.reason).toMatch(/re-ran op 16 /);
    // a spot-check enters at the segment: rounds are those of the step and op levels (arity 4)
    const ops = graphOfStep(parseTaskSpec(JSON.parse(JSON.stringify(await specOf(ids.op)))), 10).ops.length;
    expect(d?.rounds).toBeGreaterThanOrEqual(descentRounds(SHORT.checkpointInterval, 4) + descentRounds(ops, 4));
    expect(s.map((x) => x.reason)).toContain(4);
    expect(s.find((x) => x.reason === 4)?.taken).toBe(ETHER);
    // jailed, the cheater cannot take it back; an honest solver, started now, re-solves it
    const h2 = worker('H2', keys.H2, 'solver', ['ds-op', 'ds-expire']);
    await h2.waitFor(/"msg":"worker started"/, 60_000);
    const t = await until('op task finalized by the honest solver', async () => {
      const x = await task(ids.op);
      return x.status === 5 ? x : undefined;
    }, 120_000, 200);
    expect(t.solver.toLowerCase()).toBe(keys.H2.address);
  }, 200_000);

  it.each(['checkpoint', 'skip', 'data'] as const)('%s:T — the solver loses and is slashed', async (name) => {
    const { s } = await lost(name);
    expect(s.length).toBeGreaterThan(0);
    const d = await dispute(ids[name]);
    if (d) {
      expect(d.outcome).toBe(2);
      expect(d.step).toBe(10n);
    }
  }, 120_000);

  it('lazy — a made-up traceRoot cannot be defended', async () => {
    const { s } = await lost('lazy');
    expect(s.length).toBeGreaterThan(0);
  }, 120_000);

  it('silent-after:N — a solver that stops answering loses on its clock, even against a false challenge', async () => {
    const d = await until('silent solver dispute resolved', async () => {
      const x = await dispute(ids.silent);
      return x && x.level === 5 ? x : undefined;
    }, 120_000, 200);
    expect(d.outcome).toBe(2);
    expect(d.reason).toMatch(/solver's clock ran out/);
  }, 130_000);

  it('refuse-data — withholding checkpoints gains nothing: the verifiers check anyway and the task finalizes', async () => {
    // a short task is cheaper to re-run whole than to force on chain, so the verifiers re-run it
    // (the data-availability path itself is covered by worker-e2e.test.ts)
    const t = await until('refuse task finalized', async () => {
      const x = await task(ids.refuse);
      return x.status === 5 ? x : undefined;
    }, 120_000, 200);
    expect(t.solver.toLowerCase()).toBe(rows.refuse.key.address);
    // the false challenger, drawn too, cannot run this task's data set: it is silent and slashed
    expect([...t.verifierStatus]).toContain(1);
  }, 130_000);

  it('false-challenge — an honest solver facing a false challenger loses nothing and takes the bond', async () => {
    const d = await until('false challenge resolved', async () => {
      const x = await dispute(ids.falseChallenge);
      return x && x.level === 5 ? x : undefined;
    }, 120_000, 200);
    expect(d.outcome).toBe(1);
    expect(d.challenger.toLowerCase()).toBe(keys.FV.address);
    expect(await slashes(rows.falseChallenge.key.address)).toEqual([]);
    expect((await slashes(keys.FV.address)).some((x) => x.reason === 4)).toBe(true);
    const t = await until('false-challenged task finalized', async () => {
      const x = await task(ids.falseChallenge);
      return x.status === 5 ? x : undefined;
    }, 90_000, 200);
    expect(t.solver.toLowerCase()).toBe(rows.falseChallenge.key.address);
  }, 220_000);

  it('a claim never committed expires: the claimer is slashed (missed commit) and an honest solver finishes the task', async () => {
    const t = await until('expired task finalized', async () => {
      const x = await task(expireId);
      return x.status === 5 ? x : undefined;
    }, 150_000, 200);
    expect(t.solver.toLowerCase()).toBe(keys.H2.address);
    expect(t.reopenCount).toBe(1);
    const s = await slashes(keys.idle.address);
    expect(s.map((x) => [x.reason, x.taken])).toEqual([[1, ETHER]]);
  }, 160_000);

  it('supply: genesis supply minus what slashing burned', async () => {
    const supply = await pub.readContract({ address: MODULE_ADDRESSES.accounts, abi: accountsAbi, functionName: 'totalSupply' });
    const burned = await pub.readContract({ address: MODULE_ADDRESSES.slashing, abi: slashingAbi, functionName: 'totalBurned' });
    expect(burned).toBeGreaterThan(0n);
    expect(supply).toBe(genesisSupply - burned - (await bondsBurned()));
  });
});

async function specOf(id: bigint): Promise<unknown> {
  const hex = await pub.readContract({ address: MODULE_ADDRESSES.task, abi: taskAbi, functionName: 'specOf', args: [id] });
  return JSON.parse(Buffer.from(hex.slice(2), 'hex').toString('utf8'));
}

/** Challenge bonds burned when both parties of a dispute lose (none expected here). */
async function bondsBurned(): Promise<bigint> {
  let n = 0n;
  for (const id of Object.values(ids)) {
    const d = await dispute(id);
    if (d?.outcome === 3) n += ETHER;
  }
  return n;
}
