// `verity worker` end to end, all real processes: one node (50 ms blocks, short task deadlines),
// three solvers and two verifiers, three digits tasks at once:
//   1. an honest solver: claimed, trained, committed, verified by both drawn verifiers, finalized;
//      its traceRoot equals what `verity train --json` prints for the same spec;
//   2. a solver whose checkpoint server refuses every request (a test-only switch): a verifier
//      forces the checkpoint on chain with requestData and attests from the CheckpointData events;
//   3. a solver SIGKILLed mid-training and restarted: it resumes from its stored checkpoints and the
//      task still finalizes; meanwhile the node itself is restarted (same port, same data) and every
//      other worker rides it out.
// Then the ledger: rewards, fee shares, gas, scores, and total supply.
// Each solver only has its own task's data set (three different subsets of the digits, so three
// content roots), and only the two verifiers have enough stake to be drawn, so who does what is fixed.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEventLogs, toHex, type Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODULE_ADDRESSES } from '../../state-machine/modules/addresses.ts';
import { accountsAbi } from '../../state-machine/modules/accounts/abi.ts';
import { taskAbi } from '../../state-machine/modules/task/abi.ts';
import { getBackend } from '../../state-machine/repops/backend.ts';
import { parseTaskSpec } from '../../state-machine/training/spec-validate.ts';
import { loadSpecDataset } from '../datasets/load.ts';
import { train } from '../trainer/train.ts';
import { REPO, Proc, clientsFor, devKey, freePort, subsetTask, until, type DevKey } from './worker-harness.ts';

const ETHER = 10n ** 18n;
const REWARD = 5n * ETHER;
const FEE = ETHER;
const dir = mkdtempSync(join(tmpdir(), 'verity-worker-e2e-'));
const procs: Proc[] = [];
const keys = { seq: devKey(0), A: devKey(1), B: devKey(2), C: devKey(3), D: devKey(4), E: devKey(5), submitter: devKey(6) };

function keyFile(k: DevKey): string {
  const f = join(dir, `key-${k.index}`);
  writeFileSync(f, `${k.privateKey}\n`);
  return f;
}

function start(name: string, args: string[], env: Record<string, string> = {}): Proc {
  const p = new Proc(name, args, env);
  procs.push(p);
  return p;
}

function subset(dirName: string, sub: string, samples: number, seed: string): { spec: Record<string, unknown>; file: string } {
  return subsetTask(dir, dirName, sub, samples, { seed });
}

/** traceRoot of a spec, trained in this process. */
function expectedTraceRoot(t: { spec: Record<string, unknown>; file: string }): Hex {
  const parsed = parseTaskSpec({ ...t.spec, dataset: { ...(t.spec.dataset as object), path: t.file } });
  const r = train({ spec: parsed, dataset: loadSpecDataset(parsed, dir), backend: getBackend('native', () => undefined), skipEval: true });
  return r.traceRoot as Hex;
}

let rpc = '';
let chainId = 0;
let pub: ReturnType<typeof clientsFor>['pub'];
let startBlock = 0n;
const ids: Record<'honest' | 'refuse' | 'kill', bigint> = { honest: 0n, refuse: 0n, kill: 0n };
let trainCli: Proc;
let E: Proc;
let E2: Proc | null = null;
let killScenario: Promise<{ storedBeforeKill: number; phaseAfterKill: string }>;
let workers: Proc[] = [];
let refuseTask: { spec: Record<string, unknown>; file: string };
let killTask: { spec: Record<string, unknown>; file: string };

function worker(name: string, k: DevKey, role: string, extra: string[], env: Record<string, string> = {}): Proc {
  return start(name, ['worker', '--rpc', rpc, '--key-file', keyFile(k), '--role', role, '--data', join(dir, `data-${k.index}`), '--serve', '127.0.0.1:0', '--poll-ms', '100', '--fetch-timeout-ms', '2000', '--fetch-retries', '1', '--no-progress', ...extra], env);
}

async function task(id: bigint) {
  return pub.readContract({ address: MODULE_ADDRESSES.task, abi: taskAbi, functionName: 'getTask', args: [id] });
}

function finalized(id: bigint, timeoutMs = 60_000) {
  return until(`task ${id} finalized`, async () => {
    const t = await task(id);
    return t.status === 5 ? t : undefined;
  }, timeoutMs, 200);
}

