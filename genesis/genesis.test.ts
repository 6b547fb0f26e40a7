import { privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../state-machine/errors.ts';
import { DEVNET_CHAIN_ID, DEVNET_NOTE, defaultDevnetGenesis, devnetAccounts, genesisToJson, parseGenesis } from './index.ts';

type JsonObj = Record<string, unknown>;

function devnetJson(): JsonObj {
  return JSON.parse(genesisToJson(defaultDevnetGenesis())) as JsonObj;
}

function fieldOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).field;
  }
  throw new Error('expected a ValidationError');
}

/** Sets a dotted path in a JSON object copy. */
function withField(path: string, value: unknown): JsonObj {
  const root = devnetJson();
  const parts = path.split('.');
  let o = root;
  for (const p of parts.slice(0, -1)) o = o[p] as JsonObj;
  const last = parts[parts.length - 1];
  if (value === undefined) delete o[last];
  else o[last] = value;
  return root;
}

describe('devnet genesis', () => {
  it('derives the anvil/hardhat test accounts, labelled devnet-only', () => {
    const accounts = devnetAccounts(10);
    expect(accounts).toHaveLength(10);
    expect(accounts[0].address).toBe('0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266');
    expect(accounts[1].address).toBe('0x70997970c51812dc3a010c7d01b50e0d17dc79c8');
    // an independent derivation (viem's) agrees on each key's address
    for (const a of accounts) expect(privateKeyToAccount(a.privateKey).address.toLowerCase()).toBe(a.address);
    expect(new Set(accounts.map((a) => a.address)).size).toBe(10);
    for (const a of accounts) expect(a.label).toBe('devnet-only');
  });

  it('funds 10 accounts with 10000 ETH, uses account 0 as sequencer, and says it is devnet-only', () => {
    const g = defaultDevnetGenesis();
    expect(g.chainId).toBe(DEVNET_CHAIN_ID);
    expect(g.chainId).not.toBe(31337n);
    expect(Object.values(g.alloc)).toEqual(Array(10).fill(10_000n * 10n ** 18n));
    expect(g.sequencer).toBe(devnetAccounts(1)[0].address);
    expect(g.blockIntervalMs).toBe(250);
    expect(g.note).toBe(DEVNET_NOTE);
    expect(genesisToJson(g)).toContain('DEVNET ONLY');
  });

  it('round-trips through JSON', () => {
    const g = defaultDevnetGenesis({ timestamp: 1_700_000_000n });
    expect(parseGenesis(genesisToJson(g))).toEqual(g);
    expect(parseGenesis(JSON.parse(genesisToJson(g)))).toEqual(g);
  });

  it('accepts 0x-hex and safe-integer amounts and lowercases addresses', () => {
    const j = withField('gasLimit', '0x1c9c380');
    (j.baseFee as JsonObj).initial = 1000;
    (j.baseFee as JsonObj).min = '0x0';
    j.alloc = { '0xF39FD6E51AAD88F6F4CE6AB8827279CFFFB92266': '0xde0b6b3a7640000' };
    const g = parseGenesis(j);
    expect(g.gasLimit).toBe(30_000_000n);
    expect(g.baseFee.initial).toBe(1000n);
    expect(g.alloc).toEqual({ '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266': 10n ** 18n });
  });
});

