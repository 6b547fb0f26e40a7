// The bridge module through blocks: deposits (type 0x7e) credit ETH and tokens once, in nonce order,
// only at the start of a block and only up to the block's L1 origin; withdrawals burn and grow the
// withdrawals tree whose root every header carries; supply = genesis + deposits − withdrawals.
import fc from 'fast-check';
import { decodeFunctionResult, encodeFunctionData, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { applyBlock, ChainState, type Block } from '../../index.ts';
import { BlockBuildError } from '../../chain/errors.ts';
import { blockHash } from '../../chain/header.ts';
import { signDigest } from '../../tx/recover.ts';
import { bytesToHex, concatBytes, hexToBytes, keccak256 } from '../../crypto/hash.ts';
import { runMessage } from '../../chain/execute.ts';
import { decodeBlockTransaction, decodeTransaction } from '../../tx/decode.ts';
import { ETH_TOKEN, decodeDepositTx, encodeDepositTx, type Deposit } from '../../tx/deposit.ts';
import { TxDecodeError } from '../../tx/errors.ts';
import { ACCOUNTS, SEQUENCER_KEY, TestChain, signTx, testGenesis } from '../../test/chain-harness.ts';
import type { Address } from '../../types.ts';
import { MODULE_ADDRESSES } from '../addresses.ts';
import { bridgeAbi } from './abi.ts';
import { bridgeParams } from './params.ts';
import { EMPTY_WITHDRAWALS_ROOT, WITHDRAWALS_TREE_DEPTH, withdrawalLeaf } from './records.ts';

const BRIDGE = MODULE_ADDRESSES.bridge;
const ETHER = 10n ** 18n;
const TOKEN: Address = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
const L1_HASH: Hex = `0x${'11'.repeat(32)}`;

function bridgedGenesis() {
  const g = testGenesis();
  return {
    ...g,
    modules: {
      ...g.modules,
      bridge: { ...g.modules.bridge, l1ChainId: 31337n, portal: '0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0' as Address, maxDepositsPerBlock: 4n },
    },
  };
}

function deposit(nonce: bigint, f: Partial<Deposit> = {}): Deposit {
  return {
    nonce,
    from: ACCOUNTS[5].address,
    to: ACCOUNTS[6].address,
    token: ETH_TOKEN,
    amount: ETHER,
    l1BlockNumber: 10n,
    l1BlockHash: L1_HASH,
    l1TxHash: bytesToHex(keccak256(new Uint8Array([Number(nonce % 256n)]))),
    logIndex: 0n,
    ...f,
  };
}

function depositTx(chain: TestChain, d: Deposit) {
  return decodeBlockTransaction(encodeDepositTx(d), chain.genesis.chainId);
}

function view<F extends 'tokenBalanceOf' | 'nextDepositNonce' | 'withdrawalCount' | 'withdrawalsRoot' | 'withdrawalProof' | 'withdrawalAt' | 'totalDeposited' | 'totalWithdrawn'>(
  chain: TestChain,
  functionName: F,
  args: readonly unknown[],
) {
  const data = encodeFunctionData({ abi: bridgeAbi, functionName, args } as never);
  const r = runMessage(chain.state, { from: ACCOUNTS[0].address, to: BRIDGE, value: 0n, data: hexToBytes(data), gas: 1_000_000n }, {
    number: chain.head.number + 1n,
    timestamp: chain.head.timestamp + 1n,
    baseFee: 0n,
    gasLimit: chain.genesis.gasLimit,
    sequencer: chain.genesis.sequencer,
    parentHash: chain.blocks[chain.blocks.length - 1].hash,
  });
  expect(r.revertReason).toBeUndefined();
  return decodeFunctionResult({ abi: bridgeAbi, functionName, data: bytesToHex(r.returnData) } as never) as unknown;
}

/** Reference root: the depth-32 keccak tree over `leaves`, computed naively level by level. */
function referenceRoot(leaves: Hex[]): Hex {
  let level = leaves.map(hexToBytes);
  let zero: Uint8Array = new Uint8Array(32);
  for (let d = 0; d < WITHDRAWALS_TREE_DEPTH; d++) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(keccak256(concatBytes(level[i], level[i + 1] ?? zero)));
    level = next;
    zero = keccak256(concatBytes(zero, zero));
  }
  return bytesToHex(level[0] ?? zero);
}

