// Snapshot sync: a node with an empty data dir starts from a peer's newest state snapshot instead
// of re-executing the chain from genesis. What it trusts is the sequencer key of its own genesis:
//  - the snapshot comes with its block; that block's hash must be its header's and the genesis
//    sequencer must have signed it; the snapshot's state root must equal the header's stateRoot;
//  - blocks 1..S (with receipts) are fetched by range; each must be signed by the sequencer, link to
//    its parent from our own genesis block up, carry the tx and receipts roots its header names, and
//    block S must be the snapshot's block. They are written to the log without execution (receipt
//    fields outside the consensus encoding are recomputed; revert reasons are not kept).
// The log then holds blocks 0..S with the snapshot at S, and the chain opens from it and range-syncs on.
import { isHex, type Hex } from '../../state-machine/crypto/hash.ts';
import { effectiveGasPrice } from '../../state-machine/chain/fees.ts';
import { ChainState, VerityError, decodeBlockTransaction, receiptsRootOf, txRootOf, type Block, type Log, type Receipt, type SignedTx } from '../../state-machine/index.ts';
import type { Logger } from '../../infra/logger.ts';
import type { PeerId } from '@libp2p/interface';
import type { Chain } from '../chain/chain.ts';
import { PeerMessageError } from './errors.ts';
import { request } from './reqresp.ts';
import type { NetworkService } from './service.ts';
import { LIMITS, asRangeItem, asSnapshotHead, checkSigned, decodeMsgpack } from './wire.ts';

/** How long a new node waits for a peer that offers a snapshot before it syncs from genesis. */
const WAIT_FOR_PEER_MS = 45_000;
/** tries per peer (a timeout on a loaded peer is not a verdict); blocks already written are kept */
const TRIES_PER_PEER = 3;
const SNAPSHOT_TIMEOUT_MS = 120_000;

