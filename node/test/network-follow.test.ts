// Full nodes over libp2p with real processes on loopback: one sequencer and followers that follow it
// (f2 only through f1, so blocks must be re-published by a follower). One network serves every case.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { multiaddr } from '@multiformats/multiaddr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDevnetGenesis, devnetAccounts, genesisToJson } from '../../genesis/index.ts';
import { pack } from '../../state-machine/codec/msgpack.ts';
import { bytesToHex, hexToBytes, type Hex } from '../../state-machine/crypto/hash.ts';
import { merkleRoot } from '../../state-machine/merkle/tree.ts';
import { EMPTY_BLOOM, EMPTY_WITHDRAWALS_ROOT, blockHash, nextBaseFee, signDigest, type Block, type BlockHeader } from '../../state-machine/index.ts';
import { signTx } from '../devnet/sign-tx.ts';
import { rpcBatch } from '../devnet/rpc-batch.ts';
import { createHost, type P2pHost } from '../network/p2p.ts';
import { loadOrCreatePeerKey } from '../network/peer-key.ts';
import { encodeGossipBlock, protocols } from '../network/wire.ts';
import { blockOf, call, freePort, headOf, metric, startNodeProc, stopAll, waitFor, type NodeProc } from './network-procs.ts';

const genesis = defaultDevnetGenesis();
const accounts = devnetAccounts(10);
const senders = accounts.slice(1);
const topic = protocols(genesis.chainId).blocksTopic;
const children: ChildProcess[] = [];
const hosts: P2pHost[] = [];
let dir: string;
let gFile: string;
let seq: NodeProc;
let f1: NodeProc;
let f2: NodeProc;
let f1Args: string[];
let seqUrl: string;
const nonces = new Map<string, bigint>();
const sentHashes: Hex[] = [];

function followerArgs(name: string, bootstrap: string, extra: string[] = []): string[] {
  return ['--follow', '--genesis', gFile, '--datadir', join(dir, name), '--rpc-port', '0', '--bootstrap', bootstrap, '--sequencer-rpc', seqUrl, '--log-level', 'warn', ...extra];
}

/** Sends `perSender` transfers from each sender through `url`, in batches; returns their hashes. */
async function sendLoad(url: string, perSender: number): Promise<Hex[]> {
  const raws: string[] = [];
  for (let k = 0; k < perSender; k++) {
    for (const s of senders) {
      const nonce = nonces.get(s.address) ?? 0n;
      nonces.set(s.address, nonce + 1n);
      raws.push(bytesToHex(signTx({ chainId: genesis.chainId, nonce, to: accounts[0].address, value: 1n + nonce, gasLimit: 21_000n, maxFeePerGas: 50n * 10n ** 9n, maxPriorityFeePerGas: 10n ** 9n }, hexToBytes(s.privateKey))));
    }
  }
  const hashes: Hex[] = [];
  for (let i = 0; i < raws.length; i += 27) {
    const replies = await rpcBatch(url, raws.slice(i, i + 27).map((r) => ['eth_sendRawTransaction', [r]]));
    for (const r of replies) {
      expect(r.error, JSON.stringify(r.error)).toBeUndefined();
      hashes.push(r.result as Hex);
    }
  }
  sentHashes.push(...hashes);
  return hashes;
}

async function allMined(url: string, hashes: Hex[]): Promise<boolean> {
  const rs = await rpcBatch(url, hashes.map((h) => ['eth_getTransactionReceipt', [h]]));
  return rs.every((r) => r.result);
}

