// What the block clock costs on an idle chain: every genesis interval the sequencer seals an empty
// block. Measures, on a real data dir (LevelDB, fsync per block, devnet genesis, snapshot interval
// 100):
//   1. seal time per empty block (buildBlock + one fsynced batch), and the cadence the sequencer keeps
//   2. applyBlock of an empty block (the replay path), split into header hash, signer recovery, rest
//   3. bytes on disk per empty block, compact record vs the former record (msgpack block + empty
//      receipts), projected per day at 250 ms (345,600 blocks)
//   4. snapshot bytes per day: pointers for an unchanged state vs a full snapshot every interval
//   5. restart time after 10^4 and 10^5 blocks, and what a replay from genesis would cost: mostly
//      empty blocks, every --tx-every'th carrying --txs-per-block transfers (0: all empty), then the
//      worst case, the head 99 blocks past the newest snapshot with --tail-txs transfers in each
// Run: npm run bench:empty-blocks [-- --seal 2000 --restart 10000,100000 --cadence-s 10 --tx-every 1000
//      --txs-per-block 200 --tail-txs 200 --only restart]
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { defaultDevnetGenesis, devnetAccounts } from '../genesis/index.ts';
import { pack } from '../state-machine/codec/msgpack.ts';
import { hexToBytes } from '../state-machine/crypto/hash.ts';
import { ChainState, applyBlock, blockHash, blockSigner, buildBlock, genesisBlock, type Block } from '../state-machine/index.ts';
import { Chain, type ChainOptions } from '../node/chain/chain.ts';
import { DEFAULT_CONFIG } from '../node/config.ts';
import { Sequencer } from '../node/sequencer/sequencer.ts';
import { openDb, type Db } from '../node/store/event-log.ts';
import { keys, u64 } from '../node/store/keys.ts';
import { DEFAULT_POOL_LIMITS } from '../node/txpool/pool.ts';
import { signTx } from '../node/devnet/sign-tx.ts';

const BLOCKS_PER_DAY = 345_600;
const SNAPSHOT_INTERVAL = DEFAULT_CONFIG.snapshotInterval;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const SEAL_BLOCKS = Number(arg('seal', '2000'));
const RESTART_SIZES = arg('restart', '10000,100000').split(',').map(Number);
const CADENCE_S = Number(arg('cadence-s', '10'));
const TX_EVERY = Number(arg('tx-every', '1000'));
const TXS_PER_BLOCK = Number(arg('txs-per-block', '200'));
const TAIL_TXS = Number(arg('tail-txs', '200'));
/** 'restart' runs part 5 only */
const ONLY = arg('only', '');
const SINK = '0x000000000000000000000000000000000000dead';
const GWEI = 10n ** 9n;

const genesis = defaultDevnetGenesis();
const sequencerKey = hexToBytes(devnetAccounts(1)[0].privateKey);
const logger = pino({ level: 'silent' });
const tempDirs: string[] = [];

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'verity-bench-empty-'));
  tempDirs.push(d);
  return d;
}

function options(dataDir: string): ChainOptions {
  return {
    genesis,
    dataDir,
    sequencerKey,
    snapshotInterval: SNAPSHOT_INTERVAL,
    poolLimits: DEFAULT_POOL_LIMITS,
    recoverWorkers: 0,
    logger,
  };
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

const fmt = (x: number, digits = 1): string => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mib = (bytes: number): string => `${fmt(bytes / 2 ** 20)} MiB`;

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((s, f) => s + statSync(join(dir, f)).size, 0);
}

/** Sizes of a data dir after everything is compacted into tables (no write-ahead log left). */
async function compactedBytes(dir: string): Promise<number> {
  // Node's `level` is classic-level, whose compactRange the universal typings leave out
  const db = (await openDb(dir)) as Db & { compactRange?: (start: Uint8Array, end: Uint8Array) => Promise<void> };
  if (typeof db.compactRange !== 'function') throw new Error('this LevelDB binding cannot compact');
  await db.compactRange(new Uint8Array([0x00]), new Uint8Array([0xff]));
  await db.close();
  return dirBytes(dir);
}

async function sealEmpty(chain: Chain, count: number): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const b = await chain.seal();
    ms.push(performance.now() - t0);
    if (b === null || b.transactions.length !== 0) throw new Error('expected an empty block');
  }
  return ms;
}

/** The record layout before compact empty blocks: msgpack {block, senders}, an empty receipts record, a full snapshot per interval. */
async function writeFormerLayout(db: Db, blocks: Block[], snapshot: Uint8Array): Promise<void> {
  for (let i = 0; i < blocks.length; i += 1000) {
    const batch = db.batch();
    for (const block of blocks.slice(i, i + 1000)) {
      const n = block.header.number;
      batch.put(keys.block(n), pack({ block, senders: [] }));
      batch.put(keys.blockHash(block.hash), u64(n));
      batch.put(keys.receipts(n), pack([]));
      if (n % BigInt(SNAPSHOT_INTERVAL) === 0n) batch.put(keys.snapshot(n), snapshot);
      batch.put(keys.meta('head'), pack({ number: n, hash: block.hash }));
    }
    await batch.write();
  }
}

