// The devnet banner: both JSON-RPC endpoints, and every address checksummed (EIP-55).
import { getAddress } from 'viem';
import { describe, expect, it } from 'vitest';
import { devnetAccounts } from '../../genesis/index.ts';
import { devnetBanner, devnetWorkersBanner } from './devnet-banner.ts';
import type { DevnetWorker } from '../devnet/workers.ts';

const accounts = devnetAccounts(4);

function addressesIn(text: string): string[] {
  return [...text.matchAll(/0x[0-9a-fA-F]{40}(?![0-9a-fA-F])/g)].map((m) => m[0]);
}

describe('devnet banner', () => {
  it('prints the HTTP and WebSocket URLs and checksummed account addresses', () => {
    const text = devnetBanner(accounts.map((account) => ({ account, balance: 10n ** 22n })), 271828n, { http: 'http://127.0.0.1:9545', ws: 'ws://127.0.0.1:9545' });
    expect(text).toMatch(/^HTTP: +http:\/\/127\.0\.0\.1:9545$/m);
    expect(text).toMatch(/^WebSocket: +ws:\/\/127\.0\.0\.1:9545$/m);
    expect(text).toContain('(1) 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 (10000.000000000000000000 ETH)');
    const found = addressesIn(text);
    expect(found).toHaveLength(accounts.length);
    for (const a of found) expect(a).toBe(getAddress(a));
  });

  it('checksums worker, stake and task addresses in the worker listing and commands', () => {
    const workers = [1, 2].map((i): DevnetWorker => ({
      name: i === 1 ? 'solver-1' : 'verifier-2',
      role: i === 1 ? 'solver' : 'verifier',
      account: accounts[i],
      keyFile: `/k/account-${i}.key`,
      dataDir: `/d/${i}`,
      port: 7000 + i,
      url: `http://127.0.0.1:${7000 + i}`,
      logFile: `/l/${i}.log`,
    }));
    const text = devnetWorkersBanner({
      rpc: 'http://127.0.0.1:9545',
      workers,
      logDir: '/l',
      submitter: accounts[3],
      submitterKey: '/k/account-3.key',
      spec: 'spec.json',
      stakes: { unbonded: [3], bonded: [] },
    });
    expect(text).toMatch(/^solver-1 +\(1\) 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 +http:\/\/127\.0\.0\.1:7001/m);
    const found = addressesIn(text);
    // two workers, the stake module in the bond hint, the task module in the cast command
    expect(found).toHaveLength(4);
    for (const a of found) expect(a).toBe(getAddress(a));
  });
});
