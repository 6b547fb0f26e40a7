// Derivation: rebuilds the L2 chain from L1 alone. It reads, up to the confirmed L1 tip, the
// BatchInbox batches (calldata checked against the logged hash), the Portal's deposits (the same
// checked scan as the watcher) and the OutputOracle's roots. Each block must follow the local head;
// its deposit transactions must equal L1's Deposit events field for field; its L1 origin hash must
// be L1's hash at that number; then Chain.importBlock re-executes it (sequencer signature, every
// root). Every posted output root is compared with the one of the block it names. Anything that
// disagrees stops derivation with a DerivationError (logged at fatal): such a chain is not followed.
// Position (L1 block scanned for batches and for outputs) lives in its own LevelDB; blocks already
// imported are compared by hash when a restart reads their batch again.
import { join } from 'node:path';
import { getAbiItem, type PublicClient } from 'viem';
import { outputOracleAbi } from '../../bridge/artifacts.ts';
import type { Genesis } from '../../genesis/index.ts';
import type { Logger } from '../../infra/logger.ts';
import { pack, unpack } from '../../state-machine/codec/msgpack.ts';
import { BlockInvalidError, type Block } from '../../state-machine/index.ts';
import { DEPOSIT_TX_TYPE, decodeDepositTx, type Deposit } from '../../state-machine/tx/deposit.ts';
import type { Chain } from '../chain/chain.ts';
import { openDb, type Db } from '../store/event-log.ts';
import { BATCH_SUBMITTED, batchOfLog, decodeBatch } from './batch-format.ts';
import { VerityError } from '../../state-machine/errors.ts';
import { StoreError } from '../errors.ts';
import { DerivationError } from './errors.ts';
import { pollLoop } from './l1.ts';
import { outputOf } from './proposer.ts';
import { DepositWatcher, l1Block } from './watcher.ts';

const OUTPUT_PROPOSED = getAbiItem({ abi: outputOracleAbi, name: 'OutputProposed' });
const CURSOR_KEY = new TextEncoder().encode('cursor');

interface DeriveCursor {
  /** batches read from L1 blocks up to here */
  batchesL1: bigint;
  /** output roots checked from L1 blocks up to here */
  outputsL1: bigint;
}

export interface DerivationOptions {
  chain: Chain;
  genesis: Genesis;
  pub: PublicClient;
  dataDir: string;
  logger: Logger;
  pollMs?: number;
  maxRange?: bigint;
}

const sameDeposit = (a: Deposit, b: Deposit): boolean =>
  a.nonce === b.nonce &&
  a.from.toLowerCase() === b.from.toLowerCase() &&
  a.to.toLowerCase() === b.to.toLowerCase() &&
  a.token.toLowerCase() === b.token.toLowerCase() &&
  a.amount === b.amount &&
  a.l1BlockNumber === b.l1BlockNumber &&
  a.l1BlockHash.toLowerCase() === b.l1BlockHash.toLowerCase() &&
  a.l1TxHash.toLowerCase() === b.l1TxHash.toLowerCase() &&
  a.logIndex === b.logIndex;

export class Derivation {
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;
  private readonly l1Hashes = new Map<bigint, string>();
  /** set when derivation stopped on a disagreement */
  failed: DerivationError | null = null;
  outputsChecked = 0;
  blocksDerived = 0;
  /** newest L2 block that batches on L1 name (the sync target) */
  target = 0n;
  onFailure: ((e: DerivationError) => void) | null = null;

  private constructor(
    private readonly o: DerivationOptions,
    private readonly db: Db,
    private readonly deposits: DepositWatcher,
    private cursor: DeriveCursor,
  ) {}