beforeAll(async () => {
  // the CLI's own answer for the example spec, computed while the chain starts
  trainCli = start('train', ['train', '--spec', join('worker', 'examples', 'digits-mlp.json'), '--json']);
  const genesisFile = join(dir, 'genesis.json');
  const gen = start('genesis', ['genesis', 'init', '--out', genesisFile, '--accounts', '10']);
  expect(await gen.exited).toBe(0);
  const g = JSON.parse(readFileSync(genesisFile, 'utf8')) as { blockIntervalMs: number; modules: { stake: { bonds: Record<string, string> }; task: Record<string, string> } };
  g.blockIntervalMs = 50;
  // solvers bond 20 ETH (enough to claim), verifiers 100; only stakers above 50 ETH are drawn
  g.modules.stake.bonds = Object.fromEntries([
    [keys.A.address, `${20n * ETHER}`], [keys.D.address, `${20n * ETHER}`], [keys.E.address, `${20n * ETHER}`],
    [keys.B.address, `${100n * ETHER}`], [keys.C.address, `${100n * ETHER}`],
  ]);
  Object.assign(g.modules.task, {
    commitBlocks: '600', windowBlocks: '400', drawDelayBlocks: '2', verifierMinStake: `${50n * ETHER}`, daResponseBlocks: '200', daGraceBlocks: '100',
  });
  writeFileSync(genesisFile, JSON.stringify(g));
  // the node gets a fixed port (it is restarted below); the workers start beside it and wait for it
  rpc = `http://127.0.0.1:${await freePort()}`;
  const nodeArgs = ['node', '--genesis', genesisFile, '--datadir', join(dir, 'node'), '--rpc-port', rpc.split(':')[2], '--sequencer-key-file', keyFile(keys.seq), '--log-level', 'warn'];
  let node = start('node', nodeArgs);

  // data sets: each solver only its own; the verifiers all of them
  refuseTask = subset('ds-D', 'refuse', 1500, '2');
  killTask = subset('ds-E', 'kill', 1600, '3');
  const verifierSets = ['--datasets', join(REPO, 'worker', 'datasets'), '--datasets', join(dir, 'ds-D'), '--datasets', join(dir, 'ds-E')];
  workers = [
    worker('A', keys.A, 'solver', []),
    worker('D', keys.D, 'solver', ['--datasets', join(dir, 'ds-D')], { VERITY_WORKER_TEST_REFUSE_SERVE: '1' }),
    (E = worker('E', keys.E, 'solver', ['--datasets', join(dir, 'ds-E')], { VERITY_WORKER_TEST_SEGMENT_DELAY_MS: '400' })),
    worker('B', keys.B, 'verifier', verifierSets),
    worker('C', keys.C, 'verifier', verifierSets),
  ];
  await node.waitFor(/rpc listening on/, 60_000);
  ({ pub } = clientsFor(rpc, 271828));
  chainId = await pub.getChainId();
  await Promise.all(workers.map((w) => w.waitFor(/"msg":"worker started"/, 60_000)));

  const { wallet } = clientsFor(rpc, chainId, keys.submitter.privateKey);
  if (!wallet) throw new Error('no wallet');
  startBlock = await pub.getBlockNumber();
  const specs = { honest: readFileSync(join(REPO, 'worker', 'examples', 'digits-mlp.json')), refuse: Buffer.from(JSON.stringify(refuseTask.spec)), kill: Buffer.from(JSON.stringify(killTask.spec)) };
  for (const name of ['kill', 'honest', 'refuse'] as const) {
    const hash = await wallet.writeContract({
      address: MODULE_ADDRESSES.task, abi: taskAbi, functionName: 'submitTask',
      args: [toHex(specs[name]), FEE, 0n, { verifiers: 0, segmentsEach: 0 }, { commitBlocks: 0n, windowBlocks: 0n }], value: REWARD + FEE,
    });
    const receipt = await pub.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    const [submitted] = parseEventLogs({ abi: taskAbi, logs: receipt.logs, eventName: 'TaskSubmitted' });
    ids[name] = submitted.args.taskId;
  }

  // scenario 3 runs beside the others: kill E once it has stored a few checkpoints, restart it
  killScenario = (async () => {
    const runs = join(dir, `data-${keys.E.index}`, 'store', 'runs');
    const stored = await until('E to store checkpoints', async () => {
      if (!existsSync(runs)) return undefined;
      for (const f of readdirSync(runs)) {
        const m = JSON.parse(readFileSync(join(runs, f), 'utf8')) as { checkpoints: unknown[]; traceRoot?: string };
        if (m.checkpoints.length >= 3 && m.traceRoot === undefined) return m.checkpoints.length;
      }
      return undefined;
    }, 30_000, 20);
    await E.stop('SIGKILL');
    const st = JSON.parse(readFileSync(join(dir, `data-${keys.E.index}`, 'worker-state.json'), 'utf8')) as { solving: Record<string, { phase: string }> };
    // the node is SIGKILLed too (mid-window for the other tasks), and comes back on the same port with the same data
    await node.stop('SIGKILL');
    node = start('node-restarted', nodeArgs);
    E2 = worker('E2', keys.E, 'solver', ['--datasets', join(dir, 'ds-E')]);
    await node.waitFor(/rpc listening on/, 60_000);
    return { storedBeforeKill: stored, phaseAfterKill: st.solving[ids.kill.toString()]?.phase ?? 'none' };
  })();
  killScenario.catch(() => undefined);
}, 120_000);

