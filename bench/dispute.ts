// Verde dispute benchmark (`npm run bench:dispute`, not a test). For each arity, an in-process node
// with the devnet genesis (250 ms blocks) runs one dispute over a 1,000-step digits task whose solver
// cheated at a random op (op:T:J, redrawn until the cheat survives into its checkpoints): a
// whistleblower challenges with the honest traceRoot and both sides are played by DisputePlayer over
// JSON-RPC, one look per block each. It reports rounds and wall time from the challenge to the
// verdict, the gas and calldata bytes of the whole game (the challenge included), and the referee's
// compute (one op on the TypeScript reference kernels) as a share of the task's training compute.
// Options: --arities 2,4,8,16 --seed N
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateKeyToAccount } from 'viem/accounts';
import { defaultDevnetGenesis, devnetAccounts } from '../genesis/index.ts';
import { createLogger } from '../infra/logger.ts';
import { DEFAULT_CONFIG } from '../node/config.ts';
import { startNode } from '../node/verity-node.ts';
import { bytesToHex, type Hex } from '../state-machine/crypto/hash.ts';
import { getBackend } from '../state-machine/repops/backend.ts';
import { REFERENCE_BACKEND } from '../state-machine/repops/reference.ts';
import { opByCode } from '../state-machine/repops/opcodes.ts';
import { descentRounds } from '../state-machine/modules/verde/descent.ts';
import { checkpointSteps } from '../state-machine/training/commitments.ts';
import { parseTaskSpec } from '../state-machine/training/spec-validate.ts';
import { ChainClient } from '../worker/chain/client.ts';
import { loadSpecDataset } from '../worker/datasets/load.ts';
import { Party } from '../worker/dispute/party.ts';
import { graphOfStep } from '../state-machine/training/graph-of-step.ts';
import { DisputePlayer, type DisputeChain } from '../worker/dispute/player.ts';
import { train } from '../worker/trainer/train.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const ARITIES = opt('arities', '2,4,8,16').split(',').map(Number);
let seed = Number(opt('seed', '7'));
const random = (n: number): number => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed % n;
};

const examples = join(import.meta.dirname, '..', 'worker', 'examples');
const json = { ...JSON.parse(readFileSync(join(examples, 'digits-mlp.json'), 'utf8')), steps: 1000 };
const spec = parseTaskSpec({ ...json, dataset: { ...json.dataset, path: join(examples, json.dataset.path) } });
const dataset = loadSpecDataset(spec, examples);
const native = getBackend('native', () => undefined);

// the task's training compute, on the worker's backend and on the reference kernels
let t0 = performance.now();
train({ spec, dataset, backend: native, skipEval: true });
const trainNativeMs = performance.now() - t0;
t0 = performance.now();
train({ spec, dataset, backend: REFERENCE_BACKEND, skipEval: true });
const trainRefMs = performance.now() - t0;

const honest = new Party(spec, dataset, native);
const honestRoot = bytesToHex(honest.traceTree().root);
const accounts = devnetAccounts(10);
const ETHER = 10n ** 18n;
const log = createLogger('bench-dispute', 'silent');

interface Result {
  arity: number;
  step: number;
  op: number;
  opName: string;
  rounds: number;
  formula: number;
  outcome: number;
  seconds: number;
  blocks: bigint;
  gas: bigint;
  calldata: number;
  txs: number;
  refereeMs: number;
}

