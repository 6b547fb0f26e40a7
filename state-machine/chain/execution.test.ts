import fc from 'fast-check';
import { decodeFunctionResult, encodeFunctionData, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { ACCOUNTS, TestChain, signTx, testGenesis } from '../test/chain-harness.ts';
import { bytesToHex, hexToBytes, uintToBytes } from '../crypto/hash.ts';
import {
  BlockInvalidError,
  ChainState,
  GasAllowanceError,
  MODULE_ADDRESSES,
  RevertError,
  SupplyInvariantError,
  accountKey,
  accountsAbi,
  applyBlock,
  blockEnvFromHeader,
  blockHash,
  bloomMayContain,
  intrinsicGas,
  nextBaseFee,
  signDigest,
  stakeAbi,
  type Block,
} from '../index.ts';

const [, alice, bob, carol] = ACCOUNTS;
const VAULT = testGenesis().modules.accounts.feeVault;

describe('transfers and fees', () => {
  it('moves value, pays gasUsed × effective price to the fee vault, bumps the nonce and conserves supply', async () => {
    const c = new TestChain();
    const supply = c.state.totalSupply();
    const a0 = c.state.getBalance(alice.address);
    const b0 = c.state.getBalance(bob.address);
    const tx = await signTx(c.genesis, alice, { to: bob.address, nonce: 0, value: 777n, gas: 30_000n, data: '0x0001' });
    const { receipts, skipped, block } = c.build([tx]);
    expect(skipped).toEqual([]);
    const [r] = receipts;
    const baseFee = block.header.baseFee;
    expect(r.status).toBe(1);
    expect(r.gasUsed).toBe(21_000n + 4n + 16n);
    expect(r.effectiveGasPrice).toBe(baseFee + 1_000n);
    const fee = r.gasUsed * r.effectiveGasPrice;
    expect(c.state.getBalance(alice.address)).toBe(a0 - 777n - fee);
    expect(c.state.getBalance(bob.address)).toBe(b0 + 777n);
    expect(c.state.getBalance(VAULT)).toBe(fee);
    expect(c.state.getNonce(alice.address)).toBe(1n);
    expect(c.state.totalSupply()).toBe(supply);
    c.state.checkSupply();
  });

  it('clone() gives an independent state with the same root', async () => {
    const c = new TestChain();
    const copy = c.state.clone();
    expect(copy.root()).toBe(c.state.root());
    c.build([await signTx(c.genesis, alice, { to: bob.address, nonce: 0, value: 5n, gas: 21_000n })]);
    expect(copy.root()).not.toBe(c.state.root());
    expect(copy.getNonce(alice.address)).toBe(0n);
    expect(c.state.getNonce(alice.address)).toBe(1n);
  });

  it('caps the price at maxFeePerGas and charges legacy transactions their gas price', async () => {
    const c = new TestChain();
    const baseFee = nextBaseFee(c.head, c.genesis.baseFee);
    const capped = await signTx(c.genesis, alice, { to: bob.address, nonce: 0, maxFeePerGas: baseFee + 5n, maxPriorityFeePerGas: 100n, gas: 21_000n });
    const legacy = await signTx(c.genesis, bob, { to: alice.address, nonce: 0, maxFeePerGas: baseFee + 9n, legacy: true, gas: 21_000n });
    const { receipts } = c.build([capped, legacy]);
    expect(receipts.map((r) => r.effectiveGasPrice)).toEqual([baseFee + 5n, baseFee + 9n]);
    expect(receipts[1].cumulativeGasUsed).toBe(42_000n);
  });

  it('skips invalid transactions with geth messages and leaves their senders untouched', async () => {
    const c = new TestChain();
    const g = c.genesis;
    const big = c.state.getBalance(carol.address);
    const candidates = [
      await signTx(g, alice, { to: bob.address, nonce: 0, gas: 21_000n }),
      await signTx(g, alice, { to: bob.address, nonce: 0, gas: 21_000n, value: 1n }),
      await signTx(g, alice, { to: bob.address, nonce: 5, gas: 21_000n }),
      await signTx(g, bob, { to: alice.address, nonce: 0, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n }),
      await signTx(g, bob, { to: alice.address, nonce: 0, gas: 20_000n }),
      await signTx(g, carol, { to: alice.address, nonce: 0, value: big }),
      await signTx(g, carol, { to: alice.address, nonce: 0, gas: g.gasLimit + 1n }),
    ];
    const { included, skipped } = c.build(candidates);
    expect(included.map((t) => t.hash)).toEqual([candidates[0].hash]);
    expect(skipped.map((s) => s.code)).toEqual(['NONCE_TOO_LOW', 'NONCE_TOO_HIGH', 'FEE_CAP_TOO_LOW', 'INTRINSIC_GAS_TOO_LOW', 'INSUFFICIENT_FUNDS', 'GAS_LIMIT_REACHED']);
    expect(skipped[0].reason).toBe(`nonce too low: address ${alice.address}, tx: 0 state: 1`);
    expect(skipped[1].reason).toBe(`nonce too high: address ${alice.address}, tx: 5 state: 1`);
    expect(skipped[2].reason).toMatch(/^max fee per gas less than block base fee: address 0x[0-9a-f]{40}, maxFeePerGas: 1, baseFee: \d+$/);
    expect(skipped[3].reason).toBe('intrinsic gas too low: have 20000, want 21000');
    expect(skipped[4].reason).toMatch(/^insufficient funds for gas \* price \+ value: address 0x[0-9a-f]{40} have \d+ want \d+$/);
    expect(skipped[5].reason).toBe('gas limit reached');
    expect(c.state.getNonce(bob.address)).toBe(0n);
    expect(c.state.getNonce(carol.address)).toBe(0n);
  });

  it('charges access lists in intrinsic gas', () => {
    const data = new Uint8Array([0, 0, 1]);
    const accessList = [{ address: bob.address, storageKeys: [`0x${'00'.repeat(32)}` as Hex, `0x${'01'.repeat(32)}` as Hex] }, { address: carol.address, storageKeys: [] }];
    expect(intrinsicGas({ data })).toBe(21_000n + 2n * 4n + 16n);
    expect(intrinsicGas({ data, accessList })).toBe(21_000n + 2n * 4n + 16n + 2n * 2_400n + 2n * 1_900n);
  });

  it('the supply check catches balances and stake bookkeeping that do not add up', async () => {
    const c = new TestChain();
    const tx = await signTx(c.genesis, alice, { to: MODULE_ADDRESSES.stake, nonce: 0, value: 2n * 10n ** 18n, data: encodeFunctionData({ abi: stakeAbi, functionName: 'bond' }) });
    c.build([tx]);
    c.state.checkSupply();
    // move one wei of the stake account to alice: supply still adds up, stake bookkeeping does not
    const stakeKey = accountKey(MODULE_ADDRESSES.stake);
    const aliceKey = accountKey(alice.address);
    const stakeBal = c.state.getBalance(MODULE_ADDRESSES.stake);
    const aliceRec = c.state.store.get(aliceKey) as Uint8Array;
    c.state.store.checkpoint();
    c.state.store.set(stakeKey, new Uint8Array([...uintToBytes(0n, 32), ...uintToBytes(stakeBal - 1n, 32)]));
    c.state.store.set(aliceKey, new Uint8Array([...aliceRec.subarray(0, 32), ...uintToBytes(c.state.getBalance(alice.address) + 1n, 32)]));
    expect(() => c.state.checkSupply()).toThrow(/stake: bonded/);
    c.state.store.revert();
    c.state.store.checkpoint();
    c.state.store.set(aliceKey, new Uint8Array([...aliceRec.subarray(0, 32), ...uintToBytes(c.state.getBalance(alice.address) + 1n, 32)]));
    expect(() => c.state.checkSupply()).toThrow(SupplyInvariantError);
    // the always-on per-block check sees the same mint from the touched keys alone
    expect(() => c.state.checkSupplyChange()).toThrow(/balances changed by 1 in this block, total supply by 0/);
    c.state.store.revert();
    c.state.checkSupply();
    // moving value between accounts passes the per-block check
    c.state.store.checkpoint();
    c.state.store.set(stakeKey, new Uint8Array([...uintToBytes(0n, 32), ...uintToBytes(stakeBal - 1n, 32)]));
    c.state.store.set(aliceKey, new Uint8Array([...aliceRec.subarray(0, 32), ...uintToBytes(c.state.getBalance(alice.address) + 1n, 32)]));
    expect(() => c.state.checkSupplyChange()).not.toThrow();
    c.state.store.revert();
  });

  it('follows the EIP-1559 base fee rule with the genesis floor', () => {
    const p = testGenesis().baseFee;
    const gasLimit = 30_000_000n;
    const h = (baseFee: bigint, gasUsed: bigint) => ({ baseFee, gasUsed, gasLimit });
    const target = gasLimit / p.elasticityMultiplier;
    expect(nextBaseFee(h(8_000_000_000n, target), p)).toBe(8_000_000_000n);
    expect(nextBaseFee(h(8_000_000_000n, gasLimit), p)).toBe(8_000_000_000n + 8_000_000_000n / p.changeDenominator);
    expect(nextBaseFee(h(8_000_000_000n, 0n), p)).toBe(8_000_000_000n - 8_000_000_000n / p.changeDenominator);
    expect(nextBaseFee(h(p.min, 0n), p)).toBe(p.min);
    // a tiny fee still rises by at least 1 wei above target
    expect(nextBaseFee(h(1n, target + 1n), { ...p, min: 0n })).toBe(2n);
  });
});

describe('module calls', () => {
  it('a failing call reverts its state changes but still pays gas and bumps the nonce', async () => {
    const c = new TestChain();
    const a0 = c.state.getBalance(alice.address);
    const data = encodeFunctionData({ abi: stakeAbi, functionName: 'beginUnbond', args: [5n] });
    const nonPayable = await signTx(c.genesis, alice, { to: MODULE_ADDRESSES.stake, nonce: 1, value: 10n ** 18n, data: encodeFunctionData({ abi: stakeAbi, functionName: 'withdraw' }) });
    const fail = await signTx(c.genesis, alice, { to: MODULE_ADDRESSES.stake, nonce: 0, data });
    const { receipts } = c.build([fail, nonPayable]);
    expect(receipts.map((r) => r.status)).toEqual([0, 0]);
    expect(receipts[0].revertReason).toBe('beginUnbond: insufficient unlocked stake (0 < 5)');
    expect(receipts[1].revertReason).toBe('non-payable method');
    expect(receipts[0].gasUsed).toBe(intrinsicGas({ data: hexToBytes(data) }) + 60_000n);
    expect(receipts[0].logs).toEqual([]);
    const fees = receipts.reduce((s, r) => s + r.gasUsed * r.effectiveGasPrice, 0n);
    expect(c.state.getBalance(alice.address)).toBe(a0 - fees);
    expect(c.state.getBalance(MODULE_ADDRESSES.stake)).toBe(0n);
    expect(c.state.getNonce(alice.address)).toBe(2n);
    expect(c.state.getBalance(VAULT)).toBe(fees);
  });

  it('out of gas consumes the whole gas limit and moves no value', async () => {
    const c = new TestChain();
    const data = encodeFunctionData({ abi: stakeAbi, functionName: 'bond' });
    const tx = await signTx(c.genesis, alice, { to: MODULE_ADDRESSES.stake, nonce: 0, value: 10n ** 18n, data, gas: 30_000n });
    const { receipts } = c.build([tx]);
    expect(receipts[0]).toMatchObject({ status: 0, gasUsed: 30_000n, revertReason: 'out of gas' });
    expect(c.state.getBalance(MODULE_ADDRESSES.stake)).toBe(0n);
  });

  it('rejects bad calldata, unknown selectors and plain transfers to modules with Error(string)', async () => {
    const c = new TestChain();
    const env = blockEnvFromHeader(c.head);
    const selector = encodeFunctionData({ abi: accountsAbi, functionName: 'balanceOf', args: [alice.address] }).slice(0, 10) as Hex;
    const cases: [Hex, bigint, string][] = [
      [`${selector}1234`, 0n, 'invalid calldata'],
      ['0xdeadbeef', 0n, 'unknown function selector'],
      ['0x', 5n, 'module does not accept plain transfers'],
    ];
    expect(c.state.getCode(MODULE_ADDRESSES.bridge)).toBe('0xfe');
    for (const [data, value, reason] of cases) {
      const r = c.state.call({ from: alice.address, to: MODULE_ADDRESSES.accounts, data: hexToBytes(data), value }, env);
      expect(r.status).toBe(0);
      expect(r.revertReason).toBe(reason);
      // revert data is Error(string): selector 0x08c379a0
      expect(bytesToHex(r.returnData).slice(0, 10)).toBe('0x08c379a0');
    }
  });

  it('serves views through call, estimates gas, and returns 0xfe code for modules', async () => {
    const c = new TestChain();
    const env = blockEnvFromHeader(c.head);
    const root = c.state.root();
    const balanceCall = encodeFunctionData({ abi: accountsAbi, functionName: 'balanceOf', args: [alice.address] });
    const r = c.state.call({ to: MODULE_ADDRESSES.accounts, data: hexToBytes(balanceCall) }, env);
    expect(r.status).toBe(1);
    expect(decodeFunctionResult({ abi: accountsAbi, functionName: 'balanceOf', data: bytesToHex(r.returnData) })).toBe(c.state.getBalance(alice.address));
    const supply = c.state.call({ to: MODULE_ADDRESSES.accounts, data: hexToBytes(encodeFunctionData({ abi: accountsAbi, functionName: 'totalSupply' })) }, env);
    expect(decodeFunctionResult({ abi: accountsAbi, functionName: 'totalSupply', data: bytesToHex(supply.returnData) })).toBe(c.state.totalSupply());

    expect(c.state.estimateGas({ from: alice.address, to: bob.address, value: 1n }, env)).toBe(21_000n);
    const bond = hexToBytes(encodeFunctionData({ abi: stakeAbi, functionName: 'bond' }));
    const est = c.state.estimateGas({ from: alice.address, to: MODULE_ADDRESSES.stake, value: 10n ** 18n, data: bond }, env);
    expect(est).toBe(intrinsicGas({ data: bond }) + 40_000n);
    // call and estimateGas never change the state
    expect(c.state.root()).toBe(root);
    const tx = await signTx(c.genesis, alice, { to: MODULE_ADDRESSES.stake, nonce: 0, value: 10n ** 18n, data: bytesToHex(bond), gas: est });
    expect(c.build([tx]).receipts[0].status).toBe(1);

    const unbond = hexToBytes(encodeFunctionData({ abi: stakeAbi, functionName: 'beginUnbond', args: [1n] }));
    expect(() => c.state.estimateGas({ from: bob.address, to: MODULE_ADDRESSES.stake, data: unbond }, env)).toThrow(RevertError);
    expect(() => c.state.estimateGas({ from: bob.address, to: MODULE_ADDRESSES.stake, data: bond, value: 10n ** 18n, gas: 25_000n }, env)).toThrow(GasAllowanceError);

    expect(c.state.getCode(MODULE_ADDRESSES.stake)).toBe('0xfe');
    expect(c.state.getCode(MODULE_ADDRESSES.accounts.toUpperCase().replace('0X', '0x') as Hex)).toBe('0xfe');
    expect(c.state.getCode(alice.address)).toBe('0x');
    expect(c.state.getCode(VAULT)).toBe('0x');
  });
});

describe('blocks', () => {
  function resign(block: Block, edit: (h: Block['header']) => void, key = hexToBytes(ACCOUNTS[0].privateKey)): Block {
    const header = { ...block.header };
    edit(header);
    const hash = blockHash(header);
    header.signature = bytesToHex(signDigest(hexToBytes(hash), key));
    return { ...block, header, hash };
  }

  it('applyBlock rejects any mismatch and leaves the state unchanged', async () => {
    const c = new TestChain();
    const tx = await signTx(c.genesis, alice, { to: MODULE_ADDRESSES.stake, nonce: 0, value: 10n ** 18n, data: encodeFunctionData({ abi: stakeAbi, functionName: 'bond' }) });
    const { block } = c.build([tx]);
    const parent = c.blocks[0].header;
    const f = ChainState.fromGenesis(c.genesis);
    const root0 = f.root();
    const bad: [string, Block][] = [
      ['state root', resign(block, (h) => { h.stateRoot = h.receiptsRoot; })],
      ['receipts root', resign(block, (h) => { h.receiptsRoot = h.stateRoot; })],
      ['tx root', resign(block, (h) => { h.txRoot = h.stateRoot; })],
      ['gas used', resign(block, (h) => { h.gasUsed += 1n; })],
      ['logs bloom', resign(block, (h) => { h.logsBloom = `0x${'00'.repeat(256)}`; })],
      ['base fee', resign(block, (h) => { h.baseFee += 1n; })],
      ['parent hash', resign(block, (h) => { h.parentHash = h.stateRoot; })],
      ['signed by', resign(block, () => undefined, hexToBytes(bob.privateKey))],
      ['block hash', { ...block, hash: block.header.stateRoot }],
      ['does not decode', { ...block, transactions: [new Uint8Array([2, 1, 2])] }],
    ];
    for (const [what, b] of bad) {
      expect(() => applyBlock(f, parent, b), what).toThrow(BlockInvalidError);
      expect(() => applyBlock(f, parent, b), what).toThrow(what);
      expect(f.root()).toBe(root0);
    }
    const receipts = applyBlock(f, parent, block);
    expect(f.root()).toBe(block.header.stateRoot);
    expect(receipts[0].logs).toHaveLength(1);
    // a block bloom contains the emitting module and the event topic
    expect(bloomMayContain(block.header.logsBloom, hexToBytes(MODULE_ADDRESSES.stake))).toBe(true);
    expect(bloomMayContain(block.header.logsBloom, hexToBytes(receipts[0].logs[0].topics[0]))).toBe(true);
    expect(bloomMayContain(block.header.logsBloom, hexToBytes(MODULE_ADDRESSES.accounts))).toBe(false);
  });

  it('applyBlock answers hostile blocks with BlockInvalidError only', async () => {
    const c = new TestChain();
    const { block } = c.build([await signTx(c.genesis, alice, { to: bob.address, nonce: 0, value: 1n, gas: 21_000n })]);
    const parent = c.blocks[0].header;
    const f = ChainState.fromGenesis(c.genesis);
    const root0 = f.root();
    const junk: unknown[] = [null, 5, 'x', 2n ** 70n, -1n, '0x12', `0x${'zz'.repeat(32)}`, [], {}, new Uint8Array(3)];
    fc.assert(
      fc.property(fc.constantFrom(...(Object.keys(block.header) as (keyof Block['header'])[]), 'hash' as const, 'transactions' as const), fc.constantFrom(...junk), (field, value) => {
        const bad = field === 'hash' || field === 'transactions'
          ? { ...block, [field]: value }
          : { ...block, header: { ...block.header, [field]: value } };
        expect(() => applyBlock(f, parent, bad as Block)).toThrow(BlockInvalidError);
        expect(f.root()).toBe(root0);
      }),
      { numRuns: 300 },
    );
    expect(() => applyBlock(f, parent, null as unknown as Block)).toThrow(BlockInvalidError);
  });

  it('computes Ethereum logs blooms (mainnet vector)', () => {
    const bloom = '0x00000000000000000000000000000000000000001000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002020000000000000000000000000000000000000000000008000000001000000000000000000000000000000000000000000000000000001000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000';
    expect(bloomMayContain(bloom, hexToBytes('0xef2d6d194084c2de36e0dabfce45d046b37d1106'))).toBe(true);
    expect(bloomMayContain(bloom, hexToBytes('0xef2d6d194084c2de36e0dabfce45d046b37d1107'))).toBe(false);
  });
});
