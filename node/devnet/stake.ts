// The devnet genesis bonds accounts 1..9. The verifier draw picks among every staker with enough
// unlocked stake, so an account that runs no worker would be drawn, stay silent and be slashed.
// At start the devnet therefore unbonds the unlocked stake of the accounts that run no worker, and
// bonds the worker accounts back up to the genesis bond (after slashes, or a run with other counts).
import { createWalletClient, http, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { DevnetAccount } from '../../genesis/index.ts';
import type { Logger } from '../../infra/logger.ts';
import { MODULE_ADDRESSES } from '../../state-machine/modules/addresses.ts';
import { stakeAbi } from '../../state-machine/modules/stake/abi.ts';
import { TaskClient, revertReason } from '../../worker/cli/task-client.ts';
import { MAX_DEVNET_WORKERS } from './workers.ts';

export interface StakeChanges {
  /** accounts whose unlocked stake began unbonding */
  unbonded: number[];
  /** worker accounts bonded back up to the genesis bond */
  bonded: number[];
}

/** Aligns the stakes of devnet accounts 1..9 with the workers that run (`workerIndices`). */
export async function alignDevnetStakes(
  rpc: string,
  accounts: DevnetAccount[],
  workerIndices: readonly number[],
  genesisBonds: Readonly<Record<string, bigint>>,
  log: Logger,
): Promise<StakeChanges> {
  const client = await TaskClient.connect(rpc);
  const read = (functionName: 'stakeOf' | 'unlockedOf', a: DevnetAccount): Promise<bigint> =>
    client.reader.readContract({ address: MODULE_ADDRESSES.stake, abi: stakeAbi, functionName, args: [a.address] });
  const changes: StakeChanges = { unbonded: [], bonded: [] };
  await Promise.all(
    accounts.slice(1, MAX_DEVNET_WORKERS + 1).map(async (a) => {
      const working = workerIndices.includes(a.index);
      const [stake, unlocked] = await Promise.all([read('stakeOf', a), read('unlockedOf', a)]);
      const target = genesisBonds[a.address] ?? 0n;
      const call =
        working && stake < target
          ? ({ functionName: 'bond', args: [], value: target - stake } as const)
          : !working && unlocked > 0n
            ? ({ functionName: 'beginUnbond', args: [unlocked] } as const)
            : null;
      if (call === null) return;
      const wallet = createWalletClient({ chain: client.chain, transport: http(rpc, { retryCount: 0 }), account: privateKeyToAccount(a.privateKey) });
      try {
        const hash: Hex = await wallet.writeContract({ address: MODULE_ADDRESSES.stake, abi: stakeAbi, ...call });
        const r = await client.reader.waitForTransactionReceipt({ hash, pollingInterval: 50, timeout: 30_000 });
        if (r.status !== 'success') throw new Error(`${call.functionName} reverted in block ${r.blockNumber}`);
        (call.functionName === 'bond' ? changes.bonded : changes.unbonded).push(a.index);
      } catch (e) {
        // e.g. a locked remainder below minBond: that account keeps its stake; say so and go on
        const why = revertReason(e)?.reason ?? (e as Error).message.split('\n')[0];
        log.warn({ account: a.index, call: call.functionName, why }, 'could not align a devnet stake');
      }
    }),
  );
  changes.unbonded.sort((x, y) => x - y);
  changes.bonded.sort((x, y) => x - y);
  return changes;
}