async function sealAndStore(): Promise<void> {
  const dir = tempDir();
  let chain = await Chain.open(options(dir));
  await chain.close();
  const base = await compactedBytes(dir);
  chain = await Chain.open(options(dir));
  const ms = await sealEmpty(chain, SEAL_BLOCKS);
  const blocks: Block[] = [];
  for (let n = 1n; n <= BigInt(SEAL_BLOCKS); n++) {
    const s = await chain.log.getBlock(n);
    if (s) blocks.push(s.block);
  }
  const snapshot = chain.headState().snapshot();
  const records = await chain.log.snapshotRecords();
  await chain.close();
  console.log(`\n1. seal, ${SEAL_BLOCKS} empty blocks back to back (fsync each): median ${fmt(ms.length && quantile(ms, 0.5), 3)} ms, p90 ${fmt(quantile(ms, 0.9), 3)} ms, p99 ${fmt(quantile(ms, 0.99), 3)} ms`);
  const st = ChainState.fromGenesis(genesis);
  const genesisHeader = genesisBlock(genesis, st).header;
  let p = genesisHeader;
  const built = blocks.map(() => {
    const t0 = performance.now();
    p = buildBlock(st, p, [], { timestamp: p.timestamp, sequencerKey }).block.header;
    return performance.now() - t0;
  });
  console.log(`   buildBlock alone (in memory, no write): median ${fmt(quantile(built, 0.5) * 1000, 0)} µs`);

  // 2. replay path
  const state = ChainState.fromGenesis(genesis);
  let parent = genesisHeader;
  const apply: number[] = [];
  const hash: number[] = [];
  const signer: number[] = [];
  for (const b of blocks) {
    let t0 = performance.now();
    applyBlock(state, parent, b, []);
    apply.push(performance.now() - t0);
    t0 = performance.now();
    blockHash(b.header);
    hash.push(performance.now() - t0);
    t0 = performance.now();
    blockSigner(b.header);
    signer.push(performance.now() - t0);
    parent = b.header;
  }
  const [a, h, s] = [apply, hash, signer].map((xs) => quantile(xs, 0.5) * 1000);
  console.log(`2. applyBlock(empty) median ${fmt(a, 0)} µs: header hash ${fmt(h, 0)} µs (×2: block and parent), signer recovery ${fmt(s, 0)} µs, hooks + roots + rest ${fmt(a - 2 * h - s, 0)} µs`);

  // 3. bytes on disk
  const after = await compactedBytes(dir);
  const per = (after - base) / SEAL_BLOCKS;
  const formerDir = tempDir();
  const former = await openDb(formerDir);
  await writeFormerLayout(former, blocks, snapshot);
  await former.close();
  const formerPer = (await compactedBytes(formerDir)) / SEAL_BLOCKS;
  const logical = pack({ block: blocks[0], senders: [] }).length;
  console.log(`3. on disk after compaction, per empty block: ${fmt(per)} B (former layout ${fmt(formerPer)} B, its block record alone ${logical} B)`);
  console.log(`   per day at 250 ms: ${mib(per * BLOCKS_PER_DAY)} (former ${mib(formerPer * BLOCKS_PER_DAY)})`);

  // 4. snapshots
  const snapBytes = records.reduce((t, r) => t + r.bytes, 0);
  const full = records.filter((r) => r.sameAs === null).length;
  const perDay = BLOCKS_PER_DAY / SNAPSHOT_INTERVAL;
  console.log(
    `4. snapshots over ${SEAL_BLOCKS} blocks: ${records.length} records, ${full} full (${snapshot.length} B each), ${snapBytes} B in all; ` +
      `per idle day: ${fmt((snapshot.length + (perDay - 1) * 9) / 1024)} KiB (${fmt(perDay, 0)} records; former ${mib(perDay * snapshot.length)})`,
  );
}

async function cadence(): Promise<void> {
  const interval = 50;
  const chain = await Chain.open({ ...options(tempDir()), genesis: { ...genesis, blockIntervalMs: interval } });
  const at: number[] = [];
  chain.events.on('block', () => at.push(performance.now()));
  const seq = new Sequencer(chain, interval, logger);
  const t0 = performance.now();
  seq.start();
  await new Promise((r) => setTimeout(r, CADENCE_S * 1000));
  await seq.stop();
  const elapsed = performance.now() - t0;
  await chain.close();
  const gaps = at.slice(1).map((t, i) => t - at[i]);
  console.log(
    `   cadence at ${interval} ms for ${CADENCE_S} s: ${at.length} blocks of ${fmt(elapsed / interval, 0)} due; ` +
      `gap median ${fmt(quantile(gaps, 0.5))} ms, p1 ${fmt(quantile(gaps, 0.01))} ms, p99 ${fmt(quantile(gaps, 0.99))} ms`,
  );
}