  static async open(o: DerivationOptions): Promise<Derivation> {
    const p = o.genesis.modules.bridge;
    const db = await openDb(join(o.dataDir, 'rollup', 'derivation'));
    try {
      const c = await db.get(CURSOR_KEY);
      const start = p.l1StartBlock > 0n ? p.l1StartBlock - 1n : 0n;
      const cursor = c === undefined ? { batchesL1: start, outputsL1: start } : unpack<DeriveCursor>(c);
      const deposits = await DepositWatcher.open({
        pub: o.pub,
        portal: p.portal,
        startBlock: p.l1StartBlock,
        confirmations: p.confirmations,
        dbDir: join(o.dataDir, 'rollup', 'derive-deposits'),
        logger: o.logger,
        maxRange: o.maxRange,
      });
      return new Derivation(o, db, deposits, cursor);
    } catch (e) {
      await db.close();
      throw e;
    }
  }

  start(): void {
    this.loop ??= this.run();
  }

  private run(): Promise<void> {
    return pollLoop({
      step: () => this.step(),
      pollMs: this.o.pollMs ?? 1000,
      signal: this.abort.signal,
      logger: this.o.logger,
      what: 'derivation step',
      fatal: (e: unknown) => {
        if (!(e instanceof DerivationError)) return false;
        this.failed = e;
        this.o.logger.fatal({ err: e, code: e.code, data: e.data }, 'derivation stopped: L2 data on L1 disagrees');
        this.onFailure?.(e);
        return true;
      },
    });
  }


  /** Derives everything L1 holds up to its confirmed tip. Public so tests and benches can drive it. */
  async step(): Promise<void> {
    const { pub, genesis } = this.o;
    const p = genesis.modules.bridge;
    const maxRange = this.o.maxRange ?? 2000n;
    await this.deposits.poll();
    const tip = this.deposits.origin()?.number;
    if (tip === undefined) return;
    while (this.cursor.batchesL1 < tip) {
      const from = this.cursor.batchesL1 + 1n;
      const to = tip < from + maxRange - 1n ? tip : from + maxRange - 1n;
      const logs = await pub.getLogs({ address: p.batchInbox, event: BATCH_SUBMITTED, fromBlock: from, toBlock: to, strict: true });
      const sorted = [...logs].sort((a, b) => (a.args.index < b.args.index ? -1 : 1));
      for (const log of sorted) {
        if (log.address.toLowerCase() !== p.batchInbox.toLowerCase()) continue;
        const batch = await batchOfLog(pub, p.batchInbox, log);
        let blocks: Block[];
        try {
          blocks = decodeBatch(batch.frame);
        } catch (e) {
          throw new DerivationError('DERIVE_BAD_BATCH', `batch ${batch.index} (L1 tx ${batch.l1TxHash}) does not decode: ${(e as Error).message}`);
        }
        for (const b of blocks) await this.derive(b, batch.index);
        const last = blocks[blocks.length - 1].header.number;
        if (last > this.target) this.target = last;
      }
      await this.checkOutputs(to);
      await this.save({ batchesL1: to, outputsL1: this.cursor.outputsL1 });
    }
    await this.checkOutputs(tip);
  }

  private async save(c: DeriveCursor): Promise<void> {
    await this.db.put(CURSOR_KEY, pack(c), { sync: true });
    this.cursor = c;
  }

  private async l1HashAt(n: bigint): Promise<string> {
    let h = this.l1Hashes.get(n);
    if (h === undefined) {
      h = (await l1Block(this.o.pub, n)).hash;
      if (this.l1Hashes.size > 10_000) this.l1Hashes.clear();
      this.l1Hashes.set(n, h);
    }
    return h;
  }

