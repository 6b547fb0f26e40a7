// The page's one codec: viem with the modules' own ABIs (the same files the node and the worker use).
import { decodeEventLog, decodeFunctionResult, encodeFunctionData, toEventSelector, type Abi, type Hex } from 'viem';
import { portalAbi } from '../../../bridge/artifacts.ts';
import { MODULE_ADDRESSES } from '../../../state-machine/modules/addresses.ts';
import { bridgeAbi } from '../../../state-machine/modules/bridge/abi.ts';
import { slashingAbi } from '../../../state-machine/modules/slashing/abi.ts';
import { stakeAbi } from '../../../state-machine/modules/stake/abi.ts';
import { taskAbi } from '../../../state-machine/modules/task/abi.ts';
import { verdeAbi } from '../../../state-machine/modules/verde/abi.ts';

export { bridgeAbi, portalAbi, slashingAbi, stakeAbi, taskAbi, verdeAbi };
export const ADDR = MODULE_ADDRESSES;

/** The events the page follows, per module (CheckpointData and Revealed carry bulk it does not show). */
const FOLLOWED: { address: Hex; abi: Abi; skip: string[] }[] = [
  { address: ADDR.task, abi: taskAbi, skip: ['CheckpointData'] },
  { address: ADDR.verde, abi: verdeAbi, skip: ['Revealed', 'InputProven'] },
  { address: ADDR.stake, abi: stakeAbi, skip: [] },
  { address: ADDR.slashing, abi: slashingAbi, skip: [] },
  { address: ADDR.bridge, abi: bridgeAbi, skip: ['TokenTransfer'] },
];

export const followedAddresses: Hex[] = FOLLOWED.map((f) => f.address);
export const followedTopics: Hex[] = FOLLOWED.flatMap((f) =>
  f.abi.filter((i) => i.type === 'event' && !f.skip.includes(i.name)).map((i) => toEventSelector(i as Parameters<typeof toEventSelector>[0])),
);

export interface RawLog {
  address: Hex;
  topics: Hex[];
  data: Hex;
  blockNumber: Hex;
  logIndex: Hex;
  transactionHash: Hex;
  removed?: boolean;
}

export type Module = 'task' | 'verde' | 'stake' | 'slashing' | 'bridge';

export interface DecodedLog {
  module: Module;
  name: string;
  args: Record<string, unknown>;
  block: bigint;
  index: number;
  tx: Hex;
}

const byAddress = new Map<string, { module: Module; abi: Abi }>([
  [ADDR.task, { module: 'task', abi: taskAbi }],
  [ADDR.verde, { module: 'verde', abi: verdeAbi }],
  [ADDR.stake, { module: 'stake', abi: stakeAbi }],
  [ADDR.slashing, { module: 'slashing', abi: slashingAbi }],
  [ADDR.bridge, { module: 'bridge', abi: bridgeAbi }],
]);

export function decodeLog(l: RawLog): DecodedLog | null {
  const m = byAddress.get(l.address.toLowerCase());
  if (!m || l.topics.length === 0) return null;
  try {
    const d = decodeEventLog({ abi: m.abi, data: l.data, topics: l.topics as [Hex, ...Hex[]] });
    return { module: m.module, name: d.eventName ?? '', args: (d.args ?? {}) as Record<string, unknown>, block: BigInt(l.blockNumber), index: Number(l.logIndex), tx: l.transactionHash };
  } catch {
    return null;
  }
}

/** An eth_call of a view, encoded and decoded by viem. */
export interface ViewCall<T> {
  to: Hex;
  data: Hex;
  decode(ret: Hex): T;
}

export function view<T>(to: Hex, abi: Abi, functionName: string, args: readonly unknown[] = []): ViewCall<T> {
  return {
    to,
    data: encodeFunctionData({ abi, functionName, args }),
    decode: (ret) => decodeFunctionResult({ abi, functionName, data: ret }) as T,
  };
}

/** float32 bit patterns (as the chain stores them) → numbers. */
export function f32FromBits(bits: readonly number[]): number[] {
  const u = new Uint32Array(bits);
  return Array.from(new Float32Array(u.buffer));
}
