// `verity task submit|show|list` as a user runs them (the real executable) against a real node in
// this process, and the `cast send` equivalent the README documents.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { getAddress } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODULE_ADDRESSES } from '../../state-machine/modules/addresses.ts';
import { devnetKeys, startTempNode, testGenesis } from '../../rpc/test/node-helpers.ts';
import { listTasks, showTask, submitTaskCommand } from '../../worker/cli/task-command.ts';
import type { TaskView } from '../../worker/cli/task-view.ts';
import type { RunningNode } from '../verity-node.ts';

const root = resolve(import.meta.dirname, '..', '..');
const bin = join(root, 'node', 'cli', 'bin.js');
const CAST = join(root, 'node_modules', '.bin', 'cast');
const SPEC = join(root, 'worker', 'examples', 'digits-mlp.json');
const ETH = 10n ** 18n;
const run = promisify(execFile);

/** Runs `verity …` (asynchronously: the node in this process must keep sealing blocks). */
async function verity(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [bin, ...args], { cwd: root, timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

describe('verity task against a real node', () => {
  let node: RunningNode;
  let dir: string;
  let keyFile: string;
  const submitter = devnetKeys[1];

  beforeAll(async () => {
    node = await startTempNode(testGenesis(50));
    dir = await mkdtemp(join(tmpdir(), 'verity-task-cli-'));
    keyFile = join(dir, 'key');
    await writeFile(keyFile, `${submitter.privateKey}\n`, { mode: 0o600 });
  });
  afterAll(async () => {
    await node?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('submit prints {taskId, txHash}; show and list print the task', { timeout: 60_000 }, async () => {
    const sub = await verity('task', 'submit', '--rpc', node.url, '--key-file', keyFile, '--spec', SPEC, '--reward', '1ether', '--fee', '0.01ether', '--json');
    expect(sub.stderr).toBe('');
    expect(sub.code).toBe(0);
    const r = JSON.parse(sub.stdout) as { taskId: string; txHash: string };
    expect(r.taskId).toBe('1');
    expect(r.txHash).toMatch(/^0x[0-9a-f]{64}$/);

    const [shown, listed] = await Promise.all([verity('task', 'show', '--rpc', node.url, '--id', '1', '--json'), verity('task', 'list', '--rpc', node.url)]);
    const v = JSON.parse(shown.stdout) as TaskView;
    expect(v).toMatchObject({
      id: '1',
      status: 'Open',
      submitter: getAddress(submitter.address),
      solver: null,
      reward: ETH.toString(),
      fee: (ETH / 100n).toString(),
      minStake: ETH.toString(),
      steps: 500,
      checkpointInterval: 50,
      segments: 10,
      deadlines: { commitBlocks: 2400, windowBlocks: 120, claimedAt: null },
      coverage: { verifiersWanted: 2, drawn: false, unchecked: null },
      verifiers: [],
    });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^id\s+status\s+reward/);
    expect(listed.stdout).toMatch(new RegExp(`\\n1\\s+Open\\s+1 ETH\\s+500\\s+${getAddress(submitter.address)}`));

    // the same through the functions, in process
    const views = await listTasks(node.url);
    expect(views).toEqual([v]);
    expect(await showTask(node.url, 1n)).toEqual(v);
  });

  it('a spec the chain refuses: the reason names the field, exit code 1, one line', { timeout: 60_000 }, async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ ...(JSON.parse(await readFile(SPEC, 'utf8')) as object), batchSize: 0 }));
    const r = await verity('task', 'submit', '--rpc', node.url, '--key-file', keyFile, '--spec', bad, '--reward', '1ether');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('invalid task spec: batchSize: must be in 1..1500');
    expect(r.stderr).toContain('InvalidSpec');

    // in process: the error carries the custom error's name and the readable reason
    await expect(
      submitTaskCommand({ rpc: node.url, keyFile, spec: bad, reward: ETH, fee: 0n, minStake: 0n, verifiers: 0, segmentsEach: 0, commitBlocks: 0n, windowBlocks: 0n }),
    ).rejects.toMatchObject({ code: 'REVERTED', error: 'InvalidSpec', reason: 'invalid task spec: batchSize: must be in 1..1500' });
    // other module errors come through the same way
    await expect(
      submitTaskCommand({ rpc: node.url, keyFile, spec: SPEC, reward: ETH, fee: 0n, minStake: 0n, verifiers: 99, segmentsEach: 0, commitBlocks: 0n, windowBlocks: 0n }),
    ).rejects.toMatchObject({ error: 'InvalidCoverage', reason: 'invalid coverage: at most 16 verifiers' });
    await expect(showTask(node.url, 99n)).rejects.toMatchObject({ error: 'UnknownTask', reason: 'unknown task 99' });
  });

  it('clear errors: unreachable node, missing key file, missing spec', async () => {
    const args = { rpc: node.url, keyFile, spec: SPEC, reward: ETH, fee: 0n, minStake: 0n, verifiers: 0, segmentsEach: 0, commitBlocks: 0n, windowBlocks: 0n };
    await expect(listTasks('http://127.0.0.1:1')).rejects.toMatchObject({ code: 'RPC_UNREACHABLE', message: expect.stringMatching(/^cannot reach the node at http:\/\/127\.0\.0\.1:1: \S/) });
    await expect(submitTaskCommand({ ...args, keyFile: join(dir, 'nope') })).rejects.toMatchObject({ code: 'KEY_FILE', message: expect.stringMatching(/^cannot read key file .*nope: ENOENT/) });
    await expect(submitTaskCommand({ ...args, spec: join(dir, 'nope.json') })).rejects.toMatchObject({ code: 'SPEC_FILE' });
    await expect(listTasks('localhost:9545')).rejects.toMatchObject({ code: 'BAD_RPC_URL' });
  });

  it.skipIf(!existsSync(CAST))('the README cast send equivalent posts the same task', { timeout: 60_000 }, async () => {
    const hex = `0x${(await readFile(SPEC)).toString('hex')}`;
    const before = (await listTasks(node.url)).length;
    const sent = await run(
      CAST,
      ['send', '--json', '--rpc-url', node.url, '--private-key', submitter.privateKey, MODULE_ADDRESSES.task,
        'submitTask(bytes,uint256,uint256,(uint32,uint32),(uint64,uint64))', hex, '10000000000000000', '0', '(0,0)', '(0,0)', '--value', '1.01ether'],
      { timeout: 30_000, env: { ...process.env, FOUNDRY_DISABLE_NIGHTLY_WARNING: '1' } },
    );
    expect((JSON.parse(sent.stdout) as { status: string }).status).toBe('0x1');
    const views = await listTasks(node.url);
    expect(views).toHaveLength(before + 1);
    const mine = views[views.length - 1];
    expect(mine).toMatchObject({ status: 'Open', reward: ETH.toString(), fee: (ETH / 100n).toString(), specHash: views[0].specHash });
  });
});