  private async derive(b: Block, batchIndex: bigint): Promise<void> {
    const chain = this.o.chain;
    const head = chain.headHeaderNow();
    const n = b.header.number;
    if (n <= head.number) {
      const mine = await chain.log.getBlock(n);
      if (mine?.block.hash !== b.hash) {
        throw new DerivationError('DERIVE_BLOCK_CONFLICT', `batch ${batchIndex} carries block ${n} ${b.hash}, derived earlier as ${mine?.block.hash ?? 'none'}`, { block: n.toString() });
      }
      return;
    }
    if (n !== head.number + 1n) throw new DerivationError('DERIVE_GAP', `batch ${batchIndex} starts a gap: block ${n} after head ${head.number}`, { block: n.toString() });
    const h = b.header;
    if (h.l1OriginNumber !== head.l1OriginNumber || h.l1OriginHash !== head.l1OriginHash) {
      const l1 = await this.l1HashAt(h.l1OriginNumber);
      if (l1 !== h.l1OriginHash.toLowerCase()) {
        throw new DerivationError('DERIVE_L1_ORIGIN', `block ${n} names L1 origin ${h.l1OriginNumber} ${h.l1OriginHash}; L1 has ${l1}`, { block: n.toString() });
      }
    }
    for (const raw of b.transactions) {
      if (raw[0] !== DEPOSIT_TX_TYPE) continue;
      let d: Deposit;
      try {
        d = decodeDepositTx(raw);
      } catch (e) {
        throw new DerivationError('DERIVE_BAD_DEPOSIT', `block ${n}: ${(e as Error).message}`, { block: n.toString() });
      }
      const [l1] = this.deposits.deposits(d.nonce, h.l1OriginNumber, 1);
      if (l1 === undefined || !sameDeposit(l1, d)) {
        throw new DerivationError('DERIVE_DEPOSIT_MISMATCH', `block ${n} credits deposit ${d.nonce} that L1's Portal does not hold as such (by L1 block ${h.l1OriginNumber})`, {
          block: n.toString(),
          nonce: d.nonce.toString(),
        });
      }
    }
    try {
      await chain.importBlock(b);
    } catch (e) {
      if (e instanceof BlockInvalidError || (e instanceof VerityError && !(e instanceof StoreError))) {
        throw new DerivationError('DERIVE_BLOCK_INVALID', `block ${n} from batch ${batchIndex} is invalid: ${(e as Error).message}`, { block: n.toString() });
      }
      throw e;
    }
    this.blocksDerived++;
  }

  /** Compares every output root posted in L1 blocks up to `upTo` whose L2 block is derived. */
  private async checkOutputs(upTo: bigint): Promise<void> {
    const { pub, chain, genesis } = this.o;
    const oracle = genesis.modules.bridge.outputOracle;
    if (this.cursor.outputsL1 >= upTo) return;
    const logs = await pub.getLogs({ address: oracle, event: OUTPUT_PROPOSED, fromBlock: this.cursor.outputsL1 + 1n, toBlock: upTo, strict: true });
    const head = chain.headHeaderNow().number;
    let checkedTo = upTo;
    for (const log of [...logs].sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1))) {
      const { l2BlockNumber: n, outputRoot: posted } = log.args;
      if (log.address.toLowerCase() !== oracle.toLowerCase() || n === undefined || posted === undefined) continue;
      if (n > head) {
        // not derived yet: look at this log again next time
        checkedTo = log.blockNumber - 1n;
        break;
      }
      const mine = await outputOf(chain, n);
      if (mine?.root !== posted.toLowerCase()) {
        const [now] = await pub.readContract({ address: oracle, abi: outputOracleAbi, functionName: 'getOutput', args: [n] });
        if (BigInt(now) === 0n) {
          this.o.logger.warn({ l2Block: Number(n), posted, mine: mine?.root }, 'a wrong output root was posted and has since been deleted by the guardian');
          continue;
        }
        throw new DerivationError('DERIVE_OUTPUT_MISMATCH', `output root posted for L2 block ${n} is ${posted}; the derived block gives ${mine?.root ?? 'nothing'}`, {
          block: n.toString(),
          posted,
          derived: mine?.root ?? null,
        });
      }
      this.outputsChecked++;
    }
    if (checkedTo > this.cursor.outputsL1) await this.save({ batchesL1: this.cursor.batchesL1, outputsL1: checkedTo });
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.loop;
    await this.deposits.close();
    await this.db.close();
  }
}
