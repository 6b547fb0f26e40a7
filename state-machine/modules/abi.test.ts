// Every module's abi.ts must be exactly the ABI solc derives from its published I<Name>.sol: what a
// wallet compiles against is what the chain decodes.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Abi } from 'viem';
import { describe, expect, it } from 'vitest';
import { accountsAbi } from './accounts/abi.ts';
import { bridgeAbi } from './bridge/abi.ts';
import { multicall3Abi } from './multicall/abi.ts';
import { slashingAbi } from './slashing/abi.ts';
import { stakeAbi } from './stake/abi.ts';
import { taskAbi } from './task/abi.ts';
import { verdeAbi } from './verde/abi.ts';

const require = createRequire(import.meta.url);
interface Solc {
  compile(input: string): string;
}
const solc = require('solc') as Solc;

const MODULES: [string, string, Abi][] = [
  ['accounts', 'IAccounts', accountsAbi],
  ['stake', 'IStake', stakeAbi],
  ['slashing', 'ISlashing', slashingAbi],
  ['task', 'ITask', taskAbi],
  ['verde', 'IVerde', verdeAbi],
  ['multicall', 'IMulticall3', multicall3Abi],
];

type Item = Record<string, unknown>;

/** Drops what only one side has (internalType, empty outputs of events) and sorts by kind and name. */
function normalize(abi: readonly unknown[]): Item[] {
  const param = (p: Item): Item => {
    const out: Item = { name: p.name, type: p.type };
    if (p.indexed !== undefined) out.indexed = p.indexed;
    if (Array.isArray(p.components)) out.components = (p.components as Item[]).map(param);
    return out;
  };
  return (abi as Item[])
    .map((x) => {
      const out: Item = { type: x.type, name: x.name, inputs: ((x.inputs as Item[]) ?? []).map(param) };
      if (x.stateMutability !== undefined) out.stateMutability = x.stateMutability;
      if (x.type === 'function') out.outputs = ((x.outputs as Item[]) ?? []).map(param);
      if (x.type === 'event') out.anonymous = x.anonymous ?? false;
      return out;
    })
    .sort((a, b) => `${a.type}:${a.name}`.localeCompare(`${b.type}:${b.name}`));
}

describe('module ABIs equal their Solidity interfaces', () => {
  const sources: Record<string, { content: string }> = {};
  for (const [dir, name] of MODULES) sources[`${name}.sol`] = { content: readFileSync(new URL(`./${dir}/${name}.sol`, import.meta.url), 'utf8') };
  const out = JSON.parse(solc.compile(JSON.stringify({ language: 'Solidity', sources, settings: { outputSelection: { '*': { '*': ['abi'] } } } }))) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts: Record<string, Record<string, { abi: unknown[] }>>;
  };

  it('every interface compiles', () => {
    expect((out.errors ?? []).filter((e) => e.severity === 'error').map((e) => e.formattedMessage)).toEqual([]);
  });

  it.each(MODULES)('%s: abi.ts equals %s.sol', (_dir, name, abi) => {
    expect(normalize(abi)).toEqual(normalize(out.contracts[`${name}.sol`][name].abi));
  });
});