/** Transfers from the 10 funded devnet accounts (devnet-only keys), nonces in order per sender. */
class Transfers {
  private readonly keys = devnetAccounts(10).map((a) => hexToBytes(a.privateKey));
  private readonly nonces = this.keys.map(() => 0n);
  private turn = 0;

  next(count: number): Uint8Array[] {
    return Array.from({ length: count }, () => {
      const s = this.turn++ % this.keys.length;
      const f = { chainId: genesis.chainId, nonce: this.nonces[s]++, to: SINK, value: 1n, gasLimit: 21_000n, maxFeePerGas: 1000n * GWEI, maxPriorityFeePerGas: GWEI } as const;
      return signTx(f, this.keys[s]);
    });
  }
}

/** Seals `count` blocks; every `txEvery`'th carries `perBlock` transfers (txEvery 0: all empty). Returns the transfers mined. */
async function sealMixed(chain: Chain, count: number, txEvery: number, perBlock: number, transfers: Transfers): Promise<number> {
  let mined = 0;
  for (let i = 1; i <= count; i++) {
    const want = txEvery > 0 && i % txEvery === 0 ? perBlock : 0;
    if (want > 0) await Promise.all(transfers.next(want).map((raw) => chain.submit(raw)));
    const b = await chain.seal();
    if (b === null || b.transactions.length !== want) throw new Error(`block ${i}: expected ${want} txs, got ${b?.transactions.length}`);
    mined += want;
  }
  return mined;
}

/** Five restarts (Chain.open: genesis check, newest snapshot, tail replay, journal): median ms and blocks replayed. */
async function timeRestarts(dir: string, root: string): Promise<{ medianMs: number; replayed: number; chain: Chain }> {
  const opens: number[] = [];
  for (let i = 0; ; i++) {
    const t = performance.now();
    const chain = await Chain.open(options(dir));
    opens.push(performance.now() - t);
    if (chain.headState().root() !== root) throw new Error('restart reached another root');
    if (i === 4) return { medianMs: quantile(opens, 0.5), replayed: chain.metrics.replayedBlocksTotal.value, chain };
    await chain.close();
  }
}

async function restart(count: number): Promise<void> {
  const dir = tempDir();
  const transfers = new Transfers();
  let chain = await Chain.open(options(dir));
  const t0 = performance.now();
  const mined = await sealMixed(chain, count, TX_EVERY, TXS_PER_BLOCK, transfers);
  const sealS = (performance.now() - t0) / 1000;
  const head = chain.headHeaderNow();
  await chain.close();
  const atPoint = await timeRestarts(dir, head.stateRoot);
  // the worst case: the head 99 blocks past the newest snapshot record, each of them carrying transfers
  const tailMined = await sealMixed(atPoint.chain, SNAPSHOT_INTERVAL - 1, TAIL_TXS > 0 ? 1 : 0, TAIL_TXS, transfers);
  const tail = atPoint.chain.headHeaderNow();
  await atPoint.chain.close();
  const worst = await timeRestarts(dir, tail.stateRoot);
  chain = worst.chain;
  const t = performance.now();
  const full = await chain.history.rebuild(tail.number, { useSnapshots: false });
  const fullMs = performance.now() - t;
  if (full.state.root() !== tail.stateRoot) throw new Error('replay from genesis reached another root');
  await chain.close();
  const what = mined > 0 ? `blocks (${fmt(count / TX_EVERY, 0)} of them with ${TXS_PER_BLOCK} transfers, ${mined} in all; the rest empty)` : 'empty blocks';
  console.log(
    `5. restart after ${count.toLocaleString('en-US')} ${what}, sealed in ${fmt(sealS)} s (${fmt((sealS * 1000) / count, 2)} ms each): ` +
      `at a snapshot point median ${fmt(atPoint.medianMs)} ms (replayed ${atPoint.replayed}); ` +
      `${SNAPSHOT_INTERVAL - 1} blocks later${tailMined > 0 ? `, each with ${TAIL_TXS} transfers (${tailMined})` : ''}, ${fmt(worst.medianMs)} ms ` +
      `(replayed ${worst.replayed}); replay from genesis instead: ${fmt(fullMs / 1000, 2)} s`,
  );
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, devnet genesis, snapshot interval ${SNAPSHOT_INTERVAL}, ${new Date().toISOString()}`);
  try {
    if (ONLY !== 'restart') {
      await sealAndStore();
      await cadence();
    }
    for (const n of RESTART_SIZES) await restart(n);
  } finally {
    for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  }
}

await main();
