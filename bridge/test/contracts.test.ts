// The bridge contracts on a real EVM, run against both L1s (bridge/test/l1-targets.ts): the embedded
// L1 (always) and anvil (the optional @foundry-rs/anvil-linux-amd64 binary; skipped, with a note, where
// absent). Calldata and logs go through viem (encodeFunctionData / decodeEventLog); the expected
// withdrawal tree is computed independently in TypeScript (bridge/withdrawals.ts).
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createTestClient,
  createWalletClient,
  decodeEventLog,
  decodeFunctionData,
  encodeFunctionData,
  getAddress,
  http,
  keccak256,
  parseEther,
  toHex,
  zeroAddress,
  type Abi,
  type Address,
  type Hex,
  type PublicClient,
  type TestClient,
  type TransactionReceipt,
  type WalletClient,
} from 'viem';
import { mnemonicToAccount, type HDAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  batchInboxAbi,
  batchInboxBytecode,
  outputOracleAbi,
  outputOracleBytecode,
  portalAbi,
  portalBytecode,
  testTokenAbi,
  testTokenBytecode,
} from '../artifacts.ts';
import {
  outputRoot,
  rootFromProof,
  withdrawalHash,
  withdrawalProof,
  withdrawalsRoot,
  ZERO_HASHES,
  type Withdrawal,
} from '../withdrawals.ts';

import { l1Targets, warnIfNoAnvil, type RunningL1 } from './l1-targets.ts';

warnIfNoAnvil('bridge contract tests');

const MNEMONIC = 'test test test test test test test test test test test junk'; // anvil's default accounts
const WINDOW = 3600n;

const acct: HDAccount[] = [0, 1, 2, 3, 4].map((i) => mnemonicToAccount(MNEMONIC, { addressIndex: i }));
const [user, proposer, guardian, batcher, stranger] = acct;
const L2_RECIPIENT: Address = getAddress('0x00000000000000000000000000000000000b0b01');
const L1_RECIPIENT: Address = getAddress('0x00000000000000000000000000000000000a11c3');

