// startEmbeddedL1: a development L1 in this process (an @ethereumjs/vm chain behind a JSON-RPC
// server), funded like anvil from the test mnemonic, mining on an interval or per transaction, and
// durable when given a data dir. See docs/l1.md.
import { mkdirSync } from 'node:fs';
import { bytesToHex } from '@ethereumjs/util';
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { getAddress } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';
import { DEVNET_MNEMONIC, devnetAccounts } from '../../../genesis/index.ts';
import { createLogger, type Logger } from '../../../infra/logger.ts';
import { BlockLog } from './block-log.ts';
import { EmbeddedChain, type DevAccount, type Hex } from './chain.ts';
import { startL1Server } from './server.ts';

/** The devnet test mnemonic ('test test … junk'): anvil's default accounts. */
export const DEV_MNEMONIC = DEVNET_MNEMONIC;

export interface EmbeddedL1Options {
  host?: string;
  /** 0 picks a free port; default 8545 */
  port?: number;
  /** default 31337 (anvil's) */
  chainId?: bigint;
  /** the first `accounts` HD accounts m/44'/60'/0'/0/i are funded; default the test mnemonic */
  mnemonic?: string;
  /** default 10 */
  accounts?: number;
  /** wei per dev account; default 10000 ETH */
  balance?: bigint;
  /** interval mining, ms (an empty block when nothing is pending); 0 = one block per transaction (default) */
  blockTimeMs?: number;
  /** when given, every mined block is written (fsync) here before it is announced, and replayed on start */
  dataDir?: string;
  logger?: Logger;
  /** default 30,000,000 */
  gasLimit?: bigint;
}

export interface EmbeddedL1 {
  /** http://host:port */
  url: string;
  /** ws://host:port (eth_subscribe newHeads / logs) */
  wsUrl: string;
  port: number;
  chainId: bigint;
  /** the funded dev accounts, with their private keys (test keys, public knowledge) */
  accounts: DevAccount[];
  /** mines `n` blocks now (default 1) with what the pool holds; resolves to the new head number */
  mine(n?: number): Promise<bigint>;
  /** evm_snapshot: an id to revert to */
  snapshot(): Promise<number>;
  /** evm_revert: back to the snapshot (which is used up, as are later ones); false if unknown */
  revert(id: number): Promise<boolean>;
  /** the chain, for in-process callers that want events ('block', 'reorg') */
  chain: EmbeddedChain;
  /** stops mining and the server, closes the log; idempotent */
  stop(): Promise<void>;
}

/** The first `n` accounts m/44'/60'/0'/0/i of `mnemonic` (the seed is derived once: it is the slow part). */
export function devAccounts(mnemonic: string, n: number): DevAccount[] {
  if (mnemonic === DEVNET_MNEMONIC) return devnetAccounts(n).map((a) => ({ address: getAddress(a.address), privateKey: a.privateKey }));
  const base = HDKey.fromMasterSeed(mnemonicToSeedSync(mnemonic)).derive("m/44'/60'/0'/0");
  return Array.from({ length: n }, (_, i) => {
    const key = base.deriveChild(i).privateKey;
    if (key === null) throw new Error(`no private key at index ${i}`);
    const privateKey = bytesToHex(key) as Hex;
    return { address: privateKeyToAddress(privateKey), privateKey };
  });
}

export async function startEmbeddedL1(options: EmbeddedL1Options = {}): Promise<EmbeddedL1> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 8545;
  const chainId = options.chainId ?? 31337n;
  const blockTimeMs = options.blockTimeMs ?? 0;
  const log = (options.logger ?? createLogger('verity-l1', 'warn')).child({ component: 'l1' });
  const accounts = devAccounts(options.mnemonic ?? DEV_MNEMONIC, options.accounts ?? 10);
  let blockLog: BlockLog | undefined;
  if (options.dataDir !== undefined) {
    mkdirSync(options.dataDir, { recursive: true });
    blockLog = await BlockLog.open(options.dataDir);
  }
  let chain: EmbeddedChain;
  try {
    chain = await EmbeddedChain.create({
      chainId,
      accounts,
      balance: options.balance ?? 10_000n * 10n ** 18n,
      gasLimit: options.gasLimit ?? 30_000_000n,
      baseFee: 1_000_000_000n,
      coinbase: '0x0000000000000000000000000000000000000000',
      log,
      blockLog,
    });
  } catch (e) {
    await blockLog?.close();
    throw e;
  }
  const server = await startL1Server(
    { chain, automine: blockTimeMs === 0, clientVersion: 'verity-embedded-l1/0.1.0/ethereumjs-vm-10.1.3', logRangeCap: 100_000 },
    host,
    port,
    log,
  ).catch(async (e: unknown) => {
    await blockLog?.close();
    throw e;
  });

  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  // the next block is scheduled only after this one is done: a slow block never piles up timers
  const tick = () => {
    timer = null;
    chain.mine().then(
      () => schedule(),
      (err: unknown) => {
        log.error({ err }, 'interval mining failed');
        schedule();
      },
    );
  };
  const schedule = () => {
    if (!stopped && blockTimeMs > 0) timer = setTimeout(tick, blockTimeMs);
  };
  schedule();
  log.info({ url: server.url, chainId: chainId.toString(), head: chain.headNumber().toString(), blockTimeMs }, 'embedded L1 listening');

  let stopping: Promise<void> | null = null;
  return {
    url: server.url,
    wsUrl: server.wsUrl,
    port: server.port,
    chainId,
    accounts,
    chain,
    async mine(n = 1) {
      for (let i = 0; i < n; i++) await chain.mine();
      return chain.headNumber();
    },
    snapshot: () => chain.snapshot(),
    revert: (id) => chain.revert(id),
    stop() {
      stopping ??= (async () => {
        stopped = true;
        if (timer !== null) clearTimeout(timer);
        await server.close();
        await chain.idle();
        await blockLog?.close();
      })();
      return stopping;
    },
  };
}