describe('deposit transactions', () => {
  it('encode and decode canonically; hostile bytes give TxDecodeError only', () => {
    const d = deposit(7n, { amount: 123n, logIndex: 3n });
    expect(decodeDepositTx(encodeDepositTx(d))).toEqual(d);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (tail) => {
        const raw = concatBytes(new Uint8Array([0x7e]), tail);
        try {
          decodeDepositTx(raw);
        } catch (e) {
          expect(e).toBeInstanceOf(TxDecodeError);
        }
      }),
    );
  });

  it('are refused by the pool decoder (only the sequencer puts them in blocks)', () => {
    expect(() => decodeTransaction(encodeDepositTx(deposit(0n)), 271828n)).toThrow(TxDecodeError);
  });
});

describe('bridge module in blocks', () => {
  it('credits ETH and token deposits once, in nonce order, and a follower agrees', async () => {
    const chain = new TestChain(bridgedGenesis());
    const supply0 = chain.state.totalSupply();
    const before = chain.state.getBalance(ACCOUNTS[6].address);
    const r = chain.build([depositTx(chain, deposit(0n)), depositTx(chain, deposit(1n, { token: TOKEN, amount: 500n }))], { number: 10n, hash: L1_HASH });
    expect(r.skipped).toEqual([]);
    expect(r.receipts.map((x) => x.status)).toEqual([1, 1]);
    expect(r.receipts[0].logs[0].address).toBe(BRIDGE);
    expect(r.block.header.l1OriginNumber).toBe(10n);
    expect(chain.state.getBalance(ACCOUNTS[6].address)).toBe(before + ETHER);
    expect(chain.state.totalSupply()).toBe(supply0 + ETHER);
    expect(view(chain, 'tokenBalanceOf', [TOKEN, ACCOUNTS[6].address])).toBe(500n);
    expect(view(chain, 'nextDepositNonce', [])).toBe(2n);
    // the same deposit again is skipped by the builder: its nonce is used
    const again = chain.build([depositTx(chain, deposit(1n, { token: TOKEN, amount: 500n }))]);
    expect(again.included).toEqual([]);
    expect(again.skipped[0].code).toBe('DEPOSIT_NONCE');
    expect(chain.replay().root()).toBe(chain.state.root());
  });

  it('refuses deposits ahead of the L1 origin, after a user tx, over the per-block cap, or without a bridge', async () => {
    const chain = new TestChain(bridgedGenesis());
    const ahead = chain.build([depositTx(chain, deposit(0n, { l1BlockNumber: 11n }))], { number: 10n, hash: L1_HASH });
    expect(ahead.skipped[0].code).toBe('DEPOSIT_AHEAD_OF_L1_ORIGIN');
    const user = await signTx(chain.genesis, ACCOUNTS[1], { to: ACCOUNTS[2].address, nonce: 0, value: 1n, gas: 21_000n });
    const late = chain.build([user, depositTx(chain, deposit(0n))]);
    expect(late.skipped[0].code).toBe('DEPOSIT_AFTER_USER_TX');
    const many = chain.build([0n, 1n, 2n, 3n, 4n].map((n) => depositTx(chain, deposit(n))));
    expect(many.included.length).toBe(4);
    expect(many.skipped[0].code).toBe('DEPOSIT_LIMIT');
    const g = testGenesis();
    const plain = new TestChain({ ...g, modules: { ...g.modules, bridge: bridgeParams.defaults() } });
    expect(plain.build([depositTx(plain, deposit(0n))]).skipped[0].code).toBe('DEPOSIT_NO_BRIDGE');
  });

  it('a follower refuses a block that replays a deposit, or whose L1 origin changed hash without advancing', () => {
    const chain = new TestChain(bridgedGenesis());
    chain.build([depositTx(chain, deposit(0n))], { number: 10n, hash: L1_HASH });
    const parent = chain.blocks[0].header;
    const replayed: Block = { ...chain.blocks[1], transactions: [encodeDepositTx(deposit(0n)), encodeDepositTx(deposit(0n))] };
    expect(() => applyBlock(ChainState.fromGenesis(chain.genesis), parent, replayed)).toThrow(/deposit nonce 0, next is 1/);
    // the sequencer never moves its origin backwards
    expect(() => chain.build([], { number: 9n, hash: L1_HASH })).toThrow(BlockBuildError);
    // same origin number, another hash: a signed block that says so is refused
    const b = chain.build([]).block;
    const header = { ...b.header, l1OriginHash: `0x${'22'.repeat(32)}` as Hex };
    const hash = blockHash(header);
    header.signature = bytesToHex(signDigest(hexToBytes(hash), SEQUENCER_KEY));
    const s = ChainState.fromGenesis(chain.genesis);
    applyBlock(s, parent, chain.blocks[1]);
    expect(() => applyBlock(s, chain.blocks[1].header, { hash, header, transactions: [] })).toThrow(/l1 origin hash mismatch/);
  });

  it('withdrawals burn, grow the tree whose root the header carries, and prove against it', async () => {
    const chain = new TestChain(bridgedGenesis());
    expect(chain.head.withdrawalsRoot).toBe(EMPTY_WITHDRAWALS_ROOT);
    chain.build([depositTx(chain, deposit(0n, { token: TOKEN, amount: 1_000n }))], { number: 10n, hash: L1_HASH });
    const supply0 = chain.state.totalSupply();
    const sender = ACCOUNTS[6];
    const recipient = ACCOUNTS[7].address;
    const w0 = await signTx(chain.genesis, sender, { to: BRIDGE, nonce: 0, value: 3n * ETHER, data: encodeFunctionData({ abi: bridgeAbi, functionName: 'withdraw', args: [recipient] }) });
    const w1 = await signTx(chain.genesis, sender, { to: BRIDGE, nonce: 1, data: encodeFunctionData({ abi: bridgeAbi, functionName: 'withdrawToken', args: [TOKEN, recipient, 400n] }) });
    const tooMuch = await signTx(chain.genesis, sender, { to: BRIDGE, nonce: 2, data: encodeFunctionData({ abi: bridgeAbi, functionName: 'withdrawToken', args: [TOKEN, recipient, 601n] }) });
    const r = chain.build([w0, w1, tooMuch]);
    expect(r.receipts.map((x) => x.status)).toEqual([1, 1, 0]);
    expect(r.receipts[2].revertReason).toMatch(/insufficient bridged balance/);
    expect(chain.state.totalSupply()).toBe(supply0 - 3n * ETHER);
    const leaves = [
      withdrawalLeaf({ nonce: 0n, l2Sender: sender.address, l1Recipient: recipient, token: ETH_TOKEN, amount: 3n * ETHER }),
      withdrawalLeaf({ nonce: 1n, l2Sender: sender.address, l1Recipient: recipient, token: TOKEN, amount: 400n }),
    ];
    expect(r.block.header.withdrawalsRoot).toBe(referenceRoot(leaves));
    expect(view(chain, 'withdrawalsRoot', [])).toBe(r.block.header.withdrawalsRoot);
    expect(view(chain, 'withdrawalCount', [])).toBe(2n);
    expect(view(chain, 'withdrawalAt', [1n])).toEqual([1n, expect.stringMatching(/^0x/i), expect.stringMatching(/^0x/i), expect.stringMatching(/^0x/i), 400n]);
    const [leaf, siblings] = view(chain, 'withdrawalProof', [1n]) as [Hex, Hex[]];
    expect(leaf).toBe(leaves[1]);
    let node = hexToBytes(leaf);
    siblings.forEach((sib, h) => {
      node = ((1n >> BigInt(h)) & 1n) === 1n ? keccak256(concatBytes(hexToBytes(sib), node)) : keccak256(concatBytes(node, hexToBytes(sib)));
    });
    expect(bytesToHex(node)).toBe(r.block.header.withdrawalsRoot);
    expect(view(chain, 'totalWithdrawn', [ETH_TOKEN])).toBe(3n * ETHER);
    expect(view(chain, 'tokenBalanceOf', [TOKEN, sender.address])).toBe(600n);
    expect(chain.replay().root()).toBe(chain.state.root());
  });

  it('supply = genesis + deposits − withdrawals at every block of a random sequence', async () => {
    const chain = new TestChain(bridgedGenesis());
    const genesisSupply = chain.state.totalSupply();
    const rnd = (seed: number) => () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const next = rnd(42);
    let nonce = 0n;
    let userNonce = 0;
    let deposited = 0n;
    let withdrawn = 0n;
    for (let b = 0; b < 30; b++) {
      const txs = [];
      const k = Math.floor(next() * 3);
      for (let i = 0; i < k; i++) {
        const amount = BigInt(1 + Math.floor(next() * 1e6));
        txs.push(depositTx(chain, deposit(nonce++, { amount, l1BlockNumber: 10n })));
        deposited += amount;
      }
      if (next() < 0.5) {
        const amount = BigInt(1 + Math.floor(next() * 1e6));
        txs.push(await signTx(chain.genesis, ACCOUNTS[6], { to: BRIDGE, nonce: userNonce++, value: amount, data: encodeFunctionData({ abi: bridgeAbi, functionName: 'withdraw', args: [ACCOUNTS[7].address] }) }));
        withdrawn += amount;
      }
      const r = chain.build(txs, { number: 10n, hash: L1_HASH });
      expect(r.skipped).toEqual([]);
      expect(chain.state.totalSupply()).toBe(genesisSupply + deposited - withdrawn);
      chain.state.checkSupply();
    }
    expect(chain.replay().root()).toBe(chain.state.root());
  });
});