async function once(arity: number): Promise<Result> {
  // a cheat that survives into the checkpoints (a flipped bit can round away)
  let cheat: Party;
  let step: number;
  let op: number;
  for (;;) {
    step = 1 + random(spec.steps);
    op = random(graphOfStep(spec, step).ops.length);
    cheat = new Party(spec, dataset, native, { kind: 'op', step, op });
    if (bytesToHex(cheat.traceTree().root) !== honestRoot) break;
  }
  const genesis = defaultDevnetGenesis();
  genesis.modules.verde = { ...genesis.modules.verde, arity: BigInt(arity) };
  const dir = mkdtempSync(join(tmpdir(), 'verity-bench-dispute-'));
  const node = await startNode({ ...DEFAULT_CONFIG, dataDir: dir, rpcPort: 0, sequencerKey: accounts[0].privateKey, logLevel: 'silent' }, genesis, log);
  try {
    const [submitter, solver, challenger] = await Promise.all([9, 1, 2].map((i) => ChainClient.connect(node.url, privateKeyToAccount(accounts[i].privateKey), { pollMs: 25 })));
    const specBytes = bytesToHex(new TextEncoder().encode(JSON.stringify(json)));
    const sub = await submitter.send({ functionName: 'submitTask', args: [specBytes, ETHER / 10n, 0n, { verifiers: 0, segmentsEach: 0 }, { commitBlocks: 0n, windowBlocks: 0n }], value: 2n * ETHER });
    if (!sub.ok) throw new Error(sub.message);
    const id = await submitter.taskCount();
    const must = async (p: Promise<{ ok: boolean; message?: string }>) => {
      const r = await p;
      if (!r.ok) throw new Error(r.message);
    };
    await must(solver.send({ functionName: 'claim', args: [id] }));
    const trace = cheat.traceTree();
    await must(solver.send({ functionName: 'commit', args: [id, bytesToHex(trace.root), BigInt(spec.steps), cheat.claim(spec.steps), 'http://127.0.0.1:1'] }));
    const hashes: Hex[] = [];
    const started = performance.now();
    const challenge = await challenger.send({ functionName: 'challenge', args: [id, 0, honestRoot], value: ETHER });
    if (!challenge.ok) throw new Error(challenge.message);
    hashes.push(challenge.hash);
    const startBlock = challenge.blockNumber;
    const disputeId = (await solver.getTask(id)).disputeId;
    const { clockBlocks } = await solver.verdeParams();
    const chainOf = (c: ChainClient): DisputeChain => ({
      clockBlocks,
      dispute: (x) => c.getDispute(x),
      blockNumber: () => c.blockNumber(),
      async send(fn, a) {
        const r = await c.sendVerde(fn, a);
        if (r.hash) hashes.push(r.hash);
        if (!r.ok) throw new Error(r.message);
      },
    });
    const players = [new DisputePlayer(chainOf(solver), 'solver', cheat), new DisputePlayer(chainOf(challenger), 'challenger', honest)];
    let d = await solver.getDispute(disputeId);
    while (d.level !== 5) {
      await Promise.all(players.map((p) => p.act(disputeId).catch(() => undefined)));
      d = await solver.getDispute(disputeId);
    }
    const seconds = (performance.now() - started) / 1000;
    const endBlock = await solver.blockNumber();
    let gas = 0n;
    let calldata = 0;
    for (const h of hashes) {
      const [r, tx] = await Promise.all([solver.public.getTransactionReceipt({ hash: h }), solver.public.getTransaction({ hash: h })]);
      gas += r.gasUsed;
      calldata += (tx.input.length - 2) / 2;
    }
    // the referee's compute: op j of step t re-run once on the reference kernels from its inputs
    const opTrace = honest.opTrace(Number(d.step));
    const graphOp = opTrace.graph.ops[d.op];
    const reps = 20;
    const r0 = performance.now();
    for (let i = 0; i < reps; i++) opByCode(graphOp.opcode).run(REFERENCE_BACKEND, opTrace.inputs[d.op], graphOp.attrs);
    const refereeMs = (performance.now() - r0) / reps;
    const leaves = checkpointSteps(spec.steps, spec.checkpointInterval).length;
    const formula = descentRounds(leaves, arity) + descentRounds(spec.checkpointInterval, arity) + descentRounds(graphOfStep(spec, Number(d.step)).ops.length, arity);
    return {
      arity, step, op, opName: graphOp.name, rounds: d.rounds, formula, outcome: d.outcome, seconds, blocks: endBlock - startBlock,
      gas, calldata, txs: hashes.length, refereeMs,
    };
  } finally {
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const results: Result[] = [];
for (const a of ARITIES) {
  const r = await once(a);
  results.push(r);
  process.stdout.write(
    `arity ${String(a).padStart(2)}: cheat op ${r.op} (${r.opName}) of step ${r.step}; outcome ${r.outcome === 2 ? 'challenger won' : r.outcome}; ` +
      `${r.rounds} rounds (formula ${r.formula}); ${r.seconds.toFixed(1)} s, ${r.blocks} blocks; ${r.txs} txs, ${(Number(r.gas) / 1e6).toFixed(2)} M gas, ` +
      `${(r.calldata / 1024).toFixed(1)} KiB calldata; referee ${r.refereeMs.toFixed(3)} ms = ${(r.refereeMs / trainNativeMs).toExponential(2)} of training (native), ` +
      `${(r.refereeMs / trainRefMs).toExponential(2)} (reference kernels)\n`,
  );
}
process.stdout.write(`training the 1,000-step task: ${trainNativeMs.toFixed(0)} ms native, ${trainRefMs.toFixed(0)} ms reference kernels; ${cpus()[0]?.model ?? 'cpu'}; ${new Date().toISOString()}\n`);
process.stdout.write(`${JSON.stringify(results, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}\n`);
process.exit(0);