/** Waits until every node has block `n` and checks they agree on its hash and roots. */
async function expectSameBlock(nodes: NodeProc[], n: bigint): Promise<void> {
  const blocks = await Promise.all(nodes.map((node) => waitFor(`block ${n} on ${node.url}`, () => blockOf(node.url, n), 30_000)));
  for (const b of blocks.slice(1)) {
    expect(b.hash).toBe(blocks[0].hash);
    expect(b.stateRoot).toBe(blocks[0].stateRoot);
    expect(b.receiptsRoot).toBe(blocks[0].receiptsRoot);
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'verity-net-'));
  gFile = join(dir, 'genesis.json');
  writeFileSync(gFile, genesisToJson(genesis));
  const keyFile = join(dir, 'sequencer.key');
  writeFileSync(keyFile, accounts[0].privateKey, { mode: 0o600 });
  // peer keys made ahead and ports picked ahead, so each node's multiaddr is known before it runs
  // and the three start together (f1 also keeps its port across the restart below: f2 knows it
  // only by this address)
  const addr = async (name: string): Promise<{ port: number; addr: string }> => {
    const key = await loadOrCreatePeerKey(join(dir, name));
    const port = await freePort();
    return { port, addr: `/ip4/127.0.0.1/tcp/${port}/p2p/${peerIdFromPrivateKey(key).toString()}` };
  };
  const [s, a] = [await addr('seq'), await addr('f1')];
  const seqArgs = ['--genesis', gFile, '--datadir', join(dir, 'seq'), '--rpc-port', String(await freePort()), '--p2p-port', String(s.port), '--sequencer-key-file', keyFile, '--snapshot-interval', '8', '--log-level', 'warn'];
  seqUrl = `http://127.0.0.1:${seqArgs[5]}`;
  f1Args = followerArgs('f1', s.addr, ['--p2p-port', String(a.port)]);
  [seq, f1, f2] = await Promise.all([startNodeProc(seqArgs, children), startNodeProc(f1Args, children), startNodeProc(followerArgs('f2', a.addr), children)]);
  expect(seq.p2p).toBe(s.addr);
  expect(f1.p2p).toBe(a.addr);
}, 180_000);

afterAll(async () => {
  await Promise.all(hosts.map((h) => Promise.resolve(h.stop()).catch(() => undefined)));
  stopAll(children);
  rmSync(dir, { recursive: true, force: true });
});

