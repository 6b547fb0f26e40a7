// The proposer: posts outputRoot = keccak256(0 ‖ stateRoot ‖ withdrawalsRoot ‖ blockHash) of L2
// blocks at multiples of outputIntervalBlocks to the OutputOracle. Where it stands is read from the
// oracle itself (latestBlockNumber), so it keeps no state and resumes after a crash; the oracle
// refuses a number that does not increase, and the sender does not send while an earlier proposal
// is pending, so no root is posted twice. Only blocks already batched to L1 are proposed (a
// verifier can then check each root against blocks it derived), and after a pause it jumps to the
// newest due multiple instead of posting every missed one.
import { encodeFunctionData, type Address, type PublicClient } from 'viem';
import { outputOracleAbi } from '../../bridge/artifacts.ts';
import { outputRoot } from '../../bridge/withdrawals.ts';
import type { Logger } from '../../infra/logger.ts';
import type { Chain } from '../chain/chain.ts';
import { pollLoop, type L1Sender } from './l1.ts';

export interface ProposerOptions {
  chain: Chain;
  pub: PublicClient;
  sender: L1Sender;
  oracle: Address;
  intervalBlocks: bigint;
  /** newest L2 block that may be proposed (the batcher's posted block) */
  safeHead: () => bigint;
  logger: Logger;
  pollMs?: number;
}

/** The output root of a stored L2 block, and its parts. */
export async function outputOf(chain: Chain, n: bigint): Promise<{ root: `0x${string}`; stateRoot: `0x${string}`; withdrawalsRoot: `0x${string}`; blockHash: `0x${string}` } | null> {
  const s = await chain.log.getBlock(n);
  if (s === undefined) return null;
  const h = s.block.header;
  return { root: outputRoot(h.stateRoot, h.withdrawalsRoot, s.block.hash), stateRoot: h.stateRoot, withdrawalsRoot: h.withdrawalsRoot, blockHash: s.block.hash };
}

export class Proposer {
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;
  /** newest L2 block this process saw proposed on L1 */
  latest = 0n;
  proposals = 0;

  constructor(private readonly o: ProposerOptions) {
    if (o.intervalBlocks <= 0n) throw new RangeError('outputIntervalBlocks must be positive');
  }

  start(): void {
    this.loop ??= this.run();
  }

  private run(): Promise<void> {
    return pollLoop({
      step: () => this.step(),
      pollMs: this.o.pollMs ?? 500,
      signal: this.abort.signal,
      logger: this.o.logger,
      what: 'proposer step',
    });
  }


  /** Proposes the newest due multiple when there is one; returns its number (null: nothing sent). */
  async step(): Promise<bigint | null> {
    const { pub, oracle, intervalBlocks: k } = this.o;
    this.latest = await pub.readContract({ address: oracle, abi: outputOracleAbi, functionName: 'latestBlockNumber' });
    const safe = this.o.safeHead();
    const head = this.o.chain.headHeaderNow().number;
    const top = safe < head ? safe : head;
    const target = (top / k) * k;
    if (target <= this.latest || target === 0n) return null;
    const out = await outputOf(this.o.chain, target);
    if (out === null) return null;
    const data = encodeFunctionData({ abi: outputOracleAbi, functionName: 'proposeOutput', args: [target, out.root] });
    const r = await this.o.sender.send('proposeOutput', oracle, data);
    if (r.kind === 'in-flight') {
      this.o.logger.info('an earlier proposal is still pending on L1; waiting for it');
      return null;
    }
    this.latest = target;
    this.proposals++;
    this.o.logger.info({ l2Block: Number(target), outputRoot: out.root, l1Block: Number(r.receipt.blockNumber) }, 'output root proposed');
    return target;
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }
}
