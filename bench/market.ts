// Compute-market benchmark (`npm run bench:market`, not a test): an in-process devnet node with the
// default devnet genesis (250 ms blocks, 120-block window) and real `verity worker` processes, as
// `verity devnet` runs them. Per run it waits for the workers to start, submits --tasks copies of
// the digits MLP example (seed i, so every task trains anew) at once from the accounts that run no
// worker, and follows them to Finalized. It reports
//   - tasks per minute end to end: tasks / (last TaskFinalized - first submit),
//   - per task: submit → claim, claim → commit (training + two transactions), commit → finalize,
//     and the protocol overhead in it: commit → finalize minus the window itself (windowBlocks ×
//     the block interval), and the blocks between the window's end and TaskFinalized,
//   - the verifier's re-run time as a share of the solver's training time, from the worker logs:
//     the sum of one verifier's `re-ran segment` seconds for a task over the solver's `trained`
//     seconds for it (training includes checkpoint hashing/writes and the test-set evaluation),
//     and VerifiersDrawn → that verifier's last Attested on chain (fetching, re-running, attesting).
// Options: --tasks N (6) --solvers N (1) --verifiers N (2) --runs N (1) --window-blocks N (0 = genesis).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateKeyToAccount } from 'viem/accounts';
import { defaultDevnetGenesis, devnetAccounts } from '../genesis/index.ts';
import { createLogger } from '../infra/logger.ts';
import { DEFAULT_CONFIG } from '../node/config.ts';
import { followTasks, type SeenEvent } from '../node/devnet/demo.ts';
import { alignDevnetStakes } from '../node/devnet/stake.ts';
import { WorkerSupervisor, assignRoles, prepareWorkers, type DevnetWorker } from '../node/devnet/workers.ts';
import { EXAMPLE_SPEC } from '../node/cli/devnet-command.ts';
import { startNode } from '../node/verity-node.ts';
import { bytesToHex } from '../state-machine/crypto/hash.ts';
import { TaskClient } from '../worker/cli/task-client.ts';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const TASKS = arg('tasks', 6);
const SOLVERS = arg('solvers', 1);
const VERIFIERS = arg('verifiers', 2);
const RUNS = arg('runs', 1);
const WINDOW = BigInt(arg('window-blocks', 0));

const median = (xs: number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const f = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : '—');

interface LogLine {
  msg?: string;
  task?: string;
  seconds?: number;
  address?: string;
}

function readLog(w: DevnetWorker): LogLine[] {
  return readFileSync(w.logFile, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as LogLine];
      } catch {
        return [];
      }
    });
}