describe('genesis validation names the bad field', () => {
  const cases: [string, unknown, string][] = [
    ['chainId', '0', 'chainId'],
    ['chainId', 'abc', 'chainId'],
    ['chainId', undefined, 'chainId'],
    ['timestamp', -1, 'timestamp'],
    ['gasLimit', 1.5, 'gasLimit'],
    ['gasLimit', '100', 'gasLimit'],
    ['baseFee.initial', '-5', 'baseFee.initial'],
    ['baseFee.elasticityMultiplier', '0', 'baseFee.elasticityMultiplier'],
    ['baseFee.changeDenominator', '0', 'baseFee.changeDenominator'],
    ['baseFee.min', '999999999999', 'baseFee.initial'],
    ['baseFee', 'x', 'baseFee'],
    ['blockIntervalMs', 0, 'blockIntervalMs'],
    ['blockIntervalMs', '250', 'blockIntervalMs'],
    ['sequencer', '0x1234', 'sequencer'],
    ['modules.accounts.feeVault', 'nope', 'modules.accounts.feeVault'],
    ['modules.accounts.feeVault', '0x0000000000000000000000000000000000000a02', 'modules.accounts.feeVault'],
    ['modules.stake.unbondingPeriodBlocks', '0', 'modules.stake.unbondingPeriodBlocks'],
    ['modules.stake.minBond', null, 'modules.stake.minBond'],
    ['modules.stake.extra', '1', 'modules.stake.extra'],
    ['modules.stake.bonds', [], 'modules.stake.bonds'],
    ['modules.stake.bonds.0x70997970c51812dc3a010c7d01b50e0d17dc79c8', '1', 'modules.stake.bonds.0x70997970c51812dc3a010c7d01b50e0d17dc79c8'],
    ['modules.slashing.proverShareBps', '10001', 'modules.slashing.proverShareBps'],
    ['modules.slashing.harmedShareBps', '6000', 'modules.slashing.harmedShareBps'],
    ['modules.slashing.jailBlocks', 'x', 'modules.slashing.jailBlocks'],
    ['modules.task.windowBlocks', '0', 'modules.task.windowBlocks'],
    ['modules.task.drawDelayBlocks', '500', 'modules.task.drawDelayBlocks'],
    ['modules.task.defaultVerifiers', '17', 'modules.task.defaultVerifiers'],
    ['modules.task.unknown', '1', 'modules.task.unknown'],
    ['modules.bogus', {}, 'modules.bogus'],
    ['note', 5, 'note'],
    ['surprise', 1, 'surprise'],
    ['alloc', [], 'alloc'],
  ];
  it.each(cases)('%s = %j → %s', (path, value, field) => {
    expect(fieldOf(() => parseGenesis(withField(path, value)))).toBe(field);
  });

  it('names the allocation entry that is wrong', () => {
    const j = devnetJson();
    j.alloc = { '0x0000000000000000000000000000000000000001': '1', '0x00000000000000000000000000000000000000zz': '1' };
    expect(fieldOf(() => parseGenesis(j))).toBe('alloc.0x00000000000000000000000000000000000000zz');
    j.alloc = { '0x0000000000000000000000000000000000000001': '1.5' };
    expect(fieldOf(() => parseGenesis(j))).toBe('alloc.0x0000000000000000000000000000000000000001');
    j.alloc = { '0x0000000000000000000000000000000000000a02': '1' };
    expect(fieldOf(() => parseGenesis(j))).toBe('alloc.0x0000000000000000000000000000000000000a02');
    j.alloc = { '0x000000000000000000000000000000000000000a': '1', '0x000000000000000000000000000000000000000A': '1' };
    expect(fieldOf(() => parseGenesis(j))).toBe('alloc.0x000000000000000000000000000000000000000A');
  });

  it('fills an absent module section with the module defaults', () => {
    const j = devnetJson();
    delete (j.modules as JsonObj).task;
    delete (j.modules as JsonObj).slashing;
    const g = parseGenesis(j);
    expect(g.modules.task).toEqual(defaultDevnetGenesis().modules.task);
    expect(g.modules.slashing).toEqual(defaultDevnetGenesis().modules.slashing);
  });

  it('stakes accounts 1-9 at genesis, minted into the stake account', () => {
    const g = defaultDevnetGenesis();
    const accounts = devnetAccounts(10);
    expect(Object.keys(g.modules.stake.bonds).sort()).toEqual(accounts.slice(1).map((a) => a.address).sort());
  });

  it('reports invalid JSON text at the root', () => {
    expect(fieldOf(() => parseGenesis('{"chainId": '))).toBe('(root)');
    expect(fieldOf(() => parseGenesis('[]'))).toBe('(root)');
  });
});
