import { describe, expect, it } from 'vitest';
import { devnetAccounts } from '../../genesis/index.ts';
import { hexToBytes } from '../../state-machine/crypto/hash.ts';
import { signTx } from '../devnet/sign-tx.ts';
import { InlineDecoder, WorkerDecoder, type DecodeResult } from './decode.ts';

const CHAIN = 271828n;
const [a] = devnetAccounts(1);

describe('sender recovery in worker threads', () => {
  it('gives the same results as the main thread, batch by batch, hostile input included', async () => {
    const raws: Uint8Array[] = [];
    for (let i = 0n; i < 64n; i++) {
      raws.push(signTx({ chainId: CHAIN, nonce: i, to: '0x00000000000000000000000000000000000000aa', value: i, gasLimit: 21_000n, maxFeePerGas: 10n ** 9n, maxPriorityFeePerGas: 1n, type: i % 3n === 0n ? 0 : 2 }, hexToBytes(a.privateKey)));
    }
    raws.push(new Uint8Array([0x02, 0xc1, 0x80]), new Uint8Array(0), raws[0].slice(0, 20));
    const workers = new WorkerDecoder(CHAIN, 2);
    const inline = new InlineDecoder(CHAIN);
    try {
      // all submitted in one turn: one batch, split across both workers
      const [fromWorkers, fromMain] = await Promise.all([Promise.all(raws.map((r) => workers.decode(r))), Promise.all(raws.map((r) => inline.decode(r)))]);
      expect(fromWorkers).toEqual(fromMain);
      const ok = fromWorkers.filter((r): r is Extract<DecodeResult, { ok: true }> => r.ok);
      expect(ok).toHaveLength(64);
      for (const r of ok) expect(r.tx.from).toBe(a.address);
      expect(fromWorkers.slice(64).every((r) => !r.ok)).toBe(true);
    } finally {
      await workers.close();
      await inline.close();
    }
  });
});
