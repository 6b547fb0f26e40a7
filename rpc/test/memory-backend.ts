// A small in-memory RpcBackend for the server's own tests, built on the real state-machine parts
// (transaction decoding and sender recovery, the state store and its proofs, blooms, fee math).
// Each sealed transfer also emits one Transfer-shaped log so log queries have something to find.
// The end-to-end tests run against the real node instead.
import { EventEmitter } from 'node:events';
import { bytesToHex, concatBytes, hexToBytes, keccak256, uintToBytes, type Bytes, type Hex } from '../../state-machine/crypto/hash.ts';
import type { Block, CallMsg, CallResult, Receipt, SignedTx } from '../../state-machine/chain/types.ts';
import type { Address, Log } from '../../state-machine/types.ts';
import { logsBloom, bloomOr } from '../../state-machine/chain/bloom.ts';
import { effectiveGasPrice } from '../../state-machine/chain/fees.ts';
import { decodeTransaction } from '../../state-machine/tx/decode.ts';
import { StateStore } from '../../state-machine/store/store.ts';
import { DEFAULT_FEE_VAULT, MODULE_CODE } from '../../state-machine/modules/addresses.ts';
import { VerityError } from '../../state-machine/errors.ts';
import type { BlockTag, FeeHistory, LocatedLog, LogFilter, RpcBackend, StateProofJson, SyncStatus } from '../backend.ts';
import { locateLogs } from '../format.ts';
import { logMatches } from '../feed.ts';

export const TRANSFER_TOPIC = bytesToHex(keccak256(new TextEncoder().encode('Transfer(address,address,uint256)')));
/** eth_call to this address reverts with Error("nope"). */
export const REVERTING: Address = '0x000000000000000000000000000000000000dead';
export const CODE_ADDRESS: Address = '0x0000000000000000000000000000000000000a02';
const BASE_FEE = 1_000_000_000n;
const word = (a: Hex | bigint): Hex => bytesToHex(typeof a === 'bigint' ? uintToBytes(a, 32) : concatBytes(new Uint8Array(12), hexToBytes(a)));

export class MemoryBackend implements RpcBackend {
  readonly chainId = 1337n;
  readonly clientVersion = 'verity-test/0.0.0';
  readonly events = new EventEmitter();
  readonly blocks: Block[] = [];
  private readonly receipts: Receipt[][] = [];
  private readonly txs = new Map<Hex, { tx: SignedTx; block: number | null; index: number }>();
  private readonly balances = new Map<Address, bigint>();
  private readonly nonces = new Map<Address, bigint>();
  private pool: SignedTx[] = [];
  private readonly state = new StateStore();

  constructor(funded: Address[], amount: bigint) {
    for (const a of funded) this.balances.set(a.toLowerCase() as Address, amount);
    this.state.set(new Uint8Array([1, 2, 3]), new Uint8Array([9]));
    this.append([], []);
  }

  private append(txs: SignedTx[], receipts: Receipt[]): Block {
    const number = BigInt(this.blocks.length);
    const parent = this.blocks.at(-1);
    const header = {
      number, parentHash: parent ? parent.hash : bytesToHex(new Uint8Array(32)), timestamp: 1_700_000_000n + number,
      l1OriginNumber: 0n, l1OriginHash: bytesToHex(new Uint8Array(32)), stateRoot: this.state.rootHex(),
      txRoot: bytesToHex(new Uint8Array(32)), receiptsRoot: bytesToHex(new Uint8Array(32)),
      withdrawalsRoot: bytesToHex(new Uint8Array(32)), logsBloom: bloomOr(receipts.map((r) => r.logsBloom)),
      gasUsed: receipts.reduce((s, r) => s + r.gasUsed, 0n), gasLimit: 30_000_000n, baseFee: BASE_FEE,
      sequencer: '0x1000000000000000000000000000000000000001' as Address, signature: '0x' as Hex,
    };
    const hash = bytesToHex(keccak256(concatBytes(uintToBytes(number, 32), hexToBytes(header.parentHash))));
    const block: Block = { hash, header, transactions: txs.map((t) => t.raw) };
    this.blocks.push(block);
    this.receipts.push(receipts);
    txs.forEach((tx, index) => this.txs.set(tx.hash, { tx, block: Number(number), index }));
    return block;
  }

  /** Seals the pool into a block: transfers value, charges 21000 gas to the fee vault. */
  seal(): Block {
    const txs = this.pool;
    this.pool = [];
    let cumulative = 0n;
    const receipts = txs.map((tx): Receipt => {
      const price = effectiveGasPrice(tx, BASE_FEE);
      const fee = 21_000n * price;
      this.credit(tx.from, -(tx.value + fee));
      if (tx.to) this.credit(tx.to, tx.value);
      this.credit(DEFAULT_FEE_VAULT, fee);
      this.nonces.set(tx.from, tx.nonce + 1n);
      cumulative += 21_000n;
      const logs: Log[] = [{ address: tx.to ?? DEFAULT_FEE_VAULT, topics: [TRANSFER_TOPIC, word(tx.from), word(tx.to ?? DEFAULT_FEE_VAULT)], data: word(tx.value) }];
      return { txHash: tx.hash, status: 1, gasUsed: 21_000n, cumulativeGasUsed: cumulative, effectiveGasPrice: price, logs, logsBloom: bytesToHex(logsBloom(logs)) };
    });
    const block = this.append(txs, receipts);
    this.events.emit('block', block, receipts);
    return block;
  }