afterAll(async () => {
  await Promise.all(procs.filter((p) => p.name !== 'node').map((p) => p.stop()));
  await Promise.all(procs.map((p) => p.stop()));
  if (process.env.VERITY_E2E_LOGS) for (const p of procs) writeFileSync(join(process.env.VERITY_E2E_LOGS, `${p.name}.log`), p.output);
  rmSync(dir, { recursive: true, force: true });
});

function attestedSegments(logs: Awaited<ReturnType<typeof taskLogs>>, id: bigint): Map<string, number[]> {
  const by = new Map<string, number[]>();
  for (const l of logs) {
    if (l.eventName !== 'Attested' || l.args.taskId !== id) continue;
    const v = l.args.verifier.toLowerCase();
    by.set(v, [...(by.get(v) ?? []), l.args.segment].sort((a, b) => a - b));
  }
  return by;
}

async function taskLogs(from: bigint, to: bigint) {
  const raw = await pub.getLogs({ address: MODULE_ADDRESSES.task, fromBlock: from, toBlock: to });
  return parseEventLogs({ abi: taskAbi, logs: raw });
}

describe('verity worker (real node, real worker processes)', () => {
  it('an honest solver is claimed, trained, committed, attested by both verifiers and finalized; traceRoot = verity train', async () => {
    const t = await finalized(ids.honest);
    expect(t.solver.toLowerCase()).toBe(keys.A.address);
    expect(t.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const cli = JSON.parse((await trainCli.waitFor(/\{.*"traceRoot".*\}/))[0]) as { traceRoot: string; modelHash: string; steps: number };
    expect(t.traceRoot).toBe(cli.traceRoot);
    expect(t.modelHash).toBe(cli.modelHash);
    expect(t.steps).toBe(BigInt(cli.steps));
    expect([...t.verifiers].map((v) => v.toLowerCase()).sort()).toEqual([keys.B.address, keys.C.address].sort());
    expect([...t.verifierStatus]).toEqual([1, 1]);
    const logs = await taskLogs(startBlock, await pub.getBlockNumber());
    const by = attestedSegments(logs, ids.honest);
    expect([...by.values()].flat().sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(logs.some((l) => l.eventName === 'DataRequested' && l.args.taskId === ids.honest)).toBe(false);
    // loss curves: the solver publishes one loss per checkpoint; each verifier its re-run segments',
    // bit for bit the solver's (the same RepOps training)
    // reports are best effort and asynchronous (a node restart in the kill scenario may delay one)
    const losses = await until('loss reports of the solver and both verifiers', async () => {
      const all = (await taskLogs(startBlock, await pub.getBlockNumber())).flatMap((l) => (l.eventName === 'LossesReported' && l.args.taskId === ids.honest ? [l.args] : []));
      return new Set(all.map((r) => r.reporter.toLowerCase())).size >= 3 ? all : undefined;
    }, 30_000, 200);
    const solverLoss = new Map<bigint, number>();
    for (const r of losses.filter((x) => x.reporter.toLowerCase() === keys.A.address)) r.steps.forEach((st, i) => solverLoss.set(st, r.lossBits[i]));
    expect(solverLoss.size).toBe(10);
    const verifierReports = losses.filter((x) => x.reporter.toLowerCase() !== keys.A.address);
    expect(verifierReports.length).toBeGreaterThanOrEqual(2);
    for (const r of verifierReports) r.steps.forEach((st, i) => expect(r.lossBits[i]).toBe(solverLoss.get(st)));
  }, 90_000);

  it('a solver that refuses to serve is forced on chain; the verifier attests from the posted data', async () => {
    const t = await finalized(ids.refuse);
    expect(t.solver.toLowerCase()).toBe(keys.D.address);
    expect(t.traceRoot).toBe(expectedTraceRoot(refuseTask));
    expect([...t.verifierStatus]).toEqual([1, 1]);
    const logs = await taskLogs(startBlock, await pub.getBlockNumber());
    const requested = logs.filter((l) => l.eventName === 'DataRequested' && l.args.taskId === ids.refuse);
    const posted = logs.filter((l) => l.eventName === 'DataPosted' && l.args.taskId === ids.refuse);
    // segments are split 5/5, so the verifier without segment 1 cannot start from C_0 and must ask
    expect(requested.length).toBeGreaterThanOrEqual(1);
    expect(posted.map((p) => (p.eventName === 'DataPosted' ? p.args.leaf : -1))).toEqual(requested.map((r) => (r.eventName === 'DataRequested' ? r.args.leaf : -2)));
    expect(logs.filter((l) => l.eventName === 'CheckpointData' && l.args.taskId === ids.refuse).length).toBeGreaterThanOrEqual(8 * requested.length);
    expect([...attestedSegments(logs, ids.refuse).values()].flat().sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  }, 90_000);

  it('a solver SIGKILLed mid-training resumes from its checkpoints and the task finalizes', async () => {
    const k = await killScenario;
    expect(k.phaseAfterKill).toBe('claimed');
    expect(k.storedBeforeKill).toBeGreaterThanOrEqual(3);
    if (!E2) throw new Error('E was not restarted');
    const resumed = await E2.waitFor(/"msg":"resuming training from a stored checkpoint"/, 30_000);
    expect(resumed[0]).toBeTruthy();
    const t = await finalized(ids.kill);
    expect(t.solver.toLowerCase()).toBe(keys.E.address);
    expect(t.traceRoot).toBe(expectedTraceRoot(killTask));
    expect([...t.verifierStatus]).toEqual([1, 1]);
    // the workers that kept running saw the node go away and come back
    for (const w of workers.filter((x) => x !== E)) expect(w.output, w.name).toMatch(/"msg":"node reachable again; following events"/);
  }, 90_000);

  it('pays rewards and fee shares, scores the ledger, and conserves total supply', async () => {
    await Promise.all(Object.values(ids).map((id) => finalized(id)));
    const end = await pub.getBlockNumber();
    const logs = await taskLogs(startBlock, end);
    const fin = logs.filter((l) => l.eventName === 'TaskFinalized');
    expect(fin).toHaveLength(3);
    for (const f of fin) if (f.eventName === 'TaskFinalized') expect(f.args).toMatchObject({ reward: REWARD, feePerVerifier: FEE / 2n, attesters: 2 });

    // gas each worker paid between the first submission and now, from the block receipts
    const gas = new Map<string, bigint>();
    for (let n = startBlock + 1n; n <= end; n++) {
      const receipts = await pub.request({ method: 'eth_getBlockReceipts', params: [toHex(n)] });
      for (const r of receipts ?? []) gas.set(r.from.toLowerCase(), (gas.get(r.from.toLowerCase()) ?? 0n) + BigInt(r.gasUsed) * BigInt(r.effectiveGasPrice));
    }
    const balance = (a: Hex, b: bigint) => pub.getBalance({ address: a, blockNumber: b });
    const earned: [DevKey, bigint][] = [[keys.A, REWARD], [keys.D, REWARD], [keys.E, REWARD], [keys.B, (3n * FEE) / 2n], [keys.C, (3n * FEE) / 2n], [keys.submitter, -3n * (REWARD + FEE)]];
    for (const [k, amount] of earned) {
      const delta = (await balance(k.address, end)) - (await balance(k.address, startBlock));
      expect(delta, `balance change of account ${k.index}`).toBe(amount - (gas.get(k.address) ?? 0n));
    }
    const score = (k: DevKey) => pub.readContract({ address: MODULE_ADDRESSES.task, abi: taskAbi, functionName: 'scoreOf', args: [k.address] });
    for (const k of [keys.A, keys.D, keys.E]) expect(await score(k)).toMatchObject({ tasksSolved: 1n, tasksVerified: 0n, rewardEarned: REWARD });
    for (const k of [keys.B, keys.C]) expect(await score(k)).toMatchObject({ tasksSolved: 0n, tasksVerified: 3n, rewardEarned: (3n * FEE) / 2n });

    // total supply: unchanged, and every wei of it is held by the accounts and modules we know
    const supply = (b: bigint) => pub.readContract({ address: MODULE_ADDRESSES.accounts, abi: accountsAbi, functionName: 'totalSupply', blockNumber: b });
    expect(await supply(end)).toBe(await supply(startBlock));
    const holders: Hex[] = [...Array.from({ length: 10 }, (_, i) => devKey(i).address), ...Object.values(MODULE_ADDRESSES), '0x0000000000000000000000000000000000000fee'];
    let sum = 0n;
    for (const h of holders) sum += await balance(h, end);
    expect(sum).toBe(await supply(end));
  }, 90_000);
});
