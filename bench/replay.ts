// How fast a follower re-executes the chain, against the rate the sequencer lives at under load.
// Real processes on loopback: a sequencer and a follower (gossip) start together; a transfer load
// goes to the sequencer; then a fresh follower joins and range-syncs the whole chain.
//   live:   transactions confirmed per second of wall time while the load runs (and blocks/s), and
//           for reference the sequencer's sealing capacity (txs per second of build + write time)
//   gossip: the follower's re-execution capacity, txs (blocks) per second of import time
//           (check + applyBlock + fsynced write), from its verity_block_import_seconds; and how
//           many senders it had recovered from tx gossip before their block arrived
//   range:  the fresh follower's wall-clock catch-up rate over the whole chain, and its capacity
// Run: npm run bench:replay [-- --senders 99 --per-sender 200]
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import '../node/network/polyfill.ts';
import { defaultDevnetGenesis, devnetAccounts, genesisToJson } from '../genesis/index.ts';
import { bytesToHex, hexToBytes } from '../state-machine/crypto/hash.ts';
import { signTx } from '../node/devnet/sign-tx.ts';
import { rpcBatch } from '../node/devnet/rpc-batch.ts';
import { loadOrCreatePeerKey } from '../node/network/peer-key.ts';
import { freePort, headOf, metric, startNodeProc, stopAll, waitFor } from '../node/test/network-procs.ts';

const { values: args } = parseArgs({ options: { senders: { type: 'string', default: '99' }, 'per-sender': { type: 'string', default: '200' } } });
const SENDERS = Number(args.senders);
const PER_SENDER = Number(args['per-sender']);
const genesis = defaultDevnetGenesis({ accounts: SENDERS + 1 });
const accounts = devnetAccounts(SENDERS + 1);
const children: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'verity-replay-'));
const gFile = join(dir, 'genesis.json');
writeFileSync(gFile, genesisToJson(genesis));
const keyFile = join(dir, 'sequencer.key');
writeFileSync(keyFile, accounts[0].privateKey, { mode: 0o600 });