describe('full nodes over libp2p', () => {
  it('three nodes under tx load end with identical heads and roots', async () => {
    // half the load enters through a follower, which forwards it to the sequencer
    const [a, b] = await Promise.all([sendLoad(f1.url, 10), sendLoad(seq.url, 10)]);
    const hashes = [...a, ...b];
    await waitFor('all txs mined on f2', () => allMined(f2.url, hashes), 30_000, 250);
    const h = await headOf(seq.url);
    await expectSameBlock([seq, f1, f2], h);
    await expectSameBlock([seq, f1, f2], h / 2n);
    // a receipt read from the furthest follower is the sequencer's
    const [r1] = await rpcBatch(seq.url, [['eth_getTransactionReceipt', [hashes[5]]]]);
    const [r2] = await rpcBatch(f2.url, [['eth_getTransactionReceipt', [hashes[5]]]]);
    expect(r2.result).toEqual(r1.result);
    await waitFor('f2 not syncing', async () => (await call<unknown>(f2.url, 'eth_syncing')) === false);
    const st = await call<{ role: string; peers: number; distance: string }>(f2.url, 'verity_syncStatus');
    expect(st.role).toBe('follower');
    expect(st.peers).toBeGreaterThanOrEqual(1);
    expect(await metric(f2.url, 'verity_blocks_imported_total', 'source="gossip"')).toBeGreaterThan(0);
    expect(await metric(f2.url, 'verity_p2p_peers')).toBeGreaterThanOrEqual(1);
    // the sequencer gossips the txs it pools: the followers had senders recovered before their blocks
    for (const f of [f1, f2]) expect(await metric(f.url, 'verity_import_senders_ahead_total')).toBeGreaterThan(0);
  }, 90_000);

  it('a follower SIGKILLed and restarted catches up (and so does the follower behind it)', async () => {
    f1.child.kill('SIGKILL');
    await new Promise((r) => f1.child.once('exit', r));
    const hashes = await sendLoad(seq.url, 5);
    await waitFor('txs mined on the sequencer', () => allMined(seq.url, hashes), 20_000, 200);
    const behind = await headOf(seq.url);
    f1 = await startNodeProc(f1Args, children);
    await waitFor('f1 caught up', async () => (await headOf(f1.url)) >= behind, 30_000);
    await waitFor('f2 caught up', async () => (await headOf(f2.url)) >= behind, 30_000);
    await expectSameBlock([seq, f1, f2], behind);
    expect(await allMined(f2.url, hashes)).toBe(true);
    expect(await metric(f1.url, 'verity_blocks_imported_total', 'source="range"')).toBeGreaterThan(0);
  }, 90_000);

  it('a late joiner starts from a peer snapshot and replays only after it', async () => {
    const f3 = await startNodeProc(followerArgs('f3', seq.p2p, ['--snapshot-sync']), children);
    const st = await call<{ snapshotNumber: string | null; headNumber: string }>(f3.url, 'verity_syncStatus');
    expect(st.snapshotNumber, f3.stderr().slice(-3000)).not.toBeNull();
    const snap = BigInt(st.snapshotNumber as string);
    expect(snap).toBeGreaterThanOrEqual(8n);
    const h = await headOf(seq.url);
    await expectSameBlock([seq, f3], h);
    // blocks 1..snapshot were verified and written, not executed
    const executed = await metric(f3.url, 'verity_blocks_imported_total');
    expect(executed).toBeLessThanOrEqual(Number((await headOf(f3.url)) - snap));
    // and its history answers as the sequencer's does
    await expectSameBlock([seq, f3], 1n);
    const early = sentHashes[3];
    const [r1] = await rpcBatch(seq.url, [['eth_getTransactionReceipt', [early]]]);
    const [r3] = await rpcBatch(f3.url, [['eth_getTransactionReceipt', [early]]]);
    expect(r3.result).toEqual(r1.result);
  }, 150_000);

  it('refuses and bans hostile peers, and keeps following the sequencer', async () => {
    const target = multiaddr(f2.p2p);
    const targetId = f2.p2p.split('/p2p/')[1];
    const hostile = async (): Promise<P2pHost> => {
      const h = await createHost({ privateKey: await generateKeyPair('Ed25519'), host: '127.0.0.1', port: 0, isBanned: () => false });
      hosts.push(h);
      h.services.pubsub.subscribe(topic);
      await h.dial(target);
      await waitFor('f2 subscribed', async () => h.services.pubsub.getSubscribers(topic).some((p) => p.toString() === targetId), 10_000, 50);
      return h;
    };
    const refused = (offence: string): Promise<number> => metric(f2.url, 'verity_p2p_messages_refused_total', `offence="${offence}"`);
    const connected = (h: P2pHost): boolean => h.getConnections().some((c) => c.remotePeer.toString() === targetId);
    // scores recover slowly with time; on a slow machine one more bad message may be needed
    const untilDropped = async (h: P2pHost): Promise<void> => {
      for (let i = 0; i < 6 && connected(h); i++) {
        await h.services.pubsub.publish(topic, randomBytes(64)).catch(() => undefined);
        await waitFor('dropped', async () => !connected(h), 1_500, 100).catch(() => undefined);
      }
      expect(connected(h)).toBe(false);
    };

    // a block as the sequencer would build on f2's head, with fields to spoil
    const head = await call<Record<string, string>>(f2.url, 'eth_getBlockByNumber', ['latest', false]);
    const parent: BlockHeader = {
      number: BigInt(head.number), parentHash: head.parentHash as Hex, timestamp: BigInt(head.timestamp), l1OriginNumber: BigInt(head.l1OriginNumber),
      l1OriginHash: head.l1OriginHash as Hex, stateRoot: head.stateRoot as Hex, txRoot: head.transactionsRoot as Hex, receiptsRoot: head.receiptsRoot as Hex,
      withdrawalsRoot: head.withdrawalsRoot as Hex, logsBloom: head.logsBloom as Hex, gasUsed: BigInt(head.gasUsed), gasLimit: BigInt(head.gasLimit),
      baseFee: BigInt(head.baseFeePerGas), sequencer: head.sequencer as Hex, signature: head.sequencerSignature as Hex,
    };
    expect(blockHash(parent)).toBe(head.hash);
    const forged = (over: Partial<BlockHeader>, key: string | null): Block => {
      const header: BlockHeader = {
        ...parent, number: parent.number + 1n, parentHash: head.hash as Hex, stateRoot: bytesToHex(randomBytes(32)), txRoot: bytesToHex(merkleRoot([])),
        receiptsRoot: bytesToHex(merkleRoot([])), withdrawalsRoot: EMPTY_WITHDRAWALS_ROOT, logsBloom: EMPTY_BLOOM, gasUsed: 0n, baseFee: nextBaseFee(parent, genesis.baseFee), ...over,
      };
      const hash = blockHash(header);
      header.signature = key === null ? bytesToHex(randomBytes(65)) : bytesToHex(signDigest(hexToBytes(hash), hexToBytes(key)));
      return { hash, header, transactions: [] };
    };
    const sequencerKey = accounts[0].privateKey;

    // H1: garbage, malformed msgpack, oversize, then a far-future block: 4 × 25 points = banned
    const h1 = await hostile();
    const before = { malformed: await refused('malformed'), oversize: await refused('oversize'), far: await refused('far-future') };
    await h1.services.pubsub.publish(topic, randomBytes(500));
    await h1.services.pubsub.publish(topic, new Uint8Array([0x85, 0xa1, 0x61, 0xc1]));
    await waitFor('garbage refused', async () => (await refused('malformed')) >= before.malformed + 2);
    await h1.services.pubsub.publish(topic, new Uint8Array(2 * 1024 * 1024 + 10).fill(7));
    await waitFor('oversize refused', async () => (await refused('oversize')) > before.oversize);
    expect(connected(h1)).toBe(true);
    await h1.services.pubsub.publish(topic, encodeGossipBlock(genesis.chainId, forged({ number: parent.number + 1_000_000n }, sequencerKey)));
    await waitFor('far-future refused', async () => (await refused('far-future')) > before.far);
    await untilDropped(h1);
    // a banned peer is refused: a new connection is closed as soon as its peer id is known
    await h1.dial(target, { signal: AbortSignal.timeout(3_000) }).then(() => undefined, () => undefined);
    await waitFor('h1 refused again', async () => !connected(h1), 5_000, 100);

    // tx gossip is hostile input too: garbage on the txs topic is refused and scored, never decoded
    const txsTopic = protocols(genesis.chainId).txsTopic;
    const h4 = await createHost({ privateKey: await generateKeyPair('Ed25519'), host: '127.0.0.1', port: 0, isBanned: () => false });
    hosts.push(h4);
    h4.services.pubsub.subscribe(txsTopic);
    await h4.dial(target);
    await waitFor('f2 subscribed to txs', async () => h4.services.pubsub.getSubscribers(txsTopic).some((p) => p.toString() === targetId), 10_000, 50);
    const txMalformed = await refused('malformed');
    await h4.services.pubsub.publish(txsTopic, pack({ chainId: genesis.chainId, txs: ['not bytes'] }));
    await waitFor('bad tx gossip refused', async () => (await refused('malformed')) > txMalformed);

    // H2: another chain's message, then a badly signed block: banned
    const h2 = await hostile();
    const wc = await refused('wrong-chain');
    const bs = await refused('bad-signature');
    await h2.services.pubsub.publish(topic, pack({ chainId: 1n, block: forged({}, sequencerKey) }));
    await waitFor('wrong chain refused', async () => (await refused('wrong-chain')) > wc);
    await h2.services.pubsub.publish(topic, encodeGossipBlock(genesis.chainId, forged({}, null)));
    await waitFor('bad signature refused', async () => (await refused('bad-signature')) > bs);
    await untilDropped(h2);

    // H3: a block the sequencer key signed whose state root is wrong: refused on re-execution
    // (or, if the honest block got there first, as a second block at that height)
    const h3 = await hostile();
    const bad = (await refused('invalid-block')) + (await refused('conflict'));
    await h3.services.pubsub.publish(topic, encodeGossipBlock(genesis.chainId, forged({}, sequencerKey)));
    await waitFor('wrong root refused', async () => (await refused('invalid-block')) + (await refused('conflict')) > bad);
    expect(await metric(f2.url, 'verity_p2p_peers_banned_total')).toBeGreaterThanOrEqual(2);

    // and f2 still follows the sequencer
    const h = (await headOf(seq.url)) + 4n;
    await expectSameBlock([seq, f2], h);
  }, 90_000);
});