for (const target of l1Targets()) {
  describe.skipIf(!target.available)(`bridge contracts on the ${target.name} L1`, () => {
    let l1: RunningL1 | null = null;
    let pub: PublicClient;
    let testClient: TestClient;
    const wallets = new Map<Address, WalletClient>();
    let oracle: Address;
    let portal: Address;
    let token: Address;
    let inbox: Address;

    function wallet(a: HDAccount): WalletClient {
      const w = wallets.get(a.address);
      if (w === undefined) throw new Error('no wallet');
      return w;
    }

    /** Sends a transaction with viem-encoded calldata and waits for a successful receipt. */
    async function send(from: HDAccount, to: Address, data: Hex, value = 0n): Promise<TransactionReceipt> {
      const hash = await wallet(from).sendTransaction({ account: from, chain: foundry, to, data, value });
      const receipt = await pub.waitForTransactionReceipt({ hash });
      expect(receipt.status).toBe('success');
      return receipt;
    }

    /** The custom error name an eth_call of the same calldata reverts with. */
    async function revertName(from: HDAccount, to: Address, abi: Abi, data: Hex, value = 0n): Promise<string> {
      const decoded = decodeFunctionData({ abi, data });
      try {
        await pub.simulateContract({ account: from, address: to, abi, functionName: decoded.functionName, args: decoded.args, value });
      } catch (e) {
        const reverted = e instanceof BaseError ? e.walk((x) => x instanceof ContractFunctionRevertedError) : null;
        const name = reverted instanceof ContractFunctionRevertedError ? reverted.data?.errorName : undefined;
        if (name !== undefined) return name;
        throw e;
      }
      throw new Error(`${decoded.functionName} did not revert`);
    }

    async function deploy(from: HDAccount, abi: Abi, bytecode: Hex, args: readonly unknown[]): Promise<Address> {
      const hash = await wallet(from).deployContract({ account: from, chain: foundry, abi, bytecode, args });
      const receipt = await pub.waitForTransactionReceipt({ hash });
      if (receipt.contractAddress == null) throw new Error('no contract address');
      return getAddress(receipt.contractAddress);
    }

    function deposits(receipt: TransactionReceipt): { nonce: bigint; from: Address; l2Recipient: Address; token: Address; amount: bigint }[] {
      return receipt.logs
        .filter((l) => l.address.toLowerCase() === portal.toLowerCase())
        .map((l) => decodeEventLog({ abi: portalAbi, data: l.data, topics: l.topics }))
        .flatMap((ev) => (ev.eventName === 'Deposit' ? [ev.args] : []));
    }

    async function elapse(seconds: bigint): Promise<void> {
      await testClient.increaseTime({ seconds: Number(seconds) });
      await testClient.mine({ blocks: 1 });
    }

    beforeAll(async () => {
      l1 = await target.start();
      const url = l1.url;
      pub = createPublicClient({ chain: foundry, transport: http(url), pollingInterval: 50 });
      testClient = createTestClient({ chain: foundry, mode: 'anvil', transport: http(url) });
      for (const a of acct) wallets.set(a.address, createWalletClient({ account: a, chain: foundry, transport: http(url) }));
      oracle = await deploy(user, outputOracleAbi, outputOracleBytecode, [proposer.address, guardian.address, WINDOW]);
      portal = await deploy(user, portalAbi, portalBytecode, [oracle]);
      token = await deploy(user, testTokenAbi, testTokenBytecode, ['Verity Test Token', 'VTT']);
      inbox = await deploy(user, batchInboxAbi, batchInboxBytecode, [batcher.address]);
    });

    afterAll(async () => {
      await l1?.stop();
    });

      it('ETH and ERC-20 deposits emit Deposit with increasing nonces and lock the funds', async () => {
        const eth = (r: Address) => encodeFunctionData({ abi: portalAbi, functionName: 'depositETH', args: [r] });
        const r0 = await send(user, portal, eth(L2_RECIPIENT), parseEther('5'));
        expect(deposits(r0)).toEqual([{ nonce: 0n, from: user.address, l2Recipient: L2_RECIPIENT, token: zeroAddress, amount: parseEther('5') }]);

        await send(user, token, encodeFunctionData({ abi: testTokenAbi, functionName: 'mint', args: [user.address, 1000n] }));
        await send(user, token, encodeFunctionData({ abi: testTokenAbi, functionName: 'approve', args: [portal, 700n] }));
        const erc = encodeFunctionData({ abi: portalAbi, functionName: 'depositERC20', args: [token, L2_RECIPIENT, 700n] });
        const r1 = await send(user, portal, erc);
        expect(deposits(r1)).toEqual([{ nonce: 1n, from: user.address, l2Recipient: L2_RECIPIENT, token, amount: 700n }]);

        const r2 = await send(stranger, portal, eth(stranger.address), 1n);
        expect(deposits(r2)[0]).toMatchObject({ nonce: 2n, from: stranger.address, amount: 1n });

        expect(await pub.getBalance({ address: portal })).toBe(parseEther('5') + 1n);
        expect(await pub.readContract({ address: token, abi: testTokenAbi, functionName: 'balanceOf', args: [portal] })).toBe(700n);
        expect(await pub.readContract({ address: portal, abi: portalAbi, functionName: 'depositNonce' })).toBe(3n);

        expect(await revertName(user, portal, portalAbi, eth(L2_RECIPIENT), 0n)).toBe('ZeroAmount');
        expect(await revertName(user, portal, portalAbi, eth(zeroAddress), 1n)).toBe('ZeroRecipient');
        // allowance used up: the token's own error surfaces through the portal as TokenTransferFailed
        expect(await revertName(user, portal, portalAbi, erc)).toBe('TokenTransferFailed');
        // plain ETH sends are refused (no receive function): funds only enter through depositETH
        await expect(wallet(user).sendTransaction({ account: user, chain: foundry, to: portal, value: 1n })).rejects.toThrow();
      });

      it('only the proposer posts output roots, at increasing L2 block numbers', async () => {
        const root = keccak256(toHex('root 5'));
        const propose = (n: bigint, r: Hex) => encodeFunctionData({ abi: outputOracleAbi, functionName: 'proposeOutput', args: [n, r] });
        expect(await revertName(user, oracle, outputOracleAbi, propose(5n, root))).toBe('NotProposer');
        expect(await revertName(guardian, oracle, outputOracleAbi, propose(5n, root))).toBe('NotProposer');
        const receipt = await send(proposer, oracle, propose(5n, root));
        const ev = decodeEventLog({ abi: outputOracleAbi, data: receipt.logs[0].data, topics: receipt.logs[0].topics });
        expect(ev.eventName).toBe('OutputProposed');
        const [posted, ts] = await pub.readContract({ address: oracle, abi: outputOracleAbi, functionName: 'getOutput', args: [5n] });
        expect(posted).toBe(root);
        expect(ts).toBeGreaterThan(0n);
        expect(await revertName(proposer, oracle, outputOracleAbi, propose(5n, root))).toBe('BlockNumberNotIncreasing');
        expect(await revertName(proposer, oracle, outputOracleAbi, propose(4n, root))).toBe('BlockNumberNotIncreasing');
        expect(await pub.readContract({ address: oracle, abi: outputOracleAbi, functionName: 'isFinalized', args: [5n] })).toBe(false);
      });

      it('a proven withdrawal is refused before finalization, paid once after it, and never with a forged sibling', async () => {
        const ws: Withdrawal[] = [
          { nonce: 0n, l2Sender: L2_RECIPIENT, l1Recipient: L1_RECIPIENT, token: zeroAddress, amount: parseEther('1.5') },
          { nonce: 1n, l2Sender: L2_RECIPIENT, l1Recipient: L1_RECIPIENT, token, amount: 300n },
          { nonce: 2n, l2Sender: stranger.address, l1Recipient: stranger.address, token: zeroAddress, amount: 1n },
        ];
        const leaves = ws.map(withdrawalHash);
        const wRoot = withdrawalsRoot(leaves);
        const stateRoot = keccak256(toHex('state'));
        const blockHash = keccak256(toHex('block 10'));
        const out = outputRoot(stateRoot, wRoot, blockHash);

        // the contract computes the same formats as the TypeScript helpers
        expect(await pub.readContract({ address: portal, abi: portalAbi, functionName: 'outputRootOf', args: [stateRoot, wRoot, blockHash] })).toBe(out);
        expect(await pub.readContract({ address: portal, abi: portalAbi, functionName: 'hashWithdrawal', args: [ws[1]] })).toBe(leaves[1]);
        const proof1 = withdrawalProof(leaves, 1);
        expect(rootFromProof(leaves[1], 1, proof1)).toBe(wRoot);
        expect(await pub.readContract({ address: portal, abi: portalAbi, functionName: 'merkleRootOf', args: [leaves[1], 1n, proof1] })).toBe(wRoot);
        expect(withdrawalsRoot([])).toBe(ZERO_HASHES[32]);

        const prove = (i: number, siblings: Hex[], n = 10n, wr = wRoot) =>
          encodeFunctionData({ abi: portalAbi, functionName: 'proveWithdrawal', args: [n, stateRoot, wr, blockHash, ws[i], BigInt(i), siblings] });
        const finalize = (i: number) => encodeFunctionData({ abi: portalAbi, functionName: 'finalizeWithdrawal', args: [ws[i]] });

        expect(await revertName(user, portal, portalAbi, prove(0, withdrawalProof(leaves, 0)))).toBe('OutputNotFound');
        await send(proposer, oracle, encodeFunctionData({ abi: outputOracleAbi, functionName: 'proposeOutput', args: [10n, out] }));

        const proven = await send(stranger, portal, prove(0, withdrawalProof(leaves, 0)));
        const ev = decodeEventLog({ abi: portalAbi, data: proven.logs[0].data, topics: proven.logs[0].topics });
        expect(ev).toMatchObject({ eventName: 'WithdrawalProven', args: { withdrawalHash: leaves[0], l2BlockNumber: 10n, prover: stranger.address } });
        const [, , provenAt] = await pub.readContract({ address: portal, abi: portalAbi, functionName: 'provenWithdrawals', args: [leaves[0]] });
        expect(provenAt).toBe((await pub.getBlock({ blockNumber: proven.blockNumber })).timestamp);

        // a standing proof cannot be moved (to a newer, unfinalized root) by anyone
        expect(await revertName(user, portal, portalAbi, prove(0, withdrawalProof(leaves, 0)))).toBe('WithdrawalAlreadyProven');

        // forged proofs
        const forged = [...proof1];
        forged[3] = keccak256(toHex('forged'));
        expect(await revertName(user, portal, portalAbi, prove(1, forged))).toBe('InvalidWithdrawalProof');
        expect(await revertName(user, portal, portalAbi, prove(1, withdrawalProof(leaves, 2)))).toBe('InvalidWithdrawalProof');
        expect(await revertName(user, portal, portalAbi, prove(1, proof1.slice(0, 31)))).toBe('BadSiblingCount');
        expect(await revertName(user, portal, portalAbi, prove(1, proof1, 10n, keccak256(toHex('other root'))))).toBe('OutputRootMismatch');
        expect(await revertName(user, portal, portalAbi, finalize(1))).toBe('WithdrawalNotProven');
        await send(user, portal, prove(1, proof1));

        // not final yet
        expect(await revertName(user, portal, portalAbi, finalize(0))).toBe('OutputNotFinalized');
        await elapse(WINDOW + 1n);
        expect(await pub.readContract({ address: oracle, abi: outputOracleAbi, functionName: 'isFinalized', args: [10n] })).toBe(true);

        // paid once: ETH and ERC-20, by anyone, to the L1 recipient
        const paid = await send(stranger, portal, finalize(0));
        const fin = decodeEventLog({ abi: portalAbi, data: paid.logs[0].data, topics: paid.logs[0].topics });
        expect(fin).toMatchObject({ eventName: 'WithdrawalFinalized', args: { withdrawalHash: leaves[0], l1Recipient: L1_RECIPIENT, amount: parseEther('1.5') } });
        expect(await pub.getBalance({ address: L1_RECIPIENT })).toBe(parseEther('1.5'));
        expect(await revertName(stranger, portal, portalAbi, finalize(0))).toBe('WithdrawalAlreadyFinalized');
        await expect(
          wallet(stranger).sendTransaction({ account: stranger, chain: foundry, to: portal, data: finalize(0), gas: 200_000n }).then((hash) => pub.waitForTransactionReceipt({ hash })),
        ).resolves.toMatchObject({ status: 'reverted' });
        expect(await revertName(stranger, portal, portalAbi, prove(0, withdrawalProof(leaves, 0)))).toBe('WithdrawalAlreadyFinalized');
        expect(await pub.getBalance({ address: L1_RECIPIENT })).toBe(parseEther('1.5'));

        await send(user, portal, finalize(1));
        expect(await pub.readContract({ address: token, abi: testTokenAbi, functionName: 'balanceOf', args: [L1_RECIPIENT] })).toBe(300n);
        expect(await revertName(user, portal, portalAbi, finalize(1))).toBe('WithdrawalAlreadyFinalized');
        expect(await pub.readContract({ address: portal, abi: portalAbi, functionName: 'finalizedWithdrawals', args: [leaves[1]] })).toBe(true);

        // a finalized root can no longer be deleted
        const del10 = encodeFunctionData({ abi: outputOracleAbi, functionName: 'deleteOutput', args: [10n] });
        expect(await revertName(guardian, oracle, outputOracleAbi, del10)).toBe('OutputAlreadyFinalized');
      });

      it('a withdrawal proven against a root the guardian deleted is never paid', async () => {
        const w: Withdrawal = { nonce: 3n, l2Sender: L2_RECIPIENT, l1Recipient: L1_RECIPIENT, token: zeroAddress, amount: parseEther('1') };
        const leaves = [keccak256(toHex('someone else')), withdrawalHash(w)];
        const wRoot = withdrawalsRoot(leaves);
        const stateRoot = keccak256(toHex('state 20'));
        const blockHash = keccak256(toHex('block 20'));
        await send(proposer, oracle, encodeFunctionData({ abi: outputOracleAbi, functionName: 'proposeOutput', args: [20n, outputRoot(stateRoot, wRoot, blockHash)] }));
        const prove = encodeFunctionData({ abi: portalAbi, functionName: 'proveWithdrawal', args: [20n, stateRoot, wRoot, blockHash, w, 1n, withdrawalProof(leaves, 1)] });
        await send(user, portal, prove);

        const del = encodeFunctionData({ abi: outputOracleAbi, functionName: 'deleteOutput', args: [20n] });
        expect(await revertName(proposer, oracle, outputOracleAbi, del)).toBe('NotGuardian');
        const receipt = await send(guardian, oracle, del);
        expect(decodeEventLog({ abi: outputOracleAbi, data: receipt.logs[0].data, topics: receipt.logs[0].topics }).eventName).toBe('OutputDeleted');
        expect(await pub.readContract({ address: oracle, abi: outputOracleAbi, functionName: 'getOutput', args: [20n] })).toEqual([ZERO_HASHES[0], 0n]);

        await elapse(WINDOW + 1n);
        const finalize = encodeFunctionData({ abi: portalAbi, functionName: 'finalizeWithdrawal', args: [w] });
        expect(await revertName(user, portal, portalAbi, finalize)).toBe('ProvenOutputDeleted');
        expect(await revertName(user, portal, portalAbi, prove)).toBe('OutputNotFound');
        expect(await revertName(guardian, oracle, outputOracleAbi, del)).toBe('OutputNotFound');
        // the proposer cannot re-post block 20 (numbers only increase); a later root must carry the withdrawal
        const again = encodeFunctionData({ abi: outputOracleAbi, functionName: 'proposeOutput', args: [20n, outputRoot(stateRoot, wRoot, blockHash)] });
        expect(await revertName(proposer, oracle, outputOracleAbi, again)).toBe('BlockNumberNotIncreasing');

        // re-proven against a later root (its proof's root is gone, so it may move), paid after that root's window
        const blockHash30 = keccak256(toHex('block 30'));
        await send(proposer, oracle, encodeFunctionData({ abi: outputOracleAbi, functionName: 'proposeOutput', args: [30n, outputRoot(stateRoot, wRoot, blockHash30)] }));
        await send(user, portal, encodeFunctionData({ abi: portalAbi, functionName: 'proveWithdrawal', args: [30n, stateRoot, wRoot, blockHash30, w, 1n, withdrawalProof(leaves, 1)] }));
        expect(await revertName(user, portal, portalAbi, finalize)).toBe('OutputNotFinalized');
        const before = await pub.getBalance({ address: L1_RECIPIENT });
        await elapse(WINDOW + 1n);
        await send(user, portal, finalize);
        expect(await pub.getBalance({ address: L1_RECIPIENT })).toBe(before + parseEther('1'));
      });

      it('OutputOracle: a root the guardian deleted never finalizes, and nothing proven against it is paid', async () => {
      const w: Withdrawal = { nonce: 4n, l2Sender: L2_RECIPIENT, l1Recipient: L1_RECIPIENT, token: zeroAddress, amount: 1234n };
      const leaves = [withdrawalHash(w)];
      const wRoot = withdrawalsRoot(leaves);
      const stateRoot = keccak256(toHex('state 40'));
      const blockHash = keccak256(toHex('block 40'));
      const root40 = outputRoot(stateRoot, wRoot, blockHash);
      const propose = (n: bigint, r: Hex) => encodeFunctionData({ abi: outputOracleAbi, functionName: 'proposeOutput', args: [n, r] });
      const prove = (n: bigint, bh: Hex) =>
        encodeFunctionData({ abi: portalAbi, functionName: 'proveWithdrawal', args: [n, stateRoot, wRoot, bh, w, 0n, withdrawalProof(leaves, 0)] });
      const finalize = encodeFunctionData({ abi: portalAbi, functionName: 'finalizeWithdrawal', args: [w] });
      const isFinalized = (n: bigint) => pub.readContract({ address: oracle, abi: outputOracleAbi, functionName: 'isFinalized', args: [n] });

      // proving against a root that was never posted reverts
      expect(await revertName(user, portal, portalAbi, prove(40n, blockHash))).toBe('OutputNotFound');
      expect(await revertName(guardian, oracle, outputOracleAbi, encodeFunctionData({ abi: outputOracleAbi, functionName: 'deleteOutput', args: [40n] }))).toBe('OutputNotFound');

      await send(proposer, oracle, propose(40n, root40));
      await send(stranger, portal, prove(40n, blockHash));
      const del = await send(guardian, oracle, encodeFunctionData({ abi: outputOracleAbi, functionName: 'deleteOutput', args: [40n] }));
      expect(decodeEventLog({ abi: outputOracleAbi, data: del.logs[0].data, topics: del.logs[0].topics })).toEqual({
        eventName: 'OutputDeleted',
        args: { l2BlockNumber: 40n, outputRoot: root40 },
      });
      // the deleted number stays used: latestBlockNumber does not go back
      expect(await pub.readContract({ address: oracle, abi: outputOracleAbi, functionName: 'latestBlockNumber' })).toBe(40n);

      // a later root is posted and finalizes; the deleted one never does
      const blockHash50 = keccak256(toHex('block 50'));
      await send(proposer, oracle, propose(50n, outputRoot(stateRoot, wRoot, blockHash50)));
      await elapse(WINDOW + 1n);
      expect(await isFinalized(50n)).toBe(true);
      expect(await isFinalized(40n)).toBe(false);

      // the proof against the deleted root cannot be finalized, and cannot be made again against it
      expect(await revertName(user, portal, portalAbi, finalize)).toBe('ProvenOutputDeleted');
      expect(await revertName(user, portal, portalAbi, prove(40n, blockHash))).toBe('OutputNotFound');
      const [provenRoot, provenBlock] = await pub.readContract({ address: portal, abi: portalAbi, functionName: 'provenWithdrawals', args: [leaves[0]] });
      expect([provenRoot, provenBlock]).toEqual([root40, 40n]);
      expect(await pub.readContract({ address: portal, abi: portalAbi, functionName: 'finalizedWithdrawals', args: [leaves[0]] })).toBe(false);
      const paidBefore = await pub.getBalance({ address: L1_RECIPIENT });
      // a transaction forced through anyway reverts and pays nothing
      const forced = await wallet(user)
        .sendTransaction({ account: user, chain: foundry, to: portal, data: finalize, gas: 200_000n })
        .then((hash) => pub.waitForTransactionReceipt({ hash }));
      expect(forced.status).toBe('reverted');
      expect(await pub.getBalance({ address: L1_RECIPIENT })).toBe(paidBefore);
    });

    it('BatchInbox takes batches from the batcher only, as calldata, and logs their hash', async () => {
        const batch = toHex(new TextEncoder().encode('a batch of L2 blocks'));
        const data = encodeFunctionData({ abi: batchInboxAbi, functionName: 'submitBatch', args: [batch] });
        expect(await revertName(user, inbox, batchInboxAbi, data)).toBe('NotBatcher');
        for (const index of [0n, 1n]) {
          const receipt = await send(batcher, inbox, data);
          const ev = decodeEventLog({ abi: batchInboxAbi, data: receipt.logs[0].data, topics: receipt.logs[0].topics });
          expect(ev).toEqual({ eventName: 'BatchSubmitted', args: { index, batcher: batcher.address, dataHash: keccak256(batch) } });
          const tx = await pub.getTransaction({ hash: receipt.transactionHash });
          expect(decodeFunctionData({ abi: batchInboxAbi, data: tx.input }).args).toEqual([batch]);
        }
      });
  });
}
