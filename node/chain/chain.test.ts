import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pino } from 'pino';
import { defaultDevnetGenesis, devnetAccounts } from '../../genesis/index.ts';
import { hexToBytes } from '../../state-machine/crypto/hash.ts';
import { nextBaseFee, type Address, type Block } from '../../state-machine/index.ts';
import { signTx } from '../devnet/sign-tx.ts';
import { VerityError } from '../../state-machine/errors.ts';
import { TxPoolError } from '../errors.ts';
import { DEFAULT_POOL_LIMITS } from '../txpool/pool.ts';
import { COMPACT_BLOCK_BYTES } from '../store/block-record.ts';
import { keys as storeKeys } from '../store/keys.ts';
import { Chain, type ChainOptions } from './chain.ts';

const snapshotKey = (n: bigint): Uint8Array => storeKeys.snapshot(n);

const genesis = defaultDevnetGenesis();
const accts = devnetAccounts(4);
const keys = accts.map((a) => hexToBytes(a.privateKey));
const GWEI = 10n ** 9n;
const TO: Address = '0x00000000000000000000000000000000000000bb';
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function options(dataDir: string, over: Partial<ChainOptions> = {}): ChainOptions {
  let t = 1_700_000_000_000;
  return {
    genesis,
    dataDir,
    sequencerKey: keys[0],
    snapshotInterval: 3,
    poolLimits: DEFAULT_POOL_LIMITS,
    recoverWorkers: 0,
    logger: pino({ level: 'silent' }),
    now: () => (t += 1000),
    ...over,
  };
}

function transfer(sender: number, nonce: bigint, value = 1_000n): Uint8Array {
  return signTx({ chainId: genesis.chainId, nonce, to: TO, value, gasLimit: 21_000n, maxFeePerGas: 100n * GWEI, maxPriorityFeePerGas: GWEI }, keys[sender]);
}

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'verity-chain-'));
  dirs.push(d);
  return d;
}

