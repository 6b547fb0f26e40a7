// Identity, sync and fee methods: what every tool calls on connect.
import { bytesToHex, keccak256 } from '../../state-machine/crypto/hash.ts';
import { qty, type Json } from '../format.ts';
import { arrayOf, blockTag, count, data } from '../params.ts';
import { invalidParams } from '../errors.ts';
import { method, opt, req, type MethodTable } from './method.ts';

/** geth's cap on eth_feeHistory's blockCount */
export const FEE_HISTORY_MAX_BLOCKS = 1024;

const percentile = (v: unknown, where: string): number => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 100) {
    throw invalidParams(`invalid ${where}: want a number between 0 and 100`);
  }
  return v;
};

export const chainMethods: MethodTable = {
  eth_chainId: method([], ({ backend }) => qty(backend.chainId)),
  net_version: method([], ({ backend }) => backend.chainId.toString(10)),
  net_listening: method([], () => true),
  web3_clientVersion: method([], ({ backend }) => backend.clientVersion),
  web3_sha3: method([req('data', data)], (_ctx, d) => bytesToHex(keccak256(d))),
  eth_blockNumber: method([], ({ backend }) => qty(backend.headNumber())),
  eth_syncing: method([], ({ backend }) => {
    const s = backend.syncStatus();
    if (s.targetNumber <= s.headNumber) return false;
    return { startingBlock: '0x0', currentBlock: qty(s.headNumber), highestBlock: qty(s.targetNumber) };
  }),
  eth_mining: method([], () => false),
  eth_hashrate: method([], () => '0x0'),
  eth_coinbase: method([], ({ feeVault }) => feeVault),
  eth_gasPrice: method([], ({ backend }) => qty(backend.gasPrice())),
  eth_maxPriorityFeePerGas: method([], ({ backend }) => qty(backend.maxPriorityFeePerGas())),
  eth_feeHistory: method(
    [req('blockCount', count(FEE_HISTORY_MAX_BLOCKS)), req('newestBlock', blockTag), opt('rewardPercentiles', arrayOf(percentile, 100), [])],
    async ({ backend }, blockCount, newest, percentiles) => {
      for (let i = 1; i < percentiles.length; i++) {
        if (percentiles[i] < percentiles[i - 1]) throw invalidParams('invalid argument 2 (rewardPercentiles): must be ascending');
      }
      if (typeof newest === 'bigint' && newest > backend.headNumber()) throw invalidParams('invalid argument 1 (newestBlock): block is in the future');
      const h = await backend.feeHistory(blockCount, newest, percentiles);
      const out: { [k: string]: Json } = {
        oldestBlock: qty(h.oldestBlock),
        baseFeePerGas: h.baseFeePerGas.map(qty),
        gasUsedRatio: h.gasUsedRatio,
      };
      if (percentiles.length > 0) out.reward = (h.reward ?? []).map((r) => r.map(qty));
      return out;
    },
  ),
};
