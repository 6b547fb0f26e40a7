// Sender recovery throughput, single core: libsecp256k1 (native) vs @noble/curves, and the full
// decodeTransaction path (parse + canonical check + signing hash + recovery).
// Run: npx tsx bench/recover.ts
import { privateKeyToAccount } from 'viem/accounts';
import { devnetAccounts } from '../genesis/devnet.ts';
import { bytesToHex, hexToBytes, keccak256 } from '../state-machine/crypto/hash.ts';
import { decodeTransaction, recoveryBackend } from '../state-machine/index.ts';
import { nativeBackend, nobleBackend, recoverAddress, signDigest, type SecpBackend } from '../state-machine/tx/recover.ts';

const CHAIN = 271828n;
const N = 2000;

function rate(label: string, n: number, f: () => void): number {
  f(); // warm up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) f();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const r = n / s;
  console.log(`${label.padEnd(42)} ${Math.round(r).toLocaleString('en-US').padStart(9)} /s`);
  return r;
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, backend ${recoveryBackend}`);
  const [a] = devnetAccounts(1);
  const signer = privateKeyToAccount(a.privateKey);
  const raws: Uint8Array[] = [];
  for (let i = 0; i < N; i++) {
    const hex = await signer.signTransaction({
      type: 'eip1559', chainId: Number(CHAIN), nonce: i, to: a.address, value: 1n, gas: 21_000n,
      maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 1n,
    });
    raws.push(hexToBytes(hex));
  }
  const key = hexToBytes(a.privateKey);
  const digests = raws.map((_, k) => keccak256(new Uint8Array([k & 0xff, k >> 8])));
  const sigs = digests.map((d) => signDigest(d, key));
  const rs = sigs.map((sg) => ({ r: BigInt(bytesToHex(sg.subarray(0, 32))), s: BigInt(bytesToHex(sg.subarray(32, 64))), recid: sg[64] - 27 }));
  let i = 0;
  const backends: [string, SecpBackend, number][] = [['ecrecover @noble/curves', nobleBackend, 300]];
  if (nativeBackend) backends.unshift(['ecrecover libsecp256k1 (native)', nativeBackend, N]);
  for (const [label, b, n] of backends) {
    i = 0;
    rate(label, n, () => {
      const k = i++ % N;
      recoverAddress(digests[k], rs[k].r, rs[k].s, rs[k].recid, b);
    });
  }
  i = 0;
  rate('decodeTransaction (decode + recover)', N, () => {
    decodeTransaction(raws[i++ % N], CHAIN);
  });
  i = 0;
  rate('decodeTransaction, sender known', N, () => {
    decodeTransaction(raws[i++ % N], CHAIN, a.address);
  });
}

await main();