async function waitForWorkers(workers: DevnetWorker[], timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!workers.every((w) => readLog(w).some((l) => l.msg === 'worker started'))) {
    if (Date.now() > deadline) throw new Error('workers did not start in time; see their logs');
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface RunResult {
  tasksPerMinute: number;
  wallSeconds: number;
  submitToClaim: number[];
  claimToCommit: number[];
  commitToFinal: number[];
  overhead: number[];
  blocksAfterWindow: number[];
  endToEnd: number[];
  trainSeconds: number[];
  rerunShare: number[];
  verifyWall: number[];
  attesters: number[];
  windowSeconds: number;
}

async function runOnce(run: number): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'verity-bench-market-'));
  const genesis = defaultDevnetGenesis();
  const accounts = devnetAccounts(10);
  const log = createLogger('bench', 'silent');
  const node = await startNode({ ...DEFAULT_CONFIG, dataDir: dir, rpcPort: 0, sequencerKey: accounts[0].privateKey, logLevel: 'silent' }, genesis, log);
  const roles = assignRoles(SOLVERS, VERIFIERS);
  const workers = await prepareWorkers(dir, accounts, roles);
  const sup = new WorkerSupervisor({ rpc: node.url, workers, logger: log, report: (l) => process.stderr.write(`${l}\n`) });
  const cleanup = async (): Promise<void> => {
    await sup.stop();
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (): void => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await alignDevnetStakes(node.url, accounts, roles.map((r) => r.index), genesis.modules.stake.bonds, log);
    sup.start();
    await waitForWorkers(workers);
    const submitters = accounts.slice(1, 10).filter((a) => !roles.some((r) => r.index === a.index));
    if (submitters.length === 0) throw new Error('no account left to submit from');
    const client = await TaskClient.connect(node.url);
    const base = JSON.parse(readFileSync(EXAMPLE_SPEC, 'utf8')) as Record<string, unknown>;
    const from = await client.blockNumber();
    const t0 = performance.now();
    const submitAt = new Map<bigint, number>();
    // each submitter sends its share in sequence (one nonce sequence), all submitters at once
    const ids = (
      await Promise.all(
        submitters.map(async (a, s) => {
          const mine: bigint[] = [];
          for (let i = s; i < TASKS; i += submitters.length) {
            const spec = bytesToHex(new TextEncoder().encode(JSON.stringify({ ...base, seed: String(run * 1000 + i + 1) })));
            const at = performance.now();
            const r = await client.submitTask(privateKeyToAccount(a.privateKey), {
              spec, reward: 10n ** 18n, fee: 10n ** 16n, minStake: 0n, verifiers: 0, segmentsEach: 0, commitBlocks: 0n, windowBlocks: WINDOW,
            });
            submitAt.set(r.taskId, at);
            mine.push(r.taskId);
          }
          return mine;
        }),
      )
    ).flat();
    const seen = new Map<bigint, SeenEvent[]>();
    const ended = await followTasks(client, ids, from, (e) => {
      const id = e.event.args.taskId;
      seen.set(id, [...(seen.get(id) ?? []), e]);
    }, { pollMs: 50 });
    const wallSeconds = (performance.now() - t0) / 1000;
    const notFinal = ids.filter((id) => ended.get(id) !== 'Finalized');
    if (notFinal.length > 0) throw new Error(`tasks ${notFinal.join(', ')} did not finalize`);

    const windowSeconds = (Number((await client.getTask(ids[0])).windowBlocks) * genesis.blockIntervalMs) / 1000;
    const logs = new Map(workers.map((w) => [w.name, readLog(w)]));
    const r: RunResult = {
      tasksPerMinute: (ids.length / wallSeconds) * 60, wallSeconds, submitToClaim: [], claimToCommit: [], commitToFinal: [], overhead: [],
      blocksAfterWindow: [], endToEnd: [], trainSeconds: [], rerunShare: [], verifyWall: [], attesters: [], windowSeconds,
    };
    for (const id of ids) {
      const ev = seen.get(id) ?? [];
      const at = (name: string): SeenEvent | undefined => ev.find((e) => e.event.eventName === name);
      const claim = at('TaskClaimed');
      const commit = at('TaskCommitted');
      const drawn = at('VerifiersDrawn');
      const fin = at('TaskFinalized');
      if (!claim || !commit || !fin || !drawn) throw new Error(`task ${id}: missing events (${ev.map((e) => e.event.eventName).join(' ')})`);
      const sub = submitAt.get(id) ?? t0;
      r.submitToClaim.push((claim.seenAt - sub) / 1000);
      r.claimToCommit.push((commit.seenAt - claim.seenAt) / 1000);
      r.commitToFinal.push((fin.seenAt - commit.seenAt) / 1000);
      r.overhead.push((fin.seenAt - commit.seenAt) / 1000 - windowSeconds);
      if (commit.event.eventName === 'TaskCommitted') r.blocksAfterWindow.push(Number(fin.block - commit.event.args.windowEnd));
      r.endToEnd.push((fin.seenAt - sub) / 1000);
      if (fin.event.eventName === 'TaskFinalized') r.attesters.push(fin.event.args.attesters);
      // training and re-running, from the worker logs
      const solverName = workers.find((w) => w.account.address.toLowerCase() === (claim.event.args as { solver: string }).solver.toLowerCase())?.name;
      const trained = (logs.get(solverName ?? '') ?? []).find((l) => l.msg === 'trained' && l.task === id.toString());
      if (trained?.seconds !== undefined) r.trainSeconds.push(trained.seconds);
      if (drawn.event.eventName !== 'VerifiersDrawn') continue;
      for (const v of drawn.event.args.verifiers) {
        const w = workers.find((x) => x.account.address.toLowerCase() === v.toLowerCase());
        if (!w) continue;
        const reran = (logs.get(w.name) ?? []).filter((l) => l.msg === 're-ran segment' && l.task === id.toString());
        if (trained?.seconds !== undefined && reran.length > 0) r.rerunShare.push(reran.reduce((s, l) => s + (l.seconds ?? 0), 0) / trained.seconds);
        const attests = ev.filter((e) => e.event.eventName === 'Attested' && (e.event.args as { verifier: string }).verifier.toLowerCase() === v.toLowerCase());
        if (attests.length > 0) r.verifyWall.push((attests[attests.length - 1].seenAt - drawn.seenAt) / 1000);
      }
    }
    return r;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanup();
  }
}

const cpu = cpus()[0]?.model ?? 'unknown';
process.stdout.write(
  `bench:market: ${TASKS} digits-MLP tasks, ${SOLVERS} solver(s), ${VERIFIERS} verifier(s), ${RUNS} run(s); ${cpus().length} × ${cpu}; Node ${process.version}; ${new Date().toISOString()}; load ${f(loadavg()[0], 1)}\n`,
);
const results: RunResult[] = [];
for (let run = 0; run < RUNS; run++) {
  const r = await runOnce(run);
  results.push(r);
  process.stdout.write(
    `run ${run + 1} (load ${f(loadavg()[0], 1)}): ${f(r.tasksPerMinute)} tasks/min (${TASKS} tasks in ${f(r.wallSeconds, 1)} s); median end to end ${f(median(r.endToEnd), 1)} s; ` +
      `overhead ${f(median(r.overhead))} s; re-run share ${f(median(r.rerunShare) * 100, 1)} %\n`,
  );
}
const all = (k: keyof Omit<RunResult, 'tasksPerMinute' | 'wallSeconds' | 'windowSeconds'>): number[] => results.flatMap((r) => r[k]);
const rows: [string, string][] = [
  ['tasks per minute, end to end (median of runs)', f(median(results.map((r) => r.tasksPerMinute)))],
  ['end to end, submit → TaskFinalized (s)', f(median(all('endToEnd')), 1)],
  ['submit → TaskClaimed (s)', f(median(all('submitToClaim')))],
  ['TaskClaimed → TaskCommitted: training + 2 txs (s)', f(median(all('claimToCommit')))],
  ['solver training, log `trained` (s)', f(median(all('trainSeconds')), 3)],
  [`TaskCommitted → TaskFinalized (s; window ${f(results[0].windowSeconds, 1)} s)`, f(median(all('commitToFinal')))],
  ['protocol overhead: commit → finalize minus the window (s)', f(median(all('overhead')))],
  ['blocks from the window end to TaskFinalized', f(median(all('blocksAfterWindow')), 1)],
  ['VerifiersDrawn → a verifier\'s last Attested (s)', f(median(all('verifyWall')))],
  ['verifier re-run time / solver training time', `${f(median(all('rerunShare')) * 100, 1)} %`],
  ['attesting verifiers per task', f(median(all('attesters')), 1)],
];
process.stdout.write(`\n| figure | median |\n|---|---|\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}\n`);
process.exit(0);
