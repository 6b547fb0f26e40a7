import { decodeAbiParameters, decodeEventLog, decodeFunctionResult, encodeFunctionData, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { ACCOUNTS, TestChain, signTx } from '../../test/chain-harness.ts';
import { bytesToHex, hexToBytes } from '../../crypto/hash.ts';
import { MODULE_ADDRESSES, blockEnvFromHeader, stakeAbi, stakerKey, verifyStateProof, type Log, type Receipt } from '../../index.ts';

const STAKE = MODULE_ADDRESSES.stake;
const ETH = 10n ** 18n;
const [, alice, bob] = ACCOUNTS;

function events(receipt: Receipt): { eventName: string; args: Record<string, unknown> }[] {
  return receipt.logs.map((l: Log) => {
    const d = decodeEventLog({ abi: stakeAbi, data: l.data, topics: l.topics as [Hex, ...Hex[]] });
    return { eventName: d.eventName, args: d.args as Record<string, unknown> };
  });
}

function view(c: TestChain, fn: 'stakeOf' | 'withdrawableOf', who: Hex): bigint {
  const data = fn === 'stakeOf'
    ? encodeFunctionData({ abi: stakeAbi, functionName: 'stakeOf', args: [who] })
    : encodeFunctionData({ abi: stakeAbi, functionName: 'withdrawableOf', args: [who] });
  const r = c.state.call({ to: STAKE, data: hexToBytes(data) }, blockEnvFromHeader(c.head));
  return decodeAbiParameters([{ type: 'uint256' }], bytesToHex(r.returnData))[0];
}

function viewUnbonding(c: TestChain, who: Hex): readonly { amount: bigint; startedAt: bigint; maturesAt: bigint }[] {
  const r = c.state.call({ to: STAKE, data: hexToBytes(encodeFunctionData({ abi: stakeAbi, functionName: 'unbondingOf', args: [who] })) }, blockEnvFromHeader(c.head));
  return decodeFunctionResult({ abi: stakeAbi, functionName: 'unbondingOf', data: bytesToHex(r.returnData) });
}

function totalStaked(c: TestChain): bigint {
  const r = c.state.call({ to: STAKE, data: hexToBytes(encodeFunctionData({ abi: stakeAbi, functionName: 'totalStaked' })) }, blockEnvFromHeader(c.head));
  return decodeFunctionResult({ abi: stakeAbi, functionName: 'totalStaked', data: bytesToHex(r.returnData) });
}

const call = (fn: 'bond' | 'withdraw'): Hex => encodeFunctionData({ abi: stakeAbi, functionName: fn });
const unbond = (amount: bigint): Hex => encodeFunctionData({ abi: stakeAbi, functionName: 'beginUnbond', args: [amount] });

describe('stake module', () => {
  it('bond → beginUnbond → end-block maturation → withdraw, with events and conserved supply', async () => {
    const c = new TestChain();
    const g = c.genesis;
    const supply = c.state.totalSupply();
    let nonce = 0;
    const send = async (data: Hex, value = 0n) => signTx(g, alice, { to: STAKE, nonce: nonce++, data, value });

    const b1 = c.build([await send(call('bond'), 5n * ETH)]);
    expect(b1.receipts[0].status).toBe(1);
    const [bonded] = events(b1.receipts[0]);
    expect(bonded).toMatchObject({ eventName: 'Bonded', args: { amount: 5n * ETH, bonded: 5n * ETH } });
    expect(String(bonded.args.staker).toLowerCase()).toBe(alice.address);
    expect(view(c, 'stakeOf', alice.address)).toBe(5n * ETH);
    expect(totalStaked(c)).toBe(5n * ETH);
    expect(c.state.getBalance(STAKE)).toBe(5n * ETH);

    const b2 = c.build([await send(unbond(2n * ETH))]);
    const maturesAt = b2.block.header.number + g.modules.stake.unbondingPeriodBlocks;
    expect(events(b2.receipts[0])).toMatchObject([{ eventName: 'UnbondStarted', args: { amount: 2n * ETH, maturesAt } }]);
    expect(view(c, 'stakeOf', alice.address)).toBe(3n * ETH);
    expect(totalStaked(c)).toBe(3n * ETH);
    expect(viewUnbonding(c, alice.address)).toEqual([{ amount: 2n * ETH, startedAt: b2.block.header.number, maturesAt }]);

    // too early: nothing matured yet
    const early = c.build([await send(call('withdraw'))]);
    expect(early.receipts[0]).toMatchObject({ status: 0, revertReason: 'withdraw: nothing matured' });

    while (c.head.number < maturesAt - 1n) c.build([]);
    expect(view(c, 'withdrawableOf', alice.address)).toBe(0n);
    c.build([]); // block `maturesAt`: its end-block hook matures the entry
    expect(c.head.number).toBe(maturesAt);
    expect(view(c, 'withdrawableOf', alice.address)).toBe(2n * ETH);
    expect(viewUnbonding(c, alice.address)).toEqual([]);

    const before = c.state.getBalance(alice.address);
    const w = c.build([await send(call('withdraw'))]);
    const r = w.receipts[0];
    expect(events(r)).toMatchObject([{ eventName: 'Withdrawn', args: { amount: 2n * ETH } }]);
    expect(c.state.getBalance(alice.address)).toBe(before + 2n * ETH - r.gasUsed * r.effectiveGasPrice);
    expect(c.state.getBalance(STAKE)).toBe(3n * ETH);
    expect(view(c, 'withdrawableOf', alice.address)).toBe(0n);
    expect(c.state.totalSupply()).toBe(supply);
    c.state.checkSupply();

    // the staker record is provable against the state root
    const key = stakerKey(alice.address);
    const value = c.state.store.get(key) ?? null;
    expect(verifyStateProof(c.state.root(), key, value, c.state.prove(key))).toBe(true);
    // and a follower replaying the blocks reaches the same state
    expect(c.replay().root()).toBe(c.state.root());
  });

  it('enforces the minimum bond, zero amounts and the entry cap', async () => {
    const c = new TestChain();
    const g = c.genesis;
    let n = 0;
    const send = async (data: Hex, value = 0n) => signTx(g, bob, { to: STAKE, nonce: n++, data, value });
    const r1 = c.build([await send(call('bond'), ETH / 2n), await send(call('bond'), 0n), await send(call('bond'), 2n * ETH)]).receipts;
    expect(r1.map((r) => r.revertReason ?? 'ok')).toEqual([`bond: bond ${ETH / 2n} below minimum bond ${ETH}`, 'bond: zero amount', 'ok']);
    const r2 = c.build([await send(unbond(ETH + 1n)), await send(unbond(0n)), await send(unbond(3n * ETH)), await send(unbond(2n * ETH))]).receipts;
    expect(r2.map((r) => r.revertReason ?? 'ok')).toEqual([
      `beginUnbond: remaining stake: bond ${ETH - 1n} below minimum bond ${ETH}`,
      'beginUnbond: zero amount',
      `beginUnbond: insufficient unlocked stake (${2n * ETH} < ${3n * ETH})`,
      'ok',
    ]);
    // many small unbonds from a larger bond hit the per-staker cap (one entry of 2 ETH is pending)
    const big = c.build([await send(call('bond'), 100n * ETH)]).receipts;
    expect(big[0].status).toBe(1);
    const many = [];
    for (let i = 0; i < 17; i++) many.push(await send(unbond(ETH)));
    const r3 = c.build(many).receipts;
    expect(r3.map((r) => r.revertReason ?? 'ok')).toEqual([...Array(15).fill('ok'), ...Array(2).fill('beginUnbond: too many unbonding entries (max 16)')]);
    expect(viewUnbonding(c, bob.address)).toHaveLength(16);
    for (let i = 0; i < 3; i++) c.build([]);
    expect(view(c, 'withdrawableOf', bob.address)).toBe(17n * ETH);
    expect(view(c, 'stakeOf', bob.address)).toBe(85n * ETH);
    expect(c.replay().root()).toBe(c.state.root());
  });
});