async function main(): Promise<void> {
  const seqKey = await loadOrCreatePeerKey(join(dir, 'seq'));
  const p2pPort = await freePort();
  const rpcPort = await freePort();
  const seqAddr = `/ip4/127.0.0.1/tcp/${p2pPort}/p2p/${peerIdFromPrivateKey(seqKey).toString()}`;
  const seqUrl = `http://127.0.0.1:${rpcPort}`;
  const follower = (name: string): string[] => ['--follow', '--genesis', gFile, '--datadir', join(dir, name), '--rpc-port', '0', '--bootstrap', seqAddr, '--sequencer-rpc', seqUrl, '--log-level', 'warn'];
  const [seq, f1] = await Promise.all([
    startNodeProc(['--genesis', gFile, '--datadir', join(dir, 'seq'), '--rpc-port', String(rpcPort), '--p2p-port', String(p2pPort), '--sequencer-key-file', keyFile, '--log-level', 'warn'], children),
    startNodeProc(follower('f1'), children),
  ]);
  await waitFor('f1 connected', async () => (await metric(f1.url, 'verity_p2p_peers')) >= 1, 60_000);

  // the load: SENDERS × PER_SENDER transfers, signed ahead, sent in batches of 200, two at a time
  const raws: string[] = [];
  for (let k = 0n; k < BigInt(PER_SENDER); k++) {
    for (const s of accounts.slice(1)) {
      raws.push(bytesToHex(signTx({ chainId: genesis.chainId, nonce: k, to: accounts[0].address, value: 1n, gasLimit: 21_000n, maxFeePerGas: 50n * 10n ** 9n, maxPriorityFeePerGas: 10n ** 9n }, hexToBytes(s.privateKey))));
    }
  }
  const startHead = await headOf(seq.url);
  const t0 = performance.now();
  const hashes: string[] = [];
  const batches: string[][] = [];
  for (let i = 0; i < raws.length; i += 200) batches.push(raws.slice(i, i + 200));
  const send = async (): Promise<void> => {
    for (let b = batches.shift(); b; b = batches.shift()) {
      const rs = await rpcBatch(seq.url, b.map((r) => ['eth_sendRawTransaction', [r]]));
      for (const r of rs) if (typeof r.result === 'string') hashes.push(r.result);
    }
  };
  await Promise.all([send(), send()]);
  let pending = [...hashes];
  while (pending.length > 0) {
    const rs = await rpcBatch(seq.url, pending.slice(0, 500).map((h) => ['eth_getTransactionReceipt', [h]]));
    const mined = new Set(pending.slice(0, 500).filter((_, i) => rs[i].result));
    pending = pending.filter((h) => !mined.has(h));
    if (pending.length > 0) await new Promise((r) => setTimeout(r, 100));
  }
  const liveS = (performance.now() - t0) / 1000;
  const endHead = await headOf(seq.url);
  const sealS = await metric(seq.url, 'verity_block_seal_seconds_sum');
  const sealTxs = await metric(seq.url, 'verity_txs_included_total');
  const live = { txs: hashes.length, seconds: liveS, txPerS: hashes.length / liveS, blocksPerS: Number(endHead - startHead) / liveS, sealCapacityTxPerS: sealTxs / sealS };

  await waitFor('f1 at the head', async () => (await headOf(f1.url)) >= endHead, 120_000);
  const gossipS = await metric(f1.url, 'verity_block_import_seconds_sum', 'source="gossip"');
  const gossipBlocks = await metric(f1.url, 'verity_block_import_seconds_count', 'source="gossip"');
  const gossipTxs = await metric(f1.url, 'verity_txs_imported_total', 'source="gossip"');
  // how many senders f1 had recovered from tx gossip before their block arrived
  const ahead = await metric(f1.url, 'verity_import_senders_ahead_total');
  const importedAll = await metric(f1.url, 'verity_txs_imported_total');
  const gossip = { blocks: gossipBlocks, txs: gossipTxs, importSeconds: gossipS, txPerS: gossipTxs / gossipS, blocksPerS: gossipBlocks / gossipS, sendersRecoveredAhead: ahead, txsImportedAll: importedAll };

  // a fresh follower range-syncs everything
  const target = await headOf(seq.url);
  const f2 = await startNodeProc(follower('f2'), children);
  const t1 = performance.now();
  await waitFor('f2 at the head', async () => (await headOf(f2.url)) >= target, 300_000, 100);
  const rangeWallS = (performance.now() - t1) / 1000;
  const rangeS = await metric(f2.url, 'verity_block_import_seconds_sum', 'source="range"');
  const rangeBlocks = await metric(f2.url, 'verity_block_import_seconds_count', 'source="range"');
  const rangeTxs = await metric(f2.url, 'verity_txs_imported_total', 'source="range"');
  const range = { blocks: Number(target), txs: hashes.length, wallSeconds: rangeWallS, wallTxPerS: hashes.length / rangeWallS, wallBlocksPerS: Number(target) / rangeWallS, importSeconds: rangeS, txPerS: rangeTxs / rangeS, blocksPerS: rangeBlocks / rangeS };

  const f = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  console.log(JSON.stringify({ live, gossip, range }, null, 2));
  console.log('\n| measure | tx/s | blocks/s | × live tx/s |');
  console.log('|---|---|---|---|');
  console.log(`| sequencer live (wall, ${live.txs} txs in ${live.seconds.toFixed(1)} s) | ${f(live.txPerS)} | ${f(live.blocksPerS)} | 1 |`);
  console.log(`| sequencer sealing capacity (txs per second of seal time) | ${f(live.sealCapacityTxPerS)} | | ${(live.sealCapacityTxPerS / live.txPerS).toFixed(1)} |`);
  console.log(`| follower from gossip (import time; senders of ${gossip.sendersRecoveredAhead} of its ${gossip.txsImportedAll} imported txs recovered ahead, from tx gossip) | ${f(gossip.txPerS)} | ${f(gossip.blocksPerS)} | ${(gossip.txPerS / live.txPerS).toFixed(1)} |`);
  console.log(`| fresh follower, range sync (wall, ${range.blocks} blocks) | ${f(range.wallTxPerS)} | ${f(range.wallBlocksPerS)} | ${(range.wallTxPerS / live.txPerS).toFixed(1)} |`);
  console.log(`| fresh follower, range sync (import time) | ${f(range.txPerS)} | ${f(range.blocksPerS)} | ${(range.txPerS / live.txPerS).toFixed(1)} |`);
}

try {
  await main();
} finally {
  stopAll(children);
  rmSync(dir, { recursive: true, force: true });
}