/** Syncs `chain` (empty) from a peer snapshot; returns the snapshot's block number, or null when none was usable. */
export async function snapshotSync(net: NetworkService, chain: Chain, log: Logger): Promise<bigint | null> {
  const deadline = Date.now() + WAIT_FOR_PEER_MS;
  const tried = new Map<string, number>();
  while (Date.now() < deadline) {
    await net.refreshStatuses();
    const offers = [...net.peerHeads.values()]
      .filter((h) => h.snapshot !== null && h.snapshot > 0n && (tried.get(h.peer.toString()) ?? 0) < TRIES_PER_PEER && !net.scores.isBanned(h.peer.toString()))
      .sort((a, b) => ((a.snapshot ?? 0n) > (b.snapshot ?? 0n) ? -1 : 1));
    for (const offer of offers) {
      tried.set(offer.peer.toString(), (tried.get(offer.peer.toString()) ?? 0) + 1);
      const t0 = performance.now();
      try {
        const n = await syncFrom(net, chain, offer.peer, log);
        log.info({ peer: offer.peer.toString(), snapshot: Number(n), ms: Math.round(performance.now() - t0) }, 'snapshot sync done');
        return n;
      } catch (e) {
        log.warn({ err: (e as Error).message, peer: offer.peer.toString() }, 'snapshot sync from peer failed');
        if (e instanceof PeerMessageError) net.offend(offer.peer, e);
      }
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  log.warn('no peer offered a usable snapshot: syncing from genesis');
  return null;
}

async function syncFrom(net: NetworkService, chain: Chain, peer: PeerId, log: Logger): Promise<bigint> {
  const genesis = chain.genesis;
  // 1. the snapshot and its block
  let head: { block: Block; size: number } | null = null;
  const parts: Uint8Array[] = [];
  let got = 0;
  for await (const f of request(net.host, peer, net.protocols.snapshot, {}, LIMITS.snapshotChunk + 64, SNAPSHOT_TIMEOUT_MS)) {
    const v = decodeMsgpack(f);
    if (head === null) {
      head = asSnapshotHead(v);
      checkSigned(head.block, genesis.sequencer);
      continue;
    }
    if (!(v instanceof Uint8Array)) throw new PeerMessageError('malformed', 'snapshot chunk is not bytes');
    got += v.length;
    if (got > head.size) throw new PeerMessageError('oversize', `snapshot longer than its declared ${head.size} bytes`);
    parts.push(v);
  }
  if (head === null || got !== head.size) throw new PeerMessageError('malformed', 'snapshot response incomplete');
  const bytes = new Uint8Array(got);
  let o = 0;
  for (const p of parts) {
    bytes.set(p, o);
    o += p.length;
  }
  let root: Hex;
  try {
    root = ChainState.fromSnapshot(bytes, genesis).root();
  } catch (e) {
    if (e instanceof VerityError || e instanceof RangeError || e instanceof TypeError) throw new PeerMessageError('malformed', `snapshot does not decode: ${e.message}`);
    throw e;
  }
  const target = head.block;
  if (root !== target.header.stateRoot) throw new PeerMessageError('invalid-block', `snapshot root ${root} is not block ${target.header.number}'s ${target.header.stateRoot}`);
  log.info({ block: Number(target.header.number), bytes: got }, 'snapshot verified against its signed header');

  // 2. blocks 1..S with receipts, checked by signature, parent links and roots, written unexecuted
  const S = target.header.number;
  const start = chain.log.head();
  if (start === null) throw new Error('chain has no genesis');
  let prevHash = start.hash;
  let next = start.number + 1n;
  while (next <= S) {
    const want = S - next + 1n > BigInt(LIMITS.rangeBlocks) ? LIMITS.rangeBlocks : Number(S - next + 1n);
    let i = 0;
    let total = 0;
    for await (const f of request(net.host, peer, net.protocols.blocksByRange, { from: next, count: want, receipts: true }, LIMITS.frameBytes, LIMITS.requestTimeoutMs)) {
      total += f.length;
      if (i >= want || total > LIMITS.rangeBytes) throw new PeerMessageError('oversize', 'range response beyond the request');
      const item = asRangeItem(decodeMsgpack(f), true);
      const b = item.block;
      if (b.header.number !== next) throw new PeerMessageError('malformed', `block ${b.header.number} where ${next} was due`);
      checkSigned(b, genesis.sequencer);
      if (b.header.parentHash !== prevHash) throw new PeerMessageError('invalid-block', `block ${next} does not link to its parent`);
      if (next === S && b.hash !== target.hash) throw new PeerMessageError('conflict', `block ${S} is not the snapshot's block`);
      const { txs, receipts } = checkBody(b, item.receipts ?? [], genesis.chainId);
      // fsynced at the end of each response (the rest can be fetched again after a power loss)
      await chain.log.writeBlock({ block: b, senders: txs.map((t) => t.from), receipts, ...(next === S ? { snapshot: bytes } : {}), durable: next === S || i + 1 === want });
      prevHash = b.hash;
      next++;
      i++;
    }
    if (i === 0) throw new PeerMessageError('malformed', `peer served no blocks from ${next}`);
  }
  return S;
}

/** A log exactly as the Log type has it (a peer's extra fields are not stored). */
function cleanLog(l: Log): Log {
  if (!isHex(l.address) || l.address.length !== 42 || !Array.isArray(l.topics) || l.topics.length > 4 || !l.topics.every((t) => isHex(t) && t.length === 66) || !isHex(l.data)) {
    throw new PeerMessageError('malformed', 'malformed log');
  }
  return { address: l.address, topics: [...l.topics], data: l.data };
}

/** Decodes the transactions and checks txRoot and receiptsRoot; returns the receipts with their derived fields recomputed. */
function checkBody(block: Block, given: Receipt[], chainId: bigint): { txs: SignedTx[]; receipts: Receipt[] } {
  let txs: SignedTx[];
  try {
    txs = block.transactions.map((raw) => decodeBlockTransaction(raw, chainId));
  } catch (e) {
    throw new PeerMessageError('invalid-block', `block ${block.header.number}: a transaction does not decode (${(e as Error).message})`);
  }
  if (txRootOf(txs) !== block.header.txRoot) throw new PeerMessageError('invalid-block', `block ${block.header.number}: tx root differs`);
  let receiptsRoot: Hex;
  const receipts: Receipt[] = [];
  try {
    let prev = 0n;
    given.forEach((r, i) => {
      const cumulative = BigInt(r.cumulativeGasUsed);
      const tx = txs[i];
      receipts.push({
        txHash: tx.hash,
        status: r.status === 1 ? 1 : 0,
        gasUsed: cumulative - prev,
        cumulativeGasUsed: cumulative,
        effectiveGasPrice: tx.deposit ? 0n : effectiveGasPrice(tx, block.header.baseFee),
        logs: r.logs.map(cleanLog),
        logsBloom: r.logsBloom.toLowerCase() as Hex,
      });
      prev = cumulative;
    });
    receiptsRoot = receiptsRootOf(txs, receipts);
  } catch (e) {
    throw new PeerMessageError('malformed', `block ${block.header.number}: malformed receipts (${(e as Error).message})`);
  }
  if (receiptsRoot !== block.header.receiptsRoot) throw new PeerMessageError('invalid-block', `block ${block.header.number}: receipts root differs`);
  return { txs, receipts };
}