describe('Chain', () => {
  it('seals pooled txs into blocks, and deleting snapshots changes no root', async () => {
    const dir = tempDir();
    let chain = await Chain.open(options(dir));
    const blocks: { n: bigint; root: string }[] = [];
    for (let b = 0n; b < 8n; b++) {
      // two senders, a few txs each per block
      await Promise.all([0, 1, 2].flatMap((s) => [0n, 1n].map((i) => chain.submit(transfer(s, b * 2n + i)))));
      const block = await chain.seal();
      expect(block?.transactions).toHaveLength(6);
      blocks.push({ n: block?.header.number ?? -1n, root: block?.header.stateRoot ?? '' });
    }
    // nothing left: the block clock still ticks, with an empty block 9 (a snapshot point)
    const empty = await chain.seal();
    expect(empty?.transactions).toHaveLength(0);
    expect(empty?.header.stateRoot).toBe(blocks[7].root);
    expect(chain.headState().getBalance(TO)).toBe(8n * 6n * 1_000n);
    expect(chain.lastSnapshot).toBe(9n);
    const balanceAt4 = (await chain.stateAt(4n)).getBalance(TO);
    expect(balanceAt4).toBe(4n * 6n * 1_000n);

    // every historical state: from snapshots and from genesis alone, the same root as the header
    for (const { n, root } of blocks) {
      const viaSnapshot = await chain.history.rebuild(n);
      const viaGenesis = await chain.history.rebuild(n, { useSnapshots: false });
      expect(viaSnapshot.state.root()).toBe(root);
      expect(viaGenesis.state.root()).toBe(root);
      expect(viaGenesis.stats.fromSnapshot).toBeNull();
    }
    const headRoot = chain.headState().root();
    expect(await chain.log.deleteSnapshots()).toBe(3);
    await chain.close();

    chain = await Chain.open(options(dir));
    expect(chain.headState().root()).toBe(headRoot);
    expect(chain.lastSnapshot).toBeNull();
    expect((await chain.stateAt(4n)).getBalance(TO)).toBe(balanceAt4);
    expect(chain.metrics.replayedBlocksTotal.value).toBeGreaterThanOrEqual(8);
    await chain.close();
  });

  it('treats a damaged snapshot as a cache miss: the log still decides every root', async () => {
    const dir = tempDir();
    let chain = await Chain.open(options(dir));
    for (let b = 0n; b < 4n; b++) {
      await chain.submit(transfer(1, b));
      await chain.seal();
    }
    expect(chain.lastSnapshot).toBe(3n);
    const headRoot = chain.headState().root();
    const at3 = (await chain.history.rebuild(3n, { useSnapshots: false })).state.root();
    // overwrite the snapshot after block 3 with bytes that do not decode
    await chain.log.db.put(snapshotKey(3n), new Uint8Array([0xc1, 0xff, 0x00, 0x13]));
    await chain.close();

    chain = await Chain.open(options(dir));
    expect(chain.headState().root()).toBe(headRoot);
    const rebuilt = await chain.history.rebuild(3n);
    expect(rebuilt.stats.fromSnapshot).toBeNull();
    expect(rebuilt.state.root()).toBe(at3);
    await chain.close();
  });

  it('keeps journalled txs across a restart and drops the ones a block included', async () => {
    const dir = tempDir();
    let chain = await Chain.open(options(dir));
    const h0 = await chain.submit(transfer(1, 0n));
    await chain.seal();
    const queued = await chain.submit(transfer(1, 2n)); // gap at nonce 1: stays queued
    const pending = await chain.submit(transfer(2, 0n));
    await chain.close();

    chain = await Chain.open(options(dir));
    expect(chain.pool.has(h0)).toBe(false);
    expect(chain.pool.has(queued)).toBe(true);
    expect(chain.pool.has(pending)).toBe(true);
    expect(await chain.journal.size()).toBe(2);
    const block = await chain.seal();
    expect(block?.transactions).toHaveLength(1);
    expect(await chain.journal.size()).toBe(1);
    await chain.close();
  });

  it('refuses a bad tx with a typed error and keeps going', async () => {
    const chain = await Chain.open(options(tempDir()));
    await expect(chain.submit(new Uint8Array([0x02, 0xc0]))).rejects.toBeInstanceOf(TxPoolError);
    await chain.submit(transfer(0, 0n));
    await expect(chain.submit(transfer(0, 0n))).rejects.toThrow('already known');
    await chain.seal();
    await expect(chain.submit(transfer(0, 0n))).rejects.toThrow('nonce too low');
    expect(chain.metrics.txpoolRejectedTotal.value).toBe(3);
    await chain.close();
  });

  it('fuzz: hostile raw bytes and mutated txs are refused with typed errors and never stop sealing', async () => {
    const chain = await Chain.open(options(tempDir()));
    const valid = transfer(3, 0n);
    const hostile = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      // a valid tx with a few bytes flipped, truncated or extended
      fc.tuple(fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 1, max: 255 })), { maxLength: 4 }), fc.nat(valid.length + 8)).map(([flips, len]) => {
        const m = new Uint8Array(len);
        m.set(valid.subarray(0, Math.min(len, valid.length)));
        for (const [i, x] of flips) if (i < len) m[i] ^= x;
        return m;
      }),
    );
    await fc.assert(
      fc.asyncProperty(hostile, async (raw) => {
        try {
          await chain.submit(raw);
        } catch (e) {
          expect(e).toBeInstanceOf(VerityError);
        }
      }),
      { numRuns: 300 },
    );
    await chain.seal();
    await chain.submit(transfer(3, chain.headState().getNonce(accts[3].address)));
    const block = await chain.seal();
    expect(block?.transactions.length).toBeGreaterThan(0);
    await chain.close();
  });

  it('refuses a data dir of another genesis', async () => {
    const dir = tempDir();
    await (await Chain.open(options(dir))).close();
    const other = { ...genesis, chainId: genesis.chainId + 1n };
    await expect(Chain.open(options(dir, { genesis: other }))).rejects.toThrow(/genesis/);
  });
});

/** Seals `count` blocks (empty unless txs wait) and returns them. */
async function sealMany(chain: Chain, count: number): Promise<Block[]> {
  const out: Block[] = [];
  for (let i = 0; i < count; i++) {
    const b = await chain.seal();
    if (b === null) throw new Error('no block sealed');
    out.push(b);
  }
  return out;
}

