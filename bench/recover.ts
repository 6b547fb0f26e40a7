// Sender recovery throughput, single core: libsecp256k1 (native) vs @noble/curves, and the full
// decodeTransaction path (parse + canonical check + signing hash + recovery).
// Run: npx tsx bench/recover.ts
import { secp256k1 as noble } from '@noble/curves/secp256k1.js';
import { privateKeyToAccount } from 'viem/accounts';
import { devnetAccounts } from '../genesis/devnet.ts';
import { hexToBytes, keccak256 } from '../state-machine/crypto/hash.ts';
import { decodeTransaction, recoveryBackend } from '../state-machine/index.ts';
import { recoverAddress } from '../state-machine/tx/recover.ts';

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
  const txs = raws.map((r) => decodeTransaction(r, CHAIN));
  const digests = raws.map((_, i) => keccak256(new Uint8Array([i & 0xff, i >> 8])));
  const key = hexToBytes(a.privateKey);
  const sigs = digests.map((d) => noble.sign(d, key, { prehash: false, format: 'recovered' }));

  let i = 0;
  rate('ecrecover libsecp256k1 (native)', N, () => {
    const t = txs[i++ % N];
    recoverAddress(digests[i % N], t.r, t.s, Number(t.v & 1n));
  });
  i = 0;
  rate('ecrecover @noble/curves', 500, () => {
    const k = i++ % N;
    noble.recoverPublicKey(sigs[k], digests[k], { prehash: false });
  });
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
