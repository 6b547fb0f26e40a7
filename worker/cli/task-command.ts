// `verity task submit|show|list`: the submitter's side of the compute market over JSON-RPC.
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { bytesToHex } from '../../state-machine/crypto/hash.ts';
import { VerityError } from '../../state-machine/errors.ts';
import { parseAmount } from './amount.ts';
import { readKeyFile } from '../chain/key.ts';
import { DEFAULT_RPC, TaskCliError, TaskClient, type SubmitTaskArgs, type SubmittedTask } from './task-client.ts';
import { formatTask, formatTaskList, taskView, type TaskView } from './task-view.ts';

/** `task submit`'s options: the call's arguments, with the spec as a file, and where to send it. */
export interface SubmitOptions extends Omit<SubmitTaskArgs, 'spec'> {
  rpc: string;
  keyFile: string;
  spec: string;
}

/** Reads the spec file's bytes as they are (the chain validates and hashes them). */
export function readSpecBytes(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new TaskCliError('SPEC_FILE', `cannot read spec file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export async function submitTaskCommand(o: SubmitOptions): Promise<SubmittedTask> {
  const spec = bytesToHex(readSpecBytes(o.spec));
  const account = readKeyFile(o.keyFile);
  const client = await TaskClient.connect(o.rpc);
  return client.submitTask(account, { ...o, spec });
}

export async function showTask(rpc: string, id: bigint): Promise<TaskView> {
  const client = await TaskClient.connect(rpc);
  return taskView(await client.getTask(id));
}

export async function listTasks(rpc: string): Promise<TaskView[]> {
  const client = await TaskClient.connect(rpc);
  const count = await client.taskCount();
  const views: TaskView[] = [];
  for (let id = 1n; id <= count; id++) views.push(taskView(await client.getTask(id)));
  return views;
}

/**
 * Runs an async command body: prints its result (JSON or text) or one error line on stderr (and a
 * JSON error object with --json), then exits 1 on error. Exits explicitly so that HTTP keep-alive
 * sockets do not hold the process.
 */
export async function runAsyncCommand(json: boolean, body: () => Promise<unknown>, text: (r: never) => string): Promise<void> {
  let code = 0;
  try {
    const r = await body();
    process.stdout.write(`${json ? JSON.stringify(r) : text(r as never)}\n`);
  } catch (e) {
    const known = e instanceof VerityError;
    const errCode = known ? e.code : 'ERROR';
    const message = e instanceof Error ? (known ? e.message : (e.message.split('\n')[0] ?? e.message)) : String(e);
    process.stderr.write(`error ${errCode}: ${message}\n`);
    if (json) process.stdout.write(`${JSON.stringify({ error: { code: errCode, message } })}\n`);
    code = 1;
  }
  process.exit(code);
}

const amount = (what: string) => (v: string) => {
  try {
    return parseAmount(v, what);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
};

function uint(max: bigint) {
  return (v: string): bigint => {
    if (!/^\d+$/.test(v) || BigInt(v) > max) throw new InvalidArgumentError(`must be an integer in [0, ${max}]`);
    return BigInt(v);
  };
}
const u32 = (v: string): number => Number(uint(0xffff_ffffn)(v));
const u64 = uint(0xffff_ffff_ffff_ffffn);
const taskId = uint((1n << 256n) - 1n);

/** A bigint option defaulting to 0 (commander cannot print a bigint default itself). */
const zero = (o: Option): Option => o.default(0n, '0');

const submittedJson = (r: SubmittedTask) => ({ taskId: r.taskId.toString(), txHash: r.txHash });

export function register(program: Command): void {
  const task = program
    .command('task')
    .description('submit and inspect compute-market tasks over JSON-RPC')
    .showHelpAfterError('(add --help for usage)');
  task
    .command('submit')
    .description('post a task spec with a reward (and a verification fee) in escrow; prints {taskId, txHash}')
    .option('--rpc <url>', 'JSON-RPC URL', DEFAULT_RPC)
    .requiredOption('--key-file <file>', 'file holding the submitter\'s 0x hex private key')
    .requiredOption('--spec <file>', 'task spec JSON (sent as its bytes, as they are)')
    .requiredOption('--reward <amount>', "the solver's reward: wei, or with a unit (1ether, 500gwei, 0.5ether)", amount('--reward'))
    .addOption(zero(new Option('--fee <amount>', 'verification fee, shared by the verifiers who attest').argParser(amount('--fee'))))
    .addOption(zero(new Option('--min-stake <amount>', "solver's unlocked stake needed to claim, locked as collateral (0 = genesis default)").argParser(amount('--min-stake'))))
    .option('--verifiers <n>', 'verifiers to draw (0 = genesis default)', u32, 0)
    .option('--segments-each <n>', 'segments each verifier re-runs (0 = cover min(segments, default))', u32, 0)
    .addOption(zero(new Option('--commit-blocks <n>', 'blocks from claim to commit (0 = genesis default)').argParser(u64)))
    .addOption(zero(new Option('--window-blocks <n>', 'blocks from commit to the end of the verification window (0 = genesis default)').argParser(u64)))
    .option('--json', 'print one JSON object')
    .action((o: SubmitOptions & { json?: boolean }) =>
      runAsyncCommand(
        o.json === true,
        async () => submittedJson(await submitTaskCommand(o)),
        (r: ReturnType<typeof submittedJson>) => `taskId  ${r.taskId}\ntxHash  ${r.txHash}`,
      ),
    );
  task
    .command('show')
    .description("print a task as the chain has it (getTask): status, parties, amounts, deadlines, commitments, verifiers")
    .requiredOption('--id <n>', 'task id', taskId)
    .option('--rpc <url>', 'JSON-RPC URL', DEFAULT_RPC)
    .option('--json', 'print one JSON object')
    .action((o: { id: bigint; rpc: string; json?: boolean }) => runAsyncCommand(o.json === true, () => showTask(o.rpc, o.id), formatTask));
  task
    .command('list')
    .description('list every task (taskCount, then getTask of each)')
    .option('--rpc <url>', 'JSON-RPC URL', DEFAULT_RPC)
    .option('--json', 'print a JSON array')
    .action((o: { rpc: string; json?: boolean }) => runAsyncCommand(o.json === true, () => listTasks(o.rpc), formatTaskList));
}