describe('Chain: empty blocks', () => {
  it('chains empty blocks by parent hash, never moves timestamps back, decays the base fee to the floor', async () => {
    // 0.3 s blocks: timestamps (seconds) repeat; at block 40 the wall clock steps back 5 s
    let t = 1_700_000_000_000;
    const chain = await Chain.open(options(tempDir(), { now: () => t }));
    let parent = chain.headHeaderNow();
    const first = parent.timestamp;
    for (let i = 1; i <= 80; i++) {
      t += i === 40 ? -5_000 : 300;
      const [b] = await sealMany(chain, 1);
      const h = b.header;
      expect(b.transactions).toHaveLength(0);
      expect(h.number).toBe(parent.number + 1n);
      expect(h.parentHash).toBe((await chain.log.getBlock(parent.number))?.block.hash);
      expect(h.timestamp).toBeGreaterThanOrEqual(parent.timestamp);
      expect(h.stateRoot).toBe(parent.stateRoot);
      // EIP-1559 with no gas used: -1/8 per block until the genesis floor, then the floor
      expect(h.baseFee).toBe(nextBaseFee(parent, genesis.baseFee));
      if (parent.baseFee > genesis.baseFee.min) expect(h.baseFee).toBeLessThan(parent.baseFee);
      parent = h;
    }
    expect(parent.baseFee).toBe(genesis.baseFee.min);
    expect(parent.timestamp).toBeGreaterThan(first);
    await chain.close();
  });

  it('writes an empty block as one compact record and no receipts, and reads it back whole', async () => {
    const dir = tempDir();
    let chain = await Chain.open(options(dir));
    const [block] = await sealMany(chain, 1);
    expect((await chain.log.db.get(storeKeys.block(1n)))?.length).toBe(COMPACT_BLOCK_BYTES);
    expect(await chain.log.db.get(storeKeys.receipts(1n))).toBeUndefined();
    await chain.submit(transfer(1, 0n));
    const [full] = await sealMany(chain, 1);
    expect(full.transactions).toHaveLength(1);
    expect(await chain.log.db.get(storeKeys.receipts(2n))).toBeDefined();
    await chain.close();

    chain = await Chain.open(options(dir)); // no in-memory cache: from disk
    expect((await chain.log.getBlock(1n))?.block).toEqual(block);
    expect(await chain.log.getBlock(1n)).toEqual({ block, senders: [] });
    expect(await chain.log.getReceipts(1n)).toEqual([]);
    expect(await chain.log.getBlockNumber(block.hash)).toBe(1n);
    expect((await chain.log.getBlock(2n))?.block).toEqual(full);
    await chain.close();
  });

  it('restarts after many empty blocks from a snapshot within one interval, writing unchanged state once', async () => {
    const dir = tempDir();
    const interval = 10;
    let chain = await Chain.open(options(dir, { snapshotInterval: interval }));
    await chain.submit(transfer(1, 0n));
    await sealMany(chain, 254); // block 1 carries the tx, 2..254 are empty
    const head = chain.headHeaderNow();
    await chain.close();

    const log = (c: Chain) => c.log.snapshotRecords();
    chain = await Chain.open(options(dir, { snapshotInterval: interval }));
    expect(chain.headHeaderNow()).toEqual(head);
    expect(chain.headState().root()).toBe(head.stateRoot);
    // the newest record (block 250) is a pointer: restart replayed blocks 251..254 only
    expect(chain.metrics.replayedBlocksTotal.value).toBe(4);
    expect(chain.lastSnapshot).toBe(250n);
    // one state, so one copy of it: block 10 holds the bytes, 20..250 point at them
    const records = await log(chain);
    expect(records.map((r) => r.number)).toEqual(Array.from({ length: 25 }, (_, i) => BigInt(10 * (i + 1))));
    expect(records.filter((r) => r.sameAs === null).map((r) => r.number)).toEqual([10n]);
    expect(records.every((r) => r.sameAs === null || (r.sameAs === 10n && r.bytes === 9))).toBe(true);
    // a historical state inside the idle stretch comes from a pointer too
    expect((await chain.history.rebuild(137n)).stats).toMatchObject({ fromSnapshot: 130n, snapshotBytes: { source: 10n }, replayed: 7 });

    // after the restart the unchanged state still points at block 10; a changed one is written once
    await sealMany(chain, 6); // 255..260
    await chain.submit(transfer(1, 1n));
    await sealMany(chain, 20); // 261 (tx) .. 280
    const after = await log(chain);
    expect(after.slice(-3)).toEqual([
      { number: 260n, sameAs: 10n, bytes: 9 },
      { number: 270n, sameAs: null, bytes: expect.any(Number) },
      { number: 280n, sameAs: 270n, bytes: 9 },
    ]);
    for (const n of [255n, 265n, 279n]) {
      expect((await chain.stateAt(n)).root()).toBe((await chain.history.rebuild(n, { useSnapshots: false })).state.root());
    }
    const root = chain.headState().root();
    // the bytes every pointer stands for are damaged: a cache miss, the log still decides
    await chain.log.db.put(snapshotKey(270n), new Uint8Array([0x92, 0xff]));
    await chain.close();
    chain = await Chain.open(options(dir, { snapshotInterval: interval }));
    expect(chain.headState().root()).toBe(root);
    expect(chain.metrics.replayedBlocksTotal.value).toBe(280);
    await sealMany(chain, 10); // 290: no good bytes known, so a full snapshot again
    expect((await log(chain)).at(-1)).toEqual({ number: 290n, sameAs: null, bytes: expect.any(Number) });
    await chain.close();
  });
});