  private credit(a: Address, by: bigint): void {
    this.balances.set(a, (this.balances.get(a) ?? 0n) + by);
  }

  private at(tag: BlockTag | Hex): Block | undefined {
    if (typeof tag === 'bigint') return this.blocks[Number(tag)];
    if (tag === 'earliest') return this.blocks[0];
    if (tag.startsWith('0x')) return this.blocks.find((b) => b.hash === tag);
    return this.blocks.at(-1);
  }

  headNumber(): bigint {
    return BigInt(this.blocks.length - 1);
  }
  async getBlock(tag: BlockTag | Hex): Promise<Block | undefined> {
    return this.at(tag);
  }
  async getReceipts(n: bigint): Promise<Receipt[] | undefined> {
    return this.receipts[Number(n)];
  }
  async getTransaction(hash: Hex) {
    const t = this.txs.get(hash) ?? (this.pool.find((p) => p.hash === hash) && { tx: this.pool.find((p) => p.hash === hash) as SignedTx, block: null, index: 0 });
    if (!t) return undefined;
    const b = t.block === null ? null : this.blocks[t.block];
    return { tx: t.tx, location: b ? { blockNumber: b.header.number, blockHash: b.hash, index: t.index } : null };
  }
  async getReceipt(hash: Hex) {
    const t = this.txs.get(hash);
    if (!t || t.block === null) return undefined;
    const b = this.blocks[t.block];
    return { receipt: this.receipts[t.block][t.index], tx: t.tx, location: { blockNumber: b.header.number, blockHash: b.hash, index: t.index } };
  }
  async getLogs(f: LogFilter): Promise<LocatedLog[]> {
    const out: LocatedLog[] = [];
    for (let n = f.fromBlock; n <= f.toBlock && n < BigInt(this.blocks.length); n++) {
      const b = this.blocks[Number(n)];
      for (const l of locateLogs(b, this.receipts[Number(n)])) if (logMatches(l, f.addresses, f.topics)) out.push(l);
    }
    return out;
  }
  async getBalance(a: Address): Promise<bigint> {
    return this.balances.get(a) ?? 0n;
  }
  async getNonce(a: Address, tag: BlockTag): Promise<bigint> {
    const mined = this.nonces.get(a) ?? 0n;
    return tag === 'pending' ? mined + BigInt(this.pool.filter((t) => t.from === a).length) : mined;
  }
  async getCode(a: Address): Promise<Hex> {
    return a === CODE_ADDRESS ? MODULE_CODE : '0x';
  }
  async call(msg: CallMsg): Promise<CallResult> {
    if (msg.to === REVERTING) {
      // Error(string) selector 0x08c379a0 with "nope"
      const data = hexToBytes(`0x08c379a0${word(32n).slice(2)}${word(4n).slice(2)}${'6e6f7065'.padEnd(64, '0')}`);
      return { status: 0, returnData: data, gasUsed: 21_000n, logs: [], revertReason: 'nope' };
    }
    return { status: 1, returnData: msg.data ?? new Uint8Array(), gasUsed: 21_000n, logs: [] };
  }
  async estimateGas(): Promise<bigint> {
    return 21_000n;
  }
  async getProof(key: Bytes): Promise<StateProofJson> {
    const v = this.state.get(key);
    return { key: bytesToHex(key), value: v ? bytesToHex(v) : null, stateRoot: this.state.rootHex(), blockNumber: this.headNumber(), proof: this.state.prove(key) };
  }
  async sendRawTransaction(raw: Bytes): Promise<Hex> {
    const tx = decodeTransaction(raw, this.chainId);
    const next = await this.getNonce(tx.from, 'pending');
    if (tx.nonce < next) throw new VerityError('TXPOOL_NONCE_TOO_LOW', 'nonce too low');
    this.pool.push(tx);
    this.events.emit('pendingTx', tx.hash);
    return tx.hash;
  }
  pendingTransactions(): SignedTx[] {
    return [...this.pool];
  }
  gasPrice(): bigint {
    return BASE_FEE * 2n;
  }
  maxPriorityFeePerGas(): bigint {
    return 1n;
  }
  async feeHistory(count: number, newest: BlockTag, percentiles: number[]): Promise<FeeHistory> {
    const head = typeof newest === 'bigint' ? newest : this.headNumber();
    const n = BigInt(Math.min(count, Number(head) + 1));
    const oldest = head - n + 1n;
    const blocks = this.blocks.slice(Number(oldest), Number(head) + 1);
    return {
      oldestBlock: oldest,
      baseFeePerGas: [...blocks.map((b) => b.header.baseFee), BASE_FEE],
      gasUsedRatio: blocks.map((b) => Number(b.header.gasUsed) / Number(b.header.gasLimit)),
      reward: blocks.map(() => percentiles.map(() => 1n)),
    };
  }
  accounts(): Address[] {
    return [];
  }
  syncStatus(): SyncStatus {
    const head = this.blocks.at(-1) as Block;
    return { role: 'sequencer', headNumber: head.header.number, headHash: head.hash, targetNumber: head.header.number, pendingTxs: this.pool.length, snapshotNumber: null };
  }
  metricsText(): string {
    return '# HELP verity_test_blocks Blocks in the test backend\n# TYPE verity_test_blocks gauge\nverity_test_blocks ' + this.blocks.length + '\n';
  }
}
